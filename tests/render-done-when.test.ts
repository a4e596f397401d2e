/**
 * Issue #10 "Done when", measured on the outputs themselves:
 *  - from the PDF's glyph positions (pdftotext -bbox-layout): the largest gap
 *    between two characters of every body line (≤ 0.1 em beyond the advance),
 *    text that reads as written, and the pages each 公开 table spans (for the
 *    sample: 01, 04, 06, 07, 08, 09 on one page each; 02, 03, 05 on one page
 *    or broken by the rules; no continuation page under 5 body rows; body size
 *    at least 9 pt);
 *  - the same table checks on the Word file as LibreOffice lays it out, its
 *    body-line gaps (what LibreOffice stretches, and that it is always next
 *    to a figure) and its headings' outline levels by rank as LibreOffice
 *    reads them;
 *  - heading styles by rank in the PDF (the Word writer's are asserted in
 *    render-docx.test.ts).
 */
import { execFileSync } from 'child_process';
import JSZip from 'jszip';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ReportDocument, Table } from '../src/document/types';
import { renderDocx } from '../src/render/docx';
import { FontSet } from '../src/render/pdf/fonts';
import { tokenize } from '../src/render/pdf/linebreaker';
import type { TextItem } from '../src/render/pdf/paragraph';
import { BODY_SIZE } from '../src/render/pdf/style';
import { headingRank } from '../src/layout/spec';
import { layoutReport } from '../src/layout/pagination';
import { HAVE_REAL, hasTool, layoutOf, pdfOf, squash, withFile, CASES } from './helpers/pdf';

const haveTools = HAVE_REAL && hasTool('pdftotext');
const haveSoffice = haveTools && hasTool('soffice');
const describeTools = haveTools ? describe : describe.skip;
const describeSoffice = haveSoffice ? describe : describe.skip;

interface Word {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
  text: string;
}
interface PdfLine {
  page: number;
  words: Word[];
}

/** Lines of words with their boxes, per page (pdftotext -bbox-layout). */
function bboxLines(file: string): { pages: PdfLine[][]; texts: string[] } {
  const xml = execFileSync('pdftotext', ['-bbox-layout', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const pages: PdfLine[][] = [];
  const texts: string[] = [];
  const unescape = (s: string) => s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'");
  for (const [pi, page] of xml.split('<page ').slice(1).entries()) {
    const lines: PdfLine[] = [];
    for (const m of page.matchAll(/<line[^>]*>([\s\S]*?)<\/line>/g)) {
      const words = Array.from(m[1].matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g), (w) => ({
        xMin: Number(w[1]),
        yMin: Number(w[2]),
        xMax: Number(w[3]),
        yMax: Number(w[4]),
        text: unescape(w[5]),
      }));
      if (words.length) lines.push({ page: pi, words });
    }
    pages.push(lines);
    texts.push(lines.map((l) => l.words.map((w) => w.text).join('')).join('\n'));
  }
  return { pages, texts };
}

function labelledTables(doc: ReportDocument): Table[] {
  return doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'table' && b.table.label !== undefined ? [b.table] : [])));
}

/** Pages [first, last] a 公开 table spans in a rendering: from its label to its notes (or its last row). */
function tableSpans(texts: string[], tables: Table[], from: number): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  const pages = texts.map(squash);
  for (const t of tables) {
    const first = pages.findIndex((p, i) => i >= from && p.includes(squash(t.label!)) && p.includes(squash(t.title)));
    const endMark = squash(t.notes[t.notes.length - 1] ?? t.body[t.body.length - 1].cells.map((c) => c.text).join(''));
    const last = pages.findIndex((p, i) => i >= first && p.includes(endMark.slice(0, 30)));
    out.set(t.id, [first, last]);
  }
  return out;
}

const ONE_PAGE = ['01', '04', '06', '07', '08', '09'];
const MAY_BREAK = ['02', '03', '05'];

