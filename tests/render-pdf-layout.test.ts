/**
 * PDF writer: layout checks on the display list (before PDF bytes): tables
 * (header repeated, no row split, landscape), pages (parts and 公开 tables on
 * new pages, page-number placement, margins), headings kept with the next
 * block, and the Chinese line-breaking rules on the real paragraphs.
 */
import type { ReportDocument, Table } from '../src/document/types';
import { FontSet } from '../src/render/pdf/fonts';
import { FORBIDDEN_END, FORBIDDEN_START, NUMBER_ATOM, lineText } from '../src/render/pdf/linebreaker';
import { layoutText, itemWidth as drawnWidth, type TextItem } from '../src/render/pdf/paragraph';
import { headerGrid } from '../src/render/pdf/table';
import { BODY_SIZE, BODY_PITCH, PAGE_NUMBER_SIZE, textWidth } from '../src/render/pdf/style';
import type { LayoutResult, Page } from '../src/render/pdf/paginate';
import { CASES, layoutOf, strip } from './helpers/pdf';

const fonts = new FontSet();

function tables(doc: ReportDocument): Table[] {
  return doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : [])));
}

const textOf = (it: TextItem) => it.runs.map((r) => r.text).join('');
const texts = (page: Page) => page.items.filter((i): i is TextItem => i.kind === 'text');
const top = (page: Page) => page.geometry.height - page.geometry.top;

const itemWidth = (it: TextItem) => drawnWidth(it, fonts);

