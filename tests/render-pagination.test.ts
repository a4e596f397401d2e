/**
 * One pagination (issue #9) and the PDF 目录 (issue #10): the Word file's TOC
 * page numbers are the PDF's, entry by entry; the PDF's 目录 lists the parts,
 * the 一、 sections and the 公开 tables with the printed page each starts on,
 * read back from the PDF itself; every entry is a link to its page; a layout
 * can ask for a 目录 without page numbers.
 */
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import type { ReportDocument } from '../src/document/types';
import { renderDocx } from '../src/render/docx';
import { renderPdf } from '../src/render/pdf';
import { layoutReport, tocEntries } from '../src/layout/pagination';
import { bodyBlocks, descendants, openDocx, textOf } from './helpers/docx-read';
import { CASES, hasTool, pdfOf, squash } from './helpers/pdf';

const itPoppler = hasTool('pdftotext') ? it : it.skip;

/** The TOC entries of a docx: text and page number, in order. */
async function docxToc(buf: Buffer): Promise<Array<{ text: string; page: string }>> {
  const { blocks } = bodyBlocks(await (await openDocx(buf)).text('word/document.xml'));
  const toc = blocks.find((b) => b.kind === 'toc');
  if (!toc || toc.kind !== 'toc') throw new Error('no TOC');
  return toc.paragraphs
    .map((p) => textOf(p))
    .filter((t) => t !== '')
    .map((t) => {
      const [text, page] = t.split('\t');
      return { text, page: page ?? '' };
    });
}

/** Page texts of a PDF, one string per page (pdftotext). */
function pageTexts(pdf: Buffer): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { withFile } = require('./helpers/pdf') as typeof import('./helpers/pdf');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { execFileSync } = require('child_process') as typeof import('child_process');
  return withFile(pdf, (file) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).split('\f');
}

describe.each(CASES.filter((c) => c.name !== 'long'))('one pagination ($name)', (c) => {
  let doc: ReportDocument;
  let pdf: Buffer;
  beforeAll(async () => {
    doc = c.doc();
    pdf = await pdfOf(c);
  });

  it('the Word TOC lists the same entries as the PDF 目录, with the same page numbers, entry by entry', async () => {
    const word = await docxToc(await renderDocx(doc));
    const entries = tocEntries(layoutReport(doc));
    expect(word.map((w) => w.text)).toEqual(entries.map((e) => e.text));
    expect(word.map((w) => w.page)).toEqual(entries.map((e) => String(e.page)));
    // Parts, sections and every 公开 table are listed.
    const labelled = doc.parts.flatMap((p) => p.blocks.filter((b) => b.kind === 'table' && b.table.label !== undefined));
    expect(entries.filter((e) => e.kind === 'table')).toHaveLength(labelled.length);
    expect(entries.filter((e) => e.kind === 'part')).toHaveLength(doc.parts.length);
  });

  itPoppler('the PDF 目录 gives each entry the printed page number of the page it starts on (read back from the PDF)', () => {
    const pages = pageTexts(pdf);
    const printed = pages.map((t) => Number(/—\s*(\d+)\s*—/.exec(t)?.[1] ?? NaN));
    const tocPageCount = layoutReport(doc).tocPages;
    expect(tocPageCount).toBeGreaterThan(0);
    const tocText = pages.slice(1, 1 + tocPageCount).join('\n').split('\n').map((l) => l.trim()).filter(Boolean);
    const entries = tocEntries(layoutReport(doc));
    let from = 0;
    for (const e of entries) {
      // The 目录 line: the entry's text, a leader, the number.
      const i = tocText.findIndex((l, k) => k >= from && squash(l).startsWith(squash(e.text).slice(0, 12)));
      expect({ entry: e.text, found: i >= 0 }).toEqual({ entry: e.text, found: true });
      let line = tocText[i];
      // A wrapped entry carries its number on its last line.
      for (let k = i; !/\d+\s*$/.test(line) && k + 1 < tocText.length; k++) line = tocText[k + 1];
      const listed = Number(/(\d+)\s*$/.exec(line)?.[1]);
      from = i + 1;
      // The page whose text holds the entry's heading, after the 目录.
      const at = pages.findIndex((t, k) => k > tocPageCount && squash(t).includes(squash(e.text)));
      expect(at).toBeGreaterThan(tocPageCount);
      expect({ entry: e.text, listed }).toEqual({ entry: e.text, listed: printed[at] });
    }
  });

  it('each 目录 entry is a link to the page of its target', async () => {
    const loaded = await PDFDocument.load(pdf, { updateMetadata: false });
    const refs = loaded.getPages().map((p) => p.ref.toString());
    const layout = layoutReport(doc);
    const entries = tocEntries(layout);
    const dests: string[] = [];
    for (const page of loaded.getPages().slice(1, 1 + layout.tocPages)) {
      const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
      if (!annots) continue;
      for (let i = 0; i < annots.size(); i++) {
        const a = annots.lookup(i, PDFDict);
        expect(a.get(PDFName.of('Subtype'))?.toString()).toBe('/Link');
        const dest = a.lookup(PDFName.of('Dest'), PDFArray);
        dests.push((dest.get(0) as PDFRef).toString());
      }
    }
    expect(dests).toEqual(entries.map((e) => refs[e.pageIndex]));
  });
});

describe('a 目录 without page numbers (layout option toc.pageNumbers: false)', () => {
  const c = CASES[0];
  let doc: ReportDocument;
  beforeAll(() => {
    doc = { ...c.doc(), layout: { toc: { pageNumbers: false } } };
  });

  it('the Word TOC lists every entry without a number', async () => {
    const word = await docxToc(await renderDocx(doc));
    expect(word.length).toBe(tocEntries(layoutReport(doc)).length);
    expect(word.every((w) => w.page === '')).toBe(true);
  });

  itPoppler('the PDF 目录 lists every entry without a number or leader', async () => {
    const layout = layoutReport(doc);
    const pdf = await renderPdf(doc);
    const toc = pageTexts(pdf).slice(1, 1 + layout.tocPages).join('\n');
    for (const e of tocEntries(layout)) expect(squash(toc)).toContain(squash(e.text));
    expect(toc).not.toMatch(/·/);
    expect(toc.split('\n').filter((l) => /\d+\s*$/.test(l) && !/年/.test(l))).toEqual([]);
  });
});

describe('the TOC field', () => {
  it('lists the 公开 tables by their title style (\\t "TableTitle,2")', async () => {
    const { blocks } = bodyBlocks(await (await openDocx(await renderDocx(CASES[0].doc()))).text('word/document.xml'));
    const toc = blocks.find((b) => b.kind === 'toc');
    if (!toc || toc.kind !== 'toc') throw new Error('no TOC');
    const instr = descendants(toc.el, 'w:instrText').map((e) => e.children.filter((x) => typeof x === 'string').join(''))[0];
    expect(instr).toContain('\\t "TableTitle,2"');
  });
});