describeTools('the PDF, measured from its glyph positions (sample report)', () => {
  const real = CASES.find((c) => c.name === 'real')!;
  let doc: ReportDocument;
  let lines: PdfLine[][];
  let texts: string[];
  const fonts = new FontSet();
  beforeAll(async () => {
    doc = real.doc();
    const pdf = await pdfOf(real);
    ({ pages: lines, texts } = withFile(pdf, (f) => bboxLines(f)));
  });

  it('no body line stretches more than 0.1 em between two characters, and every line reads as written', () => {
    const layout = layoutOf(real);
    let measured = 0;
    let worst = 0;
    lines.forEach((page, pi) => {
      if (pi <= layout.tocPages) return; // cover and 目录 (leaders)
      for (const line of page) {
        const h = line.words[0].yMax - line.words[0].yMin;
        if (h < 21 || h > 25) continue; // body size (16 pt) lines only; table cells and titles are other sizes
        const text = line.words.map((w) => w.text).join('');
        if (/^—\d+—$/.test(text)) continue;
        // Words split by the extractor: their gaps are gaps between characters.
        for (let k = 1; k < line.words.length; k++) {
          const gap = line.words[k].xMin - line.words[k - 1].xMax;
          worst = Math.max(worst, gap / BODY_SIZE);
          expect({ text, gap: Math.round((gap / BODY_SIZE) * 100) / 100 }).toEqual({ text, gap: expect.any(Number) });
          expect(gap).toBeLessThanOrEqual(0.1 * BODY_SIZE + 0.05);
        }
        // Within the line: the drawn width beyond the natural advances, shared by the gaps between atoms.
        const drawn = line.words[line.words.length - 1].xMax - line.words[0].xMin;
        const natural = Math.min(...(['serif', 'serifBold', 'sans'] as const).map((r) => Math.abs(fonts.measure(text, r, BODY_SIZE) - drawn)));
        const gaps = Math.max(1, tokenize(text).length - 1);
        const perGap = natural / gaps;
        worst = Math.max(worst, perGap / BODY_SIZE);
        expect({ text, perGapEm: perGap / BODY_SIZE <= 0.1 + 0.005 }).toEqual({ text, perGapEm: true });
        measured++;
      }
    });
    expect(measured).toBeGreaterThan(300);
    expect(worst).toBeLessThanOrEqual(0.105);
    // Text reads as written: no letter-spaced words ("基 本 支 出") and tabular figures read whole ("20.11").
    const all = texts.join('\n');
    expect(all).not.toMatch(/[\u4e00-\u9fff] [\u4e00-\u9fff] [\u4e00-\u9fff]/);
    expect(all).not.toMatch(/\d\.\d \d/);
    expect(all).toContain('20.11');
  });

  it('tables: 01 04 06 07 08 09 on one page each; 02 03 05 on one page or broken by the rules; body size at least 9 pt', () => {
    const layout = layoutReport(doc);
    const spans = tableSpans(texts, labelledTables(doc), 1 + layout.tocPages);
    for (const id of ONE_PAGE) {
      const [a, b] = spans.get(id)!;
      expect({ id, first: a >= 0, pages: b - a + 1 }).toEqual({ id, first: true, pages: 1 });
    }
    for (const id of MAY_BREAK) {
      const [a, b] = spans.get(id)!;
      expect(a).toBeGreaterThan(0);
      expect(b - a + 1).toBeLessThanOrEqual(2);
    }
    for (const t of labelledTables(doc)) {
      const fit = layout.tables.get(t.id)!;
      expect(fit.layout.size).toBeGreaterThanOrEqual(9);
      // Breaks by the rules: no continuation page under 5 body rows; a 类/款 row never ends a page without its first child; totals never alone.
      fit.pages.slice(1).forEach(([from, to]) => expect(to - from).toBeGreaterThanOrEqual(5));
      fit.pages.slice(0, -1).forEach(([, to]) => {
        const lastRow = t.body[to - 1];
        const next = t.body[to];
        expect(lastRow.role === 'subtotal' && next.level > lastRow.level).toBe(false);
        expect(t.body.slice(to).every((r) => r.role === 'total')).toBe(false);
      });
      // The page count read from the PDF is the layout's.
      const [a, b] = spans.get(t.id)!;
      expect(b - a + 1).toBe(fit.pages.length);
    }
    // One body size per orientation.
    const sizes = new Map<string, Set<number>>();
    for (const t of labelledTables(doc)) {
      const fit = layout.tables.get(t.id)!;
      if (!sizes.has(fit.orientation)) sizes.set(fit.orientation, new Set());
      sizes.get(fit.orientation)!.add(fit.layout.size);
    }
    for (const s of sizes.values()) expect(s.size).toBe(1);
  });

  it('heading styles by rank: 一、 黑体; （一） 楷体 (LXGW WenKai); 1． bold; （1） regular; all indented two characters', () => {
    const layout = layoutOf(real);
    const headings = doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'heading' ? [b] : [])));
    const items = layout.pages.flatMap((p) => p.items.filter((i): i is TextItem => i.kind === 'text' && i.tag === 'heading').map((i) => ({ i, left: p.geometry.left })));
    const want = { 1: 'sans', 2: fonts.hasKai ? 'kai' : 'serif', 3: 'serifBold', 4: 'serif' } as const;
    expect(fonts.hasKai).toBe(true); // LXGW WenKai installs with npm ci
    let at = 0;
    for (const h of headings) {
      // The first line of each heading, in order.
      const k = items.findIndex((x, n) => n >= at && squash(h.text).startsWith(squash(x.i.runs.map((r) => r.text).join(''))));
      expect(k).toBeGreaterThanOrEqual(0);
      const { i, left } = items[k];
      expect({ text: h.text, role: i.role }).toEqual({ text: h.text, role: want[headingRank(h)] });
      expect(i.x).toBeCloseTo(left + 2 * BODY_SIZE, 1);
      at = k + 1;
    }
  });
});

