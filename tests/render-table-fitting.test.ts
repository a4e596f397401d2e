/**
 * Table fitting on the four real fixtures (the Hunan sample, the second
 * department, the two Shanghai units), measured on the page layout:
 *  - no 公开 table is cramped: no header cell broken into more than two lines,
 *    figures with at least half an em beside them where that wraps no row;
 *  - the wide tables of many narrow columns (三公: 预算数/决算数 groups) turn
 *    landscape, as on the Shanghai template's 表七 page;
 *  - one body size per orientation; tables that fit one page fit one page;
 *  - part titles over two lines break between words, and the Word file breaks
 *    them where the PDF does.
 */
import * as path from 'path';
import type { ReportDocument, Table } from '../src/document/types';
import { layoutReport } from '../src/layout/pagination';
import { crampOf } from '../src/render/pdf/table';
import { buildDocumentFromFile } from '../src/pipeline';
import { tokenizeWords } from '../src/render/pdf/linebreaker';
import { renderDocx } from '../src/render/docx';
import JSZip from 'jszip';

const ROOT = path.resolve(__dirname, '..');
const FIXTURES: Record<string, string> = {
  hunan: path.join(ROOT, 'data.yaml'),
  second: path.join(ROOT, 'tests', 'fixtures', 'second-department', 'data.yaml'),
  bureau: path.join(ROOT, 'tests', 'fixtures', 'shanghai-bureau', 'data.yaml'),
  center: path.join(ROOT, 'tests', 'fixtures', 'shanghai-center', 'data.yaml'),
};

const labelled = (doc: ReportDocument): Table[] =>
  doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'table' && b.table.label !== undefined ? [b.table] : [])));

/** The 三公 table: the one whose header groups 预算数 and 决算数 over 公务接待费. */
const sanGong = (doc: ReportDocument) => labelled(doc).find((t) => t.header.some((r) => r.some((c) => c.text.includes('公务接待'))))!;

describe.each(Object.keys(FIXTURES))('table fitting: %s', (name) => {
  let doc: ReportDocument;
  beforeAll(() => {
    doc = buildDocumentFromFile(FIXTURES[name]);
  });

  it('no 公开 table is cramped: header cells in at most two lines; figures with half an em of air unless that would wrap a row', () => {
    const layout = layoutReport(doc);
    for (const t of labelled(doc)) {
      const fit = layout.tables.get(t.id)!;
      const headerLines = Math.max(...fit.layout.header.map((c) => c.lines.length));
      // crampOf counts header lines beyond two, plus one for figures without air:
      // at most that one point (06 gives its air to a long 科目名称 rather than wrap it).
      expect({ table: t.label, headerLines: headerLines <= 2, cramp: crampOf(fit.layout, t) <= 1 }).toEqual({ table: t.label, headerLines: true, cramp: true });
    }
    expect(crampOf(layout.tables.get(sanGong(doc).id)!.layout, sanGong(doc))).toBe(0);
  });

  it('the 三公 table (twelve narrow columns) is landscape, on one page', () => {
    const t = sanGong(doc);
    const fit = layoutReport(doc).tables.get(t.id)!;
    expect(fit.orientation).toBe('landscape');
    expect(fit.pages.length).toBe(1);
  });

  it('one body size per orientation; every table on one page', () => {
    const layout = layoutReport(doc);
    const sizes = new Map<string, Set<number>>();
    for (const t of labelled(doc)) {
      const fit = layout.tables.get(t.id)!;
      if (!sizes.has(fit.orientation)) sizes.set(fit.orientation, new Set());
      sizes.get(fit.orientation)!.add(fit.layout.size);
      expect(fit.layout.size).toBeGreaterThanOrEqual(9);
      expect({ table: t.label, pages: fit.pages.length }).toEqual({ table: t.label, pages: 1 });
    }
    for (const s of sizes.values()) expect(s.size).toBe(1);
  });

  it('part titles break between words, and the Word file breaks them where the PDF does', async () => {
    const layout = layoutReport(doc);
    const xml = await (await JSZip.loadAsync(await renderDocx(doc))).file('word/document.xml')!.async('string');
    for (const part of doc.parts) {
      const lines = layout.partTitleLines!.get(part.title)!;
      expect(lines.join('')).toBe(part.title.replace(/\s+/g, ''));
      const ends = new Set<number>();
      let at = 0;
      for (const w of tokenizeWords(part.title.replace(/\s+/g, ''))) ends.add((at += w.length));
      let k = 0;
      for (const l of lines.slice(0, -1)) expect({ title: part.title, breakBetweenWords: ends.has((k += l.length)) }).toEqual({ title: part.title, breakBetweenWords: true });
      // The Word paragraph: the label, then one run after a break per line.
      const runs = lines.map((l) => `<w:br/><w:t xml:space="preserve">${l}</w:t>`).join('</w:r><w:r>');
      expect(xml.replace(/<w:r><w:rPr>.*?<\/w:rPr>/g, '<w:r>')).toContain(runs);
    }
  });
});
