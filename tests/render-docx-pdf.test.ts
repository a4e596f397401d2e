/**
 * The .docx opens in another word processor: LibreOffice headless converts it
 * to PDF, and the PDF has the pages, the landscape pages, the page numbers and
 * the text we expect. Skipped when `soffice` is not on PATH (CI installs it).
 */
import { layoutReport } from '../src/layout/pagination';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ReportDocument } from '../src/document/types';
import { renderDocx } from '../src/render/docx';
import { miniDocument } from './fixtures/mini-document';
import { haveDataYaml, loadRealDocument } from './helpers/docx-model';

const which = (cmd: string): boolean => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

const haveTools = which('soffice') && which('pdftotext') && which('pdfinfo');
const maybe = haveTools ? describe : describe.skip;

const documents: Array<[string, () => ReportDocument]> = [['mini document', () => miniDocument]];
if (haveDataYaml()) documents.push(['data.yaml report', loadRealDocument]);

interface Pdf {
  pages: number;
  sizes: Array<{ w: number; h: number }>;
  pageTexts: string[];
}

function convert(buf: Buffer): Pdf {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'render-docx-pdf-'));
  try {
    const file = path.join(dir, 'report.docx');
    fs.writeFileSync(file, buf);
    // A profile of our own, so a concurrent LibreOffice (another test, a user) does not block us.
    const profile = 'file://' + path.join(dir, 'profile');
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file], {
      stdio: 'pipe',
      timeout: 180000,
    });
    const pdf = path.join(dir, 'report.pdf');
    if (!fs.existsSync(pdf)) throw new Error('LibreOffice produced no PDF');
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '9999', pdf], { encoding: 'utf8' });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
    const sizes = [...info.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)/gm)].map((m) => ({ w: Number(m[1]), h: Number(m[2]) }));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { pages, sizes, pageTexts: text.split('\f').slice(0, pages) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Text with all whitespace removed: pdftotext breaks lines and spaces CJK text freely. */
const squash = (s: string) => s.replace(/\s+/g, '');

maybe.each(documents)('LibreOffice converts the %s', (_name, load) => {
  let doc: ReportDocument;
  let pdf: Pdf;
  beforeAll(async () => {
    doc = load();
    pdf = convert(await renderDocx(doc));
  });

  const tables = () => doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : [])));

  test('into enough pages: title, TOC, each part and each 公开 table starting a page', () => {
    const labelled = tables().filter((t) => t.label !== undefined).length;
    // A table right after its part title shares that page.
    const sharing = doc.parts.filter((p) => p.blocks[0]?.kind === 'table' && p.blocks[0].table.label !== undefined).length;
    expect(pdf.pages).toBeGreaterThanOrEqual(2 + doc.parts.length + labelled - sharing);
  });

  test('with a landscape page for every landscape table, and A4 portrait pages otherwise', () => {
    const landscape = pdf.sizes.filter((s) => s.w > s.h);
    expect(landscape.length).toBeGreaterThanOrEqual(tables().filter((t) => (layoutReport(doc).tables.get(t.id)?.orientation ?? t.orientation) === 'landscape').length);
    for (const s of pdf.sizes) {
      expect(Math.round(Math.min(s.w, s.h))).toBe(595);
      expect(Math.round(Math.max(s.w, s.h))).toBe(842);
    }
    expect(pdf.sizes[0].w).toBeLessThan(pdf.sizes[0].h);
  });

  test('the title page, the TOC entries, the part titles and every table title are in the text', () => {
    const all = squash(pdf.pageTexts.join(''));
    expect(squash(pdf.pageTexts[0])).toContain(squash(doc.meta.titlePage.title.join('')));
    // The TOC runs from page 2 up to the first numbered page.
    const firstNumbered = pdf.pageTexts.findIndex((t) => /—\s*1\s*—/.test(t));
    expect(firstNumbered).toBeGreaterThanOrEqual(2);
    const toc = squash(pdf.pageTexts.slice(1, firstNumbered).join(''));
    for (const p of doc.parts) expect(toc).toContain(squash(`${p.label}${p.title}`));
    for (const p of doc.parts) expect(all).toContain(squash(p.title));
    for (const t of tables()) {
      expect(all).toContain(squash(t.title));
      if (t.label) expect(all).toContain(squash(t.label));
      for (const note of t.notes) expect(all).toContain(squash(note));
    }
  });

  test('the TOC page numbers are the pages the headings are on (within one page)', () => {
    const firstNumbered = pdf.pageTexts.findIndex((t) => /—\s*1\s*—/.test(t));
    const tocLines = pdf.pageTexts.slice(1, firstNumbered).join('\n').split('\n');
    for (const part of doc.parts) {
      const line = tocLines.find((l) => squash(l).startsWith(squash(`${part.label}${part.title}`)));
      expect(line).toBeDefined();
      const listed = Number(/(\d+)\s*$/.exec(line!)?.[1]);
      const pdfIndex = pdf.pageTexts.findIndex((t, i) => i >= firstNumbered && squash(t).startsWith(squash(`${part.label}${part.title}`)));
      expect(pdfIndex).toBeGreaterThanOrEqual(firstNumbered);
      const actual = pdfIndex - firstNumbered + 1;
      expect(Math.abs(listed - actual)).toBeLessThanOrEqual(1);
    }
  });

  test('page numbers "— N —" from 1 on the first page of the body, none on the title page', () => {
    expect(pdf.pageTexts[0]).not.toMatch(/—\s*\d+\s*—/);
    const numbered = pdf.pageTexts.map((t) => /—\s*(\d+)\s*—/.exec(t)?.[1]).filter((n): n is string => n !== undefined).map(Number);
    expect(numbered[0]).toBe(1);
    expect(numbered).toEqual(numbered.map((_, i) => i + 1));
    expect(numbered.length).toBeGreaterThanOrEqual(pdf.pages - 3); // all but title and TOC page(s)
  });
});

if (!haveTools) {
  test.skip('LibreOffice conversion (soffice/pdftotext not on PATH)', () => undefined);
}