describeSoffice('the Word file as LibreOffice lays it out (sample report)', () => {
  const real = CASES.find((c) => c.name === 'real')!;
  let doc: ReportDocument;
  let texts: string[];
  let lines: PdfLine[][];
  let docx: Buffer;
  let pdfTexts: string[];
  beforeAll(async () => {
    doc = real.doc();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'done-when-'));
    try {
      docx = await renderDocx(doc);
      fs.writeFileSync(path.join(dir, 'report.docx'), docx);
      execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'report.docx')], { stdio: 'ignore', timeout: 120000 });
      ({ texts, pages: lines } = bboxLines(path.join(dir, 'report.pdf')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    ({ texts: pdfTexts } = withFile(await pdfOf(real), (f) => bboxLines(f)));
  }, 180000);

  it('each 公开 table spans the pages it spans in the PDF (01 04 06 07 08 09 one page each)', () => {
    const tables = labelledTables(doc);
    const firstBody = (t: string[]) => t.findIndex((p) => /—\s*1\s*—/.test(p));
    const word = tableSpans(texts, tables, firstBody(texts));
    const pdf = tableSpans(pdfTexts, tables, firstBody(pdfTexts));
    for (const t of tables) {
      const [a, b] = word.get(t.id)!;
      const [c, d] = pdf.get(t.id)!;
      expect({ id: t.id, found: a >= 0 && b >= a }).toEqual({ id: t.id, found: true });
      expect({ id: t.id, pages: b - a + 1 }).toEqual({ id: t.id, pages: d - c + 1 });
      if (ONE_PAGE.includes(t.id)) expect(b - a + 1).toBe(1);
    }
  });

  it('headings by rank as LibreOffice reads the Word file: 一、 outline level 2, （一） 3, 1． 4, （1） 5, in document order', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'done-when-odt-'));
    let content = '';
    try {
      fs.writeFileSync(path.join(dir, 'report.docx'), docx);
      execFileSync('soffice', ['--headless', '--convert-to', 'odt', '--outdir', dir, path.join(dir, 'report.docx')], { stdio: 'ignore', timeout: 120000 });
      content = await (await JSZip.loadAsync(fs.readFileSync(path.join(dir, 'report.odt')))).file('content.xml')!.async('string');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const read = Array.from(content.matchAll(/<text:h\b[^>]*text:outline-level="(\d)"[^>]*>([\s\S]*?)<\/text:h>/g), (m) => ({
      level: Number(m[1]),
      text: squash(m[2].replace(/<[^>]+>/g, '')),
    })).filter((h) => h.level > 1);
    const want = doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'heading' ? [{ level: headingRank(b) + 1, text: squash(b.text) }] : [])));
    expect(read.length).toBeGreaterThan(20);
    expect(read).toEqual(want);
    // The sample numbers down to 1． (no （1）).
    expect([...new Set(read.map((h) => h.level))].sort()).toEqual([2, 3, 4]);
  });

  /*
   * Body lines. LibreOffice breaks and justifies the Word file's lines itself,
   * and it always adds its own space at every Han–Latin and Han–digit joint:
   * its DOCX import ignores w:autoSpaceDE / w:autoSpaceDN (writerfilter's
   * DomainMapper has an empty case for both), so those joints are about
   * 0.2 em wide, and a line that holds them or that ends before a figure it
   * cannot split is letter-spaced to the measure. Measured on the sample:
   * 638 body lines, 232 with a Han–figure joint wider than 0.1 em, 18 with a
   * gap between two Han characters wider than 0.1 em, all of them next to a
   * figure. What can be asserted honestly: the Word file asks for what
   * prevents it (justified body, no autospace: Word honours both), and
   * LibreOffice's stretch between Han characters stays rare and is always
   * caused by a figure.
   */
  it('body lines: the docx asks for no autospace; LibreOffice widens a gap between two Han characters beyond 0.1 em only next to a figure, on under 5 % of lines', async () => {
    const styles = await (await JSZip.loadAsync(docx)).file('word/styles.xml')!.async('string');
    const normal = /<w:style w:type="paragraph" w:styleId="Normal"[^>]*>[\s\S]*?<\/w:style>/.exec(styles)![0];
    const defaults = /<w:pPrDefault>[\s\S]*?<\/w:pPrDefault>/.exec(styles)![0];
    for (const x of [normal, defaults]) {
      expect(x).toContain('<w:autoSpaceDE w:val="0"/>');
      expect(x).toContain('<w:autoSpaceDN w:val="0"/>');
    }
    expect(normal).toContain('<w:jc w:val="both"/>');

    const han = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;
    const figure = /[0-9A-Za-z]/;
    const start = texts.findIndex((p) => /—\s*1\s*—/.test(p));
    const body = lines.slice(start).flat().filter((l) => {
      const h = l.words[0].yMax - l.words[0].yMin;
      return h > 19 && h < 23 && !/^—\d+—$/.test(l.words.map((w) => w.text).join(''));
    });
    let stretched = 0;
    body.forEach((line, i) => {
      const text = line.words.map((w) => w.text).join('');
      let worst = 0;
      for (let k = 1; k < line.words.length; k++) {
        const a = line.words[k - 1].text;
        const b = line.words[k].text;
        if (han.test(a[a.length - 1]) && han.test(b[0])) worst = Math.max(worst, (line.words[k].xMin - line.words[k - 1].xMax) / BODY_SIZE);
      }
      if (worst <= 0.1 + 0.005) return;
      stretched++;
      const next = body[i + 1]?.words.map((w) => w.text).join('') ?? '';
      expect({ text, next, nearFigure: figure.test(text) || figure.test(next[0] ?? '') }).toEqual({ text, next, nearFigure: true });
    });
    expect(body.length).toBeGreaterThan(500);
    expect(stretched / body.length).toBeLessThan(0.05);
  });

  it('the parts and tables start on the pages the 目录 gives (the PDF layout), within one page for the text parts', () => {
    const entries = layoutReport(doc).anchors.filter((a) => a.toc !== undefined && a.kind !== 'heading');
    const start = texts.findIndex((p) => /—\s*1\s*—/.test(p));
    const layout = layoutReport(doc);
    for (const e of entries) {
      const want = layout.pages[e.page].number!;
      const at = texts.findIndex((p, i) => i >= start && squash(p).includes(squash(e.toc!)));
      const printed = Number(/—\s*(\d+)\s*—/.exec(texts[at])?.[1]);
      if (e.kind === 'table') expect({ entry: e.toc, page: printed }).toEqual({ entry: e.toc, page: want });
      else expect(Math.abs(printed - want)).toBeLessThanOrEqual(1);
    }
  });
});