describe.each(CASES)('layout($name)', (c) => {
  let layout: LayoutResult;
  let doc: ReportDocument;
  beforeAll(() => {
    doc = c.doc();
    layout = layoutOf(c);
  });

  it('starts with an unnumbered cover, then each part on a new page', () => {
    expect(layout.pages[0].number).toBeNull();
    expect(texts(layout.pages[0]).every((t) => t.tag === 'cover')).toBe(true);
    const parts = layout.anchors.filter((a) => a.kind === 'part');
    expect(parts.map((a) => a.title)).toEqual(doc.parts.map((p) => `${p.label} ${p.title}`));
    for (const a of parts) {
      const first = texts(layout.pages[a.page])[0];
      expect(first.tag).toBe('part');
    }
    expect(new Set(parts.map((a) => a.page)).size).toBe(parts.length);
  });

  /** The orientation the table fitting chose (the model's for tables it did not fit). */
  const orient = (t: Table) => layout.tables.get(t.id)?.orientation ?? t.orientation;

  it('puts each 公开 table at the top of a new page of its orientation', () => {
    for (const t of tables(doc).filter((t) => t.label)) {
      const a = layout.anchors.find((x) => x.kind === 'table' && x.title === `${t.label} ${t.title}`);
      expect(a).toBeDefined();
      const page = layout.pages[a!.page];
      expect(page.geometry.orientation).toBe(orient(t));
      // Nothing above the table's title on that page except its own heading(s).
      const before = page.items.filter((i) => i.kind === 'text' && i.y > a!.y);
      expect(before.every((i) => i.kind === 'text' && i.tag === 'heading')).toBe(true);
      const titleItem = texts(page).find((i) => i.tag === 'table-title');
      expect(titleItem).toBeDefined();
      // Label right-aligned; 部门 line left, 单位 line right on one line.
      const meta = texts(page).filter((i) => i.tag === 'table-meta');
      const label = meta.find((i) => textOf(i) === t.label)!;
      const right = page.geometry.width - page.geometry.right;
      expect(label.x + itemWidth(label)).toBeCloseTo(right, 1);
      if (t.departmentLine) {
        const dept = meta.find((i) => textOf(i) === t.departmentLine)!;
        const unit = meta.find((i) => textOf(i) === t.unitLine)!;
        expect(dept.x).toBeCloseTo(page.geometry.left, 1);
        expect(unit.x + itemWidth(unit)).toBeCloseTo(right, 1);
        expect(dept.y).toBeCloseTo(unit.y, 3);
      }
    }
  });

  it('places every body row exactly once, never split, under a repeated header', () => {
    for (const t of tables(doc)) {
      const slices = layout.slices.filter((s) => s.tableId === t.id);
      expect(slices.length).toBeGreaterThan(0);
      let next = 0;
      for (const s of slices) {
        expect(s.from).toBe(next);
        next = s.to;
        const page = layout.pages[s.page];
        expect(page.geometry.orientation).toBe(orient(t));
        // Inside the type area.
        expect(s.bottom).toBeGreaterThanOrEqual(page.geometry.bottom - 0.01);
        expect(s.top).toBeLessThanOrEqual(top(page) + 0.01);
        // The whole header is drawn at the top of every slice.
        const band = texts(page)
          .filter((i) => i.tag === 'cell' && i.y <= s.top && i.y >= s.top - s.headerHeight)
          .map(textOf)
          .join('');
        for (const h of headerGrid(t)) if (h.text) expect(strip(band)).toContain(strip(h.text));
      }
      expect(next).toBe(t.body.length);
      // Rows of a table spanning pages: each page after the first starts at the top.
      slices.slice(1).forEach((s) => expect(s.top).toBeCloseTo(top(layout.pages[s.page]), 3));
    }
  });

  it('keeps table notes with the last rows of their table', () => {
    for (const p of layout.pages) {
      const items = texts(p);
      const firstNote = items.findIndex((i) => i.tag === 'table-note');
      if (firstNote < 0) continue;
      expect(items.slice(0, firstNote).some((i) => i.tag === 'cell')).toBe(true);
    }
  });

  it('sets landscape tables on landscape pages only', () => {
    for (const t of tables(doc).filter((t) => orient(t) === 'landscape')) {
      for (const s of layout.slices.filter((x) => x.tableId === t.id)) {
        expect(layout.pages[s.page].geometry.orientation).toBe('landscape');
      }
    }
    // Body text never lands on a landscape page.
    for (const p of layout.pages.filter((p) => p.geometry.orientation === 'landscape')) {
      expect(texts(p).filter((i) => i.tag === 'body')).toEqual([]);
    }
  });

  it('numbers pages "— N —", odd right and even left, one character in', () => {
    for (const p of layout.pages.slice(1 + layout.tocPages)) {
      const [num] = texts(p).filter((i) => i.tag === 'page-number');
      expect(textOf(num)).toBe(`— ${p.number} —`);
      expect(num.size).toBe(PAGE_NUMBER_SIZE);
      const g = p.geometry;
      if (p.number! % 2 === 1) expect(num.x + itemWidth(num)).toBeCloseTo(g.width - g.right - PAGE_NUMBER_SIZE, 1);
      else expect(num.x).toBeCloseTo(g.left + PAGE_NUMBER_SIZE, 1);
      expect(num.y).toBeLessThan(g.bottom);
      expect(num.y).toBeGreaterThan(0);
    }
  });

  it('keeps all text inside the type area (a line-end mark may hang half an em)', () => {
    for (const p of layout.pages) {
      const g = p.geometry;
      for (const it of texts(p)) {
        if (it.tag === 'page-number') continue;
        expect(it.x).toBeGreaterThanOrEqual(g.left - 0.01);
        expect(it.x + itemWidth(it)).toBeLessThanOrEqual(g.width - g.right + it.size / 2 + 0.01);
        if (it.tag !== 'cover') {
          expect(it.y).toBeGreaterThan(g.bottom);
          expect(it.y).toBeLessThan(top(p));
        }
      }
    }
  });

  it('never leaves a heading as the last line of a page', () => {
    // A heading that ends its part has nothing to be kept with.
    const terminal = new Set(
      doc.parts.flatMap((p) => {
        const last = p.blocks[p.blocks.length - 1];
        return last?.kind === 'heading' ? [strip(last.text)] : [];
      }),
    );
    layout.pages.forEach((p) => {
      const body = texts(p).filter((i) => i.tag !== 'page-number');
      if (body.length === 0) return;
      const last = body[body.length - 1];
      if (last.tag !== 'heading') return;
      const heading = body.filter((i) => i.tag === 'heading').map(textOf).join('');
      expect([...terminal].some((t) => strip(heading).endsWith(t))).toBe(true);
    });
  });

  it('splits no paragraph so that one line stands alone on a page (orphans, widows)', () => {
    const pagesOf = new Map<object, number[]>();
    layout.pages.forEach((p, pi) => {
      for (const it of texts(p)) {
        if (it.tag !== 'body' || !it.node) continue;
        const list = pagesOf.get(it.node) ?? [];
        list.push(pi);
        pagesOf.set(it.node, list);
      }
    });
    let split = 0;
    for (const pages of pagesOf.values()) {
      const counts = new Map<number, number>();
      for (const p of pages) counts.set(p, (counts.get(p) ?? 0) + 1);
      if (counts.size < 2) continue;
      split++;
      for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(2);
    }
    if (c.name === 'real') expect(split).toBeGreaterThan(0); // the check did look at split paragraphs
  });

  it('sets body text in 16 pt on a 22-line grid', () => {
    const body = layout.pages.flatMap((p) => texts(p).filter((i) => i.tag === 'body'));
    expect(body.length).toBeGreaterThan(0);
    for (const it of body) expect(it.size).toBe(BODY_SIZE);
    expect(BODY_PITCH).toBeGreaterThanOrEqual(28);
    expect(BODY_PITCH).toBeLessThanOrEqual(29);
  });

  it('breaks every paragraph by the Chinese rules, numbers unsplit, no gap over 0.1 em', () => {
    const width = textWidth(layout.pages[1].geometry);
    let ragged = 0;
    let total = 0;
    let unitBreaks = 0;
    for (const part of doc.parts) {
      for (const b of part.blocks) {
        if (b.kind !== 'paragraph') continue;
        const text = b.sentences.join('');
        const lines = layoutText(text, { role: 'serif', size: BODY_SIZE, pitch: BODY_PITCH, indentEm: b.style === 'body' ? 2 : 0, align: 'justify' }, width, fonts);
        expect(lines.map((l) => lineText(l.line)).join('')).toBe(text);
        const starts: number[] = [];
        let pos = 0;
        lines.forEach((l, i) => {
          const s = lineText(l.line);
          if (i > 0) {
            starts.push(pos);
            expect(FORBIDDEN_START.has(Array.from(s)[0])).toBe(false);
          }
          if (i < lines.length - 1) expect(FORBIDDEN_END.has(Array.from(s).pop()!)).toBe(false);
          // Non-last lines are justified to the measure (± a hanging half em), or
          // set ragged where filling the measure would stretch the gaps by more than 0.1 em.
          if (i < lines.length - 1) {
            if (l.line.justifyTo === undefined) {
              const gaps = l.line.atoms.length - 1;
              expect((width - l.line.indent - l.line.width) / Math.max(1, gaps)).toBeGreaterThan(0.1 * BODY_SIZE);
              ragged++;
            } else {
              const w = l.line.justifyTo + l.line.indent;
              expect(w).toBeGreaterThanOrEqual(width - 0.01);
              expect(w).toBeLessThanOrEqual(width + BODY_SIZE / 2 + 0.01);
              // At most 0.1 em between two atoms.
              expect((l.line.justifyTo - l.line.width) / Math.max(1, l.line.atoms.length - 1)).toBeLessThanOrEqual(0.1 * BODY_SIZE + 1e-6);
            }
            total++;
          }
          pos += s.length;
        });
        for (const m of text.matchAll(NUMBER_ATOM)) {
          // The figure itself never splits; its unit (万元, 人, …) may go to the next line, rarely.
          const figure = /^[-−+]?\d[\d,]*(?:\.\d+)?(?:%|％|‰)?/.exec(m[0])![0];
          const split = starts.some((st) => st > m.index! && st < m.index! + figure.length);
          expect({ number: m[0], split }).toEqual({ number: m[0], split: false });
          if (starts.includes(m.index! + figure.length) && figure.length < m[0].length) unitBreaks++;
        }
      }
    }
    // Total-fit breaking leaves hardly any line that cannot be justified within 0.1 em.
    expect(ragged).toBeLessThanOrEqual(Math.max(2, total / 50));
    expect(unitBreaks).toBeLessThanOrEqual(Math.max(1, total / 5));
  });
});
