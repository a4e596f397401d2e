/**
 * The Word writer: reads the .docx back and checks it against the model
 * (text paragraph by paragraph, tables cell by cell), the page setup and
 * typography, the navigation structure, and byte-for-byte determinism.
 *
 * Runs on the mini fixture and, once data.yaml exists, on the real report.
 */
import JSZip from 'jszip';
import type { ReportDocument, Table } from '../src/document/types';
import { renderDocx, TOC_LEVELS } from '../src/render/docx';
import { apportion, fitColumnWidths, measureEm, minimumWidths } from '../src/render/docx/widths';
import { chooseTableType, placeHeader, wrappedRowShare } from '../src/render/docx/table';
import { miniDocument } from './fixtures/mini-document';
import { headingRank } from '../src/layout/spec';
import { layoutReport, tocEntries } from '../src/layout/pagination';
import {
  attr,
  bodyBlocks,
  child,
  descendants,
  elements,
  openDocx,
  parseXml,
  textOf,
  type OpenedDocx,
  type ReadBlock,
  type XmlElement,
} from './helpers/docx-read';
import { compareBlocks, compareDocxToModel, contentBlocks, expectedBlocks, haveDataYaml, loadRealDocument } from './helpers/docx-model';

const A4 = { w: 11906, h: 16838 };
const PORTRAIT_MARGIN = { top: 2098, bottom: 1984, left: 1587, right: 1474 }; // 37/35/28/26 mm
const PORTRAIT_TEXT_WIDTH = A4.w - PORTRAIT_MARGIN.left - PORTRAIT_MARGIN.right;
const LANDSCAPE_TEXT_WIDTH = A4.h - 2098 - 1984; // 37/35 mm: the portrait type area turned, as in the PDF

interface Rendered {
  doc: ReportDocument;
  buf: Buffer;
  docx: OpenedDocx;
  blocks: ReadBlock[];
  finalSectPr: XmlElement;
}

async function render(doc: ReportDocument): Promise<Rendered> {
  const buf = await renderDocx(doc);
  const docx = await openDocx(buf);
  const { blocks, finalSectPr } = bodyBlocks(await docx.text('word/document.xml'));
  return { doc, buf, docx, blocks, finalSectPr };
}

/** Sections in order, each with its blocks and its w:sectPr. */
function sections(r: Rendered): Array<{ blocks: ReadBlock[]; sectPr: XmlElement }> {
  const out: Array<{ blocks: ReadBlock[]; sectPr: XmlElement }> = [];
  let current: ReadBlock[] = [];
  for (const b of r.blocks) {
    current.push(b);
    if (b.kind === 'paragraph' && b.sectPr) {
      out.push({ blocks: current, sectPr: b.sectPr });
      current = [];
    }
  }
  out.push({ blocks: current, sectPr: r.finalSectPr });
  return out;
}

const pageOf = (sectPr: XmlElement) => {
  const sz = child(sectPr, 'w:pgSz')!;
  const mar = child(sectPr, 'w:pgMar')!;
  const n = (el: XmlElement, a: string) => Number(attr(el, a));
  return {
    w: n(sz, 'w:w'),
    h: n(sz, 'w:h'),
    orient: attr(sz, 'w:orient'),
    top: n(mar, 'w:top'),
    bottom: n(mar, 'w:bottom'),
    left: n(mar, 'w:left'),
    right: n(mar, 'w:right'),
    footer: n(mar, 'w:footer'),
  };
};

const tablesOf = (doc: ReportDocument): Table[] =>
  doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : [])));

const documents: Array<[string, () => ReportDocument]> = [['mini document', () => miniDocument]];
if (haveDataYaml()) documents.push(['data.yaml report', loadRealDocument]);

describe.each(documents)('renderDocx on the %s', (_name, load) => {
  let r: Rendered;
  beforeAll(async () => {
    r = await render(load());
  });

  test('is a zip with the parts Word needs', () => {
    for (const part of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml', 'word/settings.xml', 'word/fontTable.xml', 'docProps/core.xml']) {
      expect(r.docx.names).toContain(part);
    }
    expect(r.buf.subarray(0, 2).toString('latin1')).toBe('PK');
  });

  test('every paragraph outside tables equals the model, in order, with its style', () => {
    expect(compareBlocks(r.blocks, r.doc)).toEqual([]);
    // Sanity: the comparison saw everything (it is not vacuous).
    expect(contentBlocks(r.blocks)).toHaveLength(expectedBlocks(r.doc).length);
  });

  test('every table cell equals the model cell (header + body, in order, spans as vMerge/gridSpan)', () => {
    const tables = r.blocks.filter((b) => b.kind === 'table');
    expect(tables).toHaveLength(tablesOf(r.doc).length);
    // compareBlocks walks every table; here make sure the cell count is what the model has.
    const readCells = tables.reduce((n, t) => n + (t.kind === 'table' ? t.rows.reduce((m, row) => m + row.cells.filter((c) => c.vMerge !== 'continue').length, 0) : 0), 0);
    const modelCells = tablesOf(r.doc).reduce((n, t) => n + t.header.reduce((m, row) => m + row.length, 0) + t.body.reduce((m, row) => m + row.cells.length, 0), 0);
    expect(readCells).toBe(modelCells);
  });

  test('table columns are the page layout\'s (fill the text width, no number wraps); amounts right-aligned; names indented by level', () => {
    const read = r.blocks.filter((b) => b.kind === 'table');
    tablesOf(r.doc).forEach((table, i) => {
      const t = read[i];
      if (t.kind !== 'table') throw new Error('not a table');
      const total = t.grid.reduce((a, b) => a + b, 0);
      const landscape = (layoutReport(r.doc).tables.get(table.id)?.orientation ?? table.orientation) === 'landscape';
      expect(total).toBe(landscape ? LANDSCAPE_TEXT_WIDTH : PORTRAIT_TEXT_WIDTH);
      // The table is set in 五号 or, when crowded, 小五; every cell paragraph uses the same style.
      const styles = new Set(t.rows.flatMap((row) => row.cells.flatMap((c) => c.paragraphs.map((p) => attr(child(child(p, 'w:pPr'), 'w:pStyle'), 'w:val')))));
      expect(styles.size).toBe(1);
      const [style] = [...styles];
      // The size the page layout chose (TableText90 = 9 pt), or 五号/小五 without a layout.
      expect(style).toMatch(/^TableText(Small|\d+)?$/);
      const em = style === 'TableText' ? 210 : style === 'TableTextSmall' ? 180 : Number(String(style).slice(9)) * 2;
      // Every single-column cell of a number-like column fits on one line.
      const fit = layoutReport(r.doc).tables.get(table.id);
      if (!fit) throw new Error(`table ${table.id} not fitted`);
      // The columns are the page layout's (the PDF's), scaled to the text width.
      const lw = fit.layout.colX.slice(1).map((x, k) => x - fit.layout.colX[k]);
      lw.forEach((w, k) => expect(Math.abs(t.grid[k] - (w / fit.layout.width) * total)).toBeLessThanOrEqual(1));
      expect(em).toBe(Math.round(fit.layout.size * 20));
      // Every single-column cell of a number-like column fits on one line.
      const need = minimumWidths(table, { em, padding: 2 * Math.round((fit.layout.padX - 1) * 20), slack: 0 });
      table.columns.forEach((c, k) => {
        if (c.kind !== 'text') expect(t.grid[k]).toBeGreaterThanOrEqual(need[k]);
      });
      expect(attr(child(child(t.el, 'w:tblPr'), 'w:tblLayout'), 'w:type')).toBe('fixed');

      table.body.forEach((row, ri) => {
        const cells = t.rows[table.header.length + ri].cells;
        let col = 0;
        row.cells.forEach((cell, ci) => {
          const column = table.columns[col];
          col += cell.colSpan ?? 1;
          const p = cells[ci].paragraphs[0];
          const pPr = child(p, 'w:pPr');
          const jc = attr(child(pPr, 'w:jc'), 'w:val');
          expect(jc).toBe(cell.align ?? column.align);
          const indent = Number(attr(child(pPr, 'w:ind'), 'w:left') ?? 0);
          const expectIndent = column.kind === 'text' && (cell.align ?? column.align) === 'left' && row.level > 0;
          expect(indent > 0).toBe(expectIndent);
          if (expectIndent) expect(indent).toBe(Math.round((row.level * em) / 2)); // half a character per level, as in the PDF
        });
      });
    });
  });

  test('header rows repeat and are centred; the 栏次 row is the last header row', () => {
    const read = r.blocks.filter((b) => b.kind === 'table');
    tablesOf(r.doc).forEach((table, i) => {
      const t = read[i];
      if (t.kind !== 'table') throw new Error('not a table');
      t.rows.slice(0, table.header.length).forEach((row) => {
        expect(row.tblHeader).toBe(true);
        for (const c of row.cells) expect(attr(child(child(c.paragraphs[0], 'w:pPr'), 'w:jc'), 'w:val')).toBe('center');
      });
      if (table.columnNumberRow >= 0) expect(table.columnNumberRow).toBe(table.header.length - 1);
    });
  });

  test('sections: title+TOC, then each part on a new page; landscape tables on landscape pages of their own', () => {
    const secs = sections(r);
    const front = secs[0];
    expect(front.blocks.some((b) => b.kind === 'toc')).toBe(true);
    expect(elements(front.sectPr, 'w:footerReference')).toHaveLength(0); // no page number on title/TOC

    const body = secs.slice(1);
    body.forEach((s, i) => {
      const page = pageOf(s.sectPr);
      expect(attr(child(s.sectPr, 'w:type'), 'w:val') ?? 'nextPage').toBe('nextPage');
      // The first body section defines the odd/even page-number footers; the others inherit them.
      const refs = elements(s.sectPr, 'w:footerReference').map((f) => attr(f, 'w:type')).sort();
      expect(refs).toEqual(i === 0 ? ['default', 'even'] : []);
      expect(elements(s.sectPr, 'w:headerReference')).toHaveLength(0);
      if (i === 0) expect(attr(child(s.sectPr, 'w:pgNumType'), 'w:start')).toBe('1');
      else expect(attr(child(s.sectPr, 'w:pgNumType'), 'w:start')).toBeUndefined();
      const tables = s.blocks.filter((b) => b.kind === 'table');
      if (page.orient === 'landscape') {
        expect(page.w).toBe(A4.h);
        expect(page.h).toBe(A4.w);
        expect(tables).toHaveLength(1);
      } else {
        expect({ w: page.w, h: page.h }).toEqual(A4);
        expect({ top: page.top, bottom: page.bottom, left: page.left, right: page.right }).toEqual(PORTRAIT_MARGIN);
      }
    });

    // Every part title opens a section (so it starts on a new page).
    const starts = body.map((s) => contentBlocks(s.blocks)[0]);
    const partTitles = r.blocks.filter((b) => b.kind === 'paragraph' && b.style === 'Heading1');
    expect(partTitles).toHaveLength(r.doc.parts.length);
    for (const p of partTitles) expect(starts).toContain(p);

    // Landscape tables are exactly the tables in landscape sections.
    const readTables = r.blocks.filter((b) => b.kind === 'table');
    const orientationOfTable = new Map<ReadBlock, string>();
    for (const s of body) for (const b of s.blocks) if (b.kind === 'table') orientationOfTable.set(b, pageOf(s.sectPr).orient ?? 'portrait');
    tablesOf(r.doc).forEach((t, i) => expect(orientationOfTable.get(readTables[i])).toBe(layoutReport(r.doc).tables.get(t.id)?.orientation ?? t.orientation));
  });

  test('each 公开 table starts on a new page: first in its section or after a page break', () => {
    const secs = sections(r).slice(1);
    for (const s of secs) {
      const content = contentBlocks(s.blocks);
      content.forEach((b, i) => {
        if (b.kind !== 'paragraph') return;
        // Never under the part title: the part title has its page, as in the PDF.
        if (b.style === 'TableTitle') expect(i === 0 ? !b.pageBreakBefore : b.pageBreakBefore).toBe(true);
        if (b.style === 'InlineTableTitle') expect(b.pageBreakBefore).toBe(false); // in-text tables flow with the text
      });
    }
    const titles = contentBlocks(r.blocks).filter((b) => b.kind === 'paragraph' && b.style === 'TableTitle');
    expect(titles).toHaveLength(tablesOf(r.doc).filter((t) => t.label !== undefined).length);
  });

  test('a real TOC field over the heading styles and the table titles, pre-filled with the parts, the 一、 sections and the 公开 tables, with the pages of our page layout', () => {
    const toc = r.blocks.find((b) => b.kind === 'toc');
    if (!toc || toc.kind !== 'toc') throw new Error('no TOC');
    expect(attr(descendants(toc.el, 'w:docPartGallery')[0], 'w:val')).toBe('Table of Contents');
    const instr = descendants(toc.el, 'w:instrText').map((e) => textOf({ ...e, name: 'x', children: [{ name: 'w:t', attrs: {}, children: e.children }] }));
    expect(instr[0]).toMatch(new RegExp(`^TOC .*\\\\o "${TOC_LEVELS}"`));
    expect(instr[0]).toContain('\\h');
    expect(instr[0]).toContain('\\t "TableTitle,2"');
    const lines = toc.paragraphs.map((p) => textOf(p)).filter((t) => t !== '');
    const entries = lines.map((t) => t.replace(/\t.*$/, ''));
    // Each entry ends with a tab and its (estimated) page number, the first body page being 1.
    const pages = lines.map((t) => Number(/\t(\d+)$/.exec(t)?.[1]));
    expect(pages.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
    expect(pages[0]).toBe(1);
    expect([...pages].sort((a, b) => a - b)).toEqual(pages);
    // Word rebuilds it on opening: the TOC field is dirty.
    expect(attr(descendants(toc.el, 'w:fldChar')[0], 'w:dirty')).toBe('true');
    const expected = r.doc.parts.flatMap((p) => [
      `${p.label} ${p.title}`,
      ...p.blocks.flatMap((b) =>
        b.kind === 'heading' && headingRank(b) === 1 ? [b.text] : b.kind === 'table' && b.table.label !== undefined ? [b.table.title] : [],
      ),
    ]);
    expect(entries).toEqual(expected);
    // The pages are those of the one page layout (the PDF's).
    const layout = tocEntries(layoutReport(r.doc));
    expect(layout.map((e) => e.text)).toEqual(entries);
    expect(pages).toEqual(layout.map((e) => e.page));
    // Each entry links to a bookmark on its heading.
    const anchors = descendants(toc.el, 'w:hyperlink').map((h) => attr(h, 'w:anchor'));
    const headingBookmarks = r.blocks
      .filter((b) => b.kind === 'paragraph' && /^(Heading[12]|TableTitle)$/.test(b.style ?? ''))
      .map((b) => (b.kind === 'paragraph' ? attr(descendants(b.el, 'w:bookmarkStart')[0], 'w:name') : undefined));
    expect(anchors).toEqual(headingBookmarks);
    expect(new Set(anchors).size).toBe(anchors.length);
  });

  test('headings use Heading1..5 styles: part titles on top, then by numbering form (一、 Heading2 … （1） Heading5), in the 附件 too', () => {
    const headings = contentBlocks(r.blocks).flatMap((b) => (b.kind === 'paragraph' && /^Heading/.test(b.style ?? '') ? [{ style: b.style, text: textOf(b.el) }] : []));
    const expected = r.doc.parts.flatMap((p) => ['Heading1', ...p.blocks.flatMap((b) => (b.kind === 'heading' ? [`Heading${headingRank(b) + 1}`] : []))]);
    expect(headings.map((h) => h.style)).toEqual(expected);
    // Asserted by form, not through headingRank: every heading of a form has its style.
    const FORM: Array<[RegExp, string]> = [[/^[一二三四五六七八九十]+、/, 'Heading2'], [/^（[一二三四五六七八九十]+）/, 'Heading3'], [/^\d+．/, 'Heading4'], [/^（\d+）/, 'Heading5']];
    for (const h of headings) for (const [re, style] of FORM) if (re.test(h.text)) expect(`${h.style} ${h.text}`).toBe(`${style} ${h.text}`);
    const att = headings.filter((h) => h.text === '一、基本情况');
    expect(att.map((h) => h.style)).toEqual(att.map(() => 'Heading2'));
    // In the sample's 附件, "一、基本情况" sits at model level 2 under the 附件 title, yet is set as every 一、.
    const inModel = r.doc.parts.flatMap((p) => p.blocks).filter((b) => b.kind === 'heading' && b.text === '一、基本情况');
    expect(att).toHaveLength(inModel.length);
    if (inModel.length) expect(inModel[0]).toMatchObject({ level: 2 });
  });
});

describe('typography', () => {
  let styles: XmlElement;
  let fontTable: XmlElement;
  let settings: XmlElement;
  let docx: OpenedDocx;
  const styleById = (id: string) => {
    const s = elements(styles, 'w:style').find((e) => attr(e, 'w:styleId') === id);
    if (!s) throw new Error(`no style ${id}`);
    return s;
  };
  const rFonts = (el: XmlElement | undefined) => child(child(el, 'w:rPr'), 'w:rFonts');
  const size = (el: XmlElement | undefined) => Number(attr(child(child(el, 'w:rPr'), 'w:sz'), 'w:val'));

  beforeAll(async () => {
    docx = await openDocx(await renderDocx(miniDocument));
    styles = await docx.xml('word/styles.xml');
    fontTable = await docx.xml('word/fontTable.xml');
    settings = await docx.xml('word/settings.xml');
  });

  test('body text is 仿宋 三号 with a declared East Asian font, Times New Roman for Latin', () => {
    const defaults = child(child(styles, 'w:docDefaults'), 'w:rPrDefault');
    const f = rFonts(defaults)!;
    expect(f.attrs).toMatchObject({ 'w:eastAsia': '仿宋_GB2312', 'w:ascii': 'Times New Roman', 'w:hAnsi': 'Times New Roman', 'w:hint': 'eastAsia' });
    expect(size(defaults)).toBe(32);
    expect(attr(child(child(defaults, 'w:rPr'), 'w:lang'), 'w:eastAsia')).toBe('zh-CN');
    expect(rFonts(styleById('Normal'))!.attrs['w:eastAsia']).toBe('仿宋_GB2312');
  });

  test('fixed line spacing of 22 lines a page (28.95 pt) and a two-character first-line indent for body paragraphs', () => {
    const spacing = child(child(styleById('Normal'), 'w:pPr'), 'w:spacing')!;
    expect(spacing.attrs).toMatchObject({ 'w:line': '580', 'w:lineRule': 'exact' }); // 225 mm / 22 lines, as the PDF
    const ind = child(child(styleById('ReportBody'), 'w:pPr'), 'w:ind')!;
    expect(ind.attrs).toMatchObject({ 'w:firstLineChars': '200', 'w:firstLine': '640' });
    expect(child(child(styleById('ReportPlain'), 'w:pPr'), 'w:ind')).toBeUndefined();
  });

  test('no autospace between Han and Latin/digits (as the PDF), in schema order before w:spacing, in the defaults and Normal', () => {
    const pPrDefault = child(child(child(styles, 'w:docDefaults'), 'w:pPrDefault'), 'w:pPr')!;
    for (const pPr of [pPrDefault, child(styleById('Normal'), 'w:pPr')!]) {
      const names = pPr.children.filter((c): c is XmlElement => typeof c !== 'string').map((c) => c.name);
      expect(names.slice(0, 3)).toEqual(['w:autoSpaceDE', 'w:autoSpaceDN', 'w:spacing']);
      expect(attr(child(pPr, 'w:autoSpaceDE'), 'w:val')).toBe('0');
      expect(attr(child(pPr, 'w:autoSpaceDN'), 'w:val')).toBe('0');
    }
  });

  test('heading faces: parts and 一、 黑体, （一） 楷体, 1． and （1） 仿宋; all built-in heading styles with outline levels', () => {
    const face = (id: string) => rFonts(styleById(id))!.attrs['w:eastAsia'];
    expect(face('Heading1')).toBe('黑体');
    expect(face('Heading2')).toBe('黑体');
    expect(face('Heading3')).toBe('楷体_GB2312');
    expect(face('Heading4')).toBe('仿宋_GB2312');
    expect(face('Heading5')).toBe('仿宋_GB2312');
    for (let i = 1; i <= 5; i++) {
      const s = styleById(`Heading${i}`);
      expect(attr(child(s, 'w:name'), 'w:val')).toBe(`heading ${i}`);
      expect(attr(child(child(s, 'w:pPr'), 'w:outlineLvl'), 'w:val')).toBe(String(i - 1));
      expect(child(child(s, 'w:pPr'), 'w:keepNext')).toBeDefined();
    }
    expect(size(styleById('Heading1'))).toBe(44); // 二号
    expect(size(styleById('Heading2'))).toBe(32); // 三号
  });

  test('table text is smaller (五号 宋体, 小五 for crowded tables) on a fixed line', () => {
    const s = styleById('TableText');
    expect(size(s)).toBe(21);
    expect(rFonts(s)!.attrs['w:eastAsia']).toBe('宋体');
    expect(attr(child(child(s, 'w:pPr'), 'w:spacing'), 'w:lineRule')).toBe('exact');
    const small = styleById('TableTextSmall');
    expect(attr(child(small, 'w:basedOn'), 'w:val')).toBe('TableText');
    expect(size(small)).toBe(18);
    expect(attr(child(child(small, 'w:pPr'), 'w:spacing'), 'w:line')).toBe('240');
  });

  test('the font table names the fallbacks Word/WPS use when a face is missing', () => {
    const fonts = new Map(elements(fontTable, 'w:font').map((f) => [attr(f, 'w:name'), f]));
    const alt = (name: string) => attr(child(fonts.get(name), 'w:altName'), 'w:val');
    expect(alt('仿宋_GB2312')).toBe('仿宋');
    expect(alt('仿宋')).toBe('FangSong');
    expect(alt('楷体_GB2312')).toBe('楷体');
    expect(alt('楷体')).toBe('KaiTi');
    expect(alt('黑体')).toBe('SimHei');
    expect(alt('宋体')).toBe('SimSun');
    for (const name of ['仿宋_GB2312', '仿宋', '楷体_GB2312', '黑体', '宋体']) {
      expect(attr(child(fonts.get(name), 'w:charset'), 'w:val')).toBe('86'); // GB2312
    }
    // Every East Asian face used in styles is in the font table.
    const used = new Set(descendants(styles, 'w:rFonts').flatMap((f) => [f.attrs['w:eastAsia'], f.attrs['w:ascii']]).filter(Boolean));
    for (const name of used) expect(fonts.has(name)).toBe(true);
  });

  test('page numbers "— N —": 四号 宋体, odd pages right-aligned and even pages left-aligned, one character in', async () => {
    expect(child(settings, 'w:evenAndOddHeaders')).toBeDefined();
    const { blocks, finalSectPr } = bodyBlocks(await docx.text('word/document.xml'));
    const rels = parseXml(await docx.text('word/_rels/document.xml.rels'));
    const target = (id: string) => 'word/' + attr(elements(rels).find((e) => attr(e, 'Id') === id), 'Target');
    const sectPrs = [...blocks.flatMap((b) => (b.kind === 'paragraph' && b.sectPr ? [b.sectPr] : [])), finalSectPr];
    const withFooters = sectPrs.filter((s) => elements(s, 'w:footerReference').length > 0);
    expect(withFooters).toEqual([sectPrs[1]]); // the first body section; the rest inherit
    expect(docx.names.filter((n) => /^word\/footer\d+\.xml$/.test(n))).toHaveLength(2);
    for (const s of withFooters) {
      for (const ref of elements(s, 'w:footerReference')) {
        const ftr = await docx.xml(target(attr(ref, 'r:id')!));
        const p = elements(ftr, 'w:p')[0];
        expect(textOf(p)).toBe('—  —'); // the number itself is the PAGE field result
        expect(descendants(p, 'w:instrText').map((i) => (i.children[0] as string).trim())).toEqual(['PAGE']);
        const pPr = child(p, 'w:pPr');
        expect(attr(child(pPr, 'w:pStyle'), 'w:val')).toBe('PageNumber');
        const odd = attr(ref, 'w:type') === 'default';
        expect(attr(child(pPr, 'w:jc'), 'w:val')).toBe(odd ? 'right' : 'left');
        expect(attr(child(pPr, 'w:ind'), odd ? 'w:right' : 'w:left')).toBe('280');
      }
    }
    const pn = styleById('PageNumber');
    expect(size(pn)).toBe(28);
    expect(rFonts(pn)!.attrs).toMatchObject({ 'w:ascii': '宋体', 'w:eastAsia': '宋体' });
  });
});

describe('deterministic bytes', () => {
  test('the same document gives byte-identical files, whatever the clock says', async () => {
    const a = await renderDocx(miniDocument);
    jest.useFakeTimers({ now: new Date('2031-07-15T13:45:00Z'), advanceTimers: true });
    let b: Buffer;
    try {
      b = await renderDocx(miniDocument);
    } finally {
      jest.useRealTimers();
    }
    expect(b.equals(a)).toBe(true);
  });

  test('a fresh module registry (fresh docx counters, as in another process) gives the same bytes', async () => {
    // Render a few documents first so module-level counters in this registry have moved on.
    await renderDocx(miniDocument);
    const a = await renderDocx(miniDocument);
    let fresh: typeof renderDocx | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      fresh = (require('../src/render/docx') as typeof import('../src/render/docx')).renderDocx;
    });
    const b = await fresh!(miniDocument);
    expect(b.equals(a)).toBe(true);
  });

  test('zip entries and core properties are dated from meta.date, in a fixed order', async () => {
    const buf = await renderDocx(miniDocument);
    const zip = await JSZip.loadAsync(buf);
    const names = Object.keys(zip.files);
    expect(names[0]).toBe('[Content_Types].xml');
    for (const name of names) expect(zip.files[name].date.toISOString()).toBe('2024-06-28T00:00:00.000Z');
    const core = parseXml(await zip.file('docProps/core.xml')!.async('string'));
    const text = (n: string) => textOf({ name: 'x', attrs: {}, children: [{ name: 'w:t', attrs: {}, children: child(core, n)!.children }] });
    expect(text('dcterms:created')).toBe('2024-06-28T00:00:00Z');
    expect(text('dcterms:modified')).toBe('2024-06-28T00:00:00Z');
    expect(text('dc:title')).toBe(miniDocument.meta.title);
    expect(text('dc:creator')).toBe(miniDocument.meta.department);
    expect(text('dc:subject')).toBe(miniDocument.meta.subject);
    expect(text('dc:language')).toBe('zh-CN');
    expect(text('cp:keywords')).toBe(miniDocument.meta.keywords.join(', '));
  });

  test('relationship ids and bookmark ids are sequential, not random', async () => {
    const docx = await openDocx(await renderDocx(miniDocument));
    for (const name of docx.names.filter((n) => n.endsWith('.rels'))) {
      for (const rel of elements(parseXml(await docx.text(name)))) expect(attr(rel, 'Id')).toMatch(/^rId\d+$/);
    }
    const xml = await docx.text('word/document.xml');
    const ids = [...xml.matchAll(/<w:bookmarkStart [^>]*w:id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ids).toEqual(ids.map((_, i) => i));
    const names = [...xml.matchAll(/<w:bookmarkStart [^>]*w:name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toEqual(names.map((_, i) => `_Toc${i + 1}`));
  });

  test('a different document gives different bytes (the check can fail)', async () => {
    const changed: ReportDocument = { ...miniDocument, meta: { ...miniDocument.meta, date: '2024-06-29' } };
    expect((await renderDocx(changed)).equals(await renderDocx(miniDocument))).toBe(false);
  });
});

describe('the read-back comparison catches differences', () => {
  test('a changed cell, a changed sentence and a dropped note are all reported', async () => {
    const buf = await renderDocx(miniDocument);
    const mutated: ReportDocument = JSON.parse(JSON.stringify(miniDocument));
    const part2 = mutated.parts[1];
    const t01 = part2.blocks[0];
    if (t01.kind !== 'table') throw new Error('fixture changed');
    t01.table.body[0].cells[2].text = '20,624.95';
    t01.table.notes.pop();
    const para = mutated.parts[0].blocks[1];
    if (para.kind !== 'paragraph') throw new Error('fixture changed');
    para.sentences[0] = para.sentences[0].replace('基础性', '基础');
    const diffs = await compareDocxToModel(buf, mutated);
    expect(diffs.some((d) => d.includes('20,624.95'))).toBe(true);
    expect(diffs.some((d) => d.includes('基础性'))).toBe(true);
    expect(diffs.some((d) => /extra paragraph|TableNote|style/.test(d))).toBe(true);
  });

  test('a header span that does not match is reported', async () => {
    const buf = await renderDocx(miniDocument);
    const mutated: ReportDocument = JSON.parse(JSON.stringify(miniDocument));
    const t07 = mutated.parts[1].blocks[2];
    if (t07.kind !== 'table') throw new Error('fixture changed');
    t07.table.header[0][1].rowSpan = 1;
    const diffs = await compareDocxToModel(buf, mutated);
    expect(diffs.some((d) => d.includes('vMerge'))).toBe(true);
  });
});

describe('edge cases', () => {
  test('without the page layout, the TOC still lists every entry (page numbers left for Word)', async () => {
    const { blocks } = bodyBlocks(await (await openDocx(await renderDocx(miniDocument, { tocPageNumbers: false }))).text('word/document.xml'));
    const toc = blocks.find((b) => b.kind === 'toc');
    if (!toc || toc.kind !== 'toc') throw new Error('no TOC');
    const lines = toc.paragraphs.map((p) => textOf(p)).filter((t) => t !== '');
    const tables = miniDocument.parts.flatMap((p) => p.blocks.filter((b) => b.kind === 'table' && b.table.label !== undefined));
    expect(lines).toHaveLength(miniDocument.parts.length + 3 + tables.length);
    expect(tables.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/\t$/);
  });

  test('rejects a meta.date that is not YYYY-MM-DD', async () => {
    await expect(renderDocx({ ...miniDocument, meta: { ...miniDocument.meta, date: '28/06/2024' } })).rejects.toThrow(/meta\.date/);
  });

  test('XML special characters and empty cells survive the round trip', async () => {
    const doc: ReportDocument = JSON.parse(JSON.stringify(miniDocument));
    const p = doc.parts[3].blocks[0];
    if (p.kind !== 'paragraph') throw new Error('fixture changed');
    p.sentences = ['“三公”经费 < 100 & > 0，', '见<附件>。'];
    expect(await compareDocxToModel(await renderDocx(doc), doc)).toEqual([]);
  });

  test('a table first in its part: the part title keeps a portrait page of its own (as in the PDF); a landscape table opens a landscape section', async () => {
    const doc: ReportDocument = JSON.parse(JSON.stringify(miniDocument));
    const part2 = doc.parts[1];
    part2.blocks = [part2.blocks[1], part2.blocks[0], part2.blocks[2]]; // 06 first
    const r = await render(doc);
    expect(compareBlocks(r.blocks, doc)).toEqual([]);
    const secs = sections(r);
    const partSec = secs.find((s) => s.blocks.some((b) => b.kind === 'paragraph' && b.text.startsWith('第二部分')))!;
    expect(pageOf(partSec.sectPr).orient ?? 'portrait').toBe('portrait');
    const content = contentBlocks(partSec.blocks);
    const landscape = layoutReport(doc).tables.get('06')?.orientation === 'landscape';
    if (landscape) {
      expect(content).toHaveLength(1);
      const land = secs[secs.indexOf(partSec) + 1];
      expect(pageOf(land.sectPr).orient).toBe('landscape');
      expect(contentBlocks(land.blocks)[0]).toMatchObject({ kind: 'paragraph', style: 'TableTitle', text: '一般公共预算财政拨款基本支出决算明细表', pageBreakBefore: false });
    } else {
      expect(content[1]).toMatchObject({ kind: 'paragraph', style: 'TableTitle', text: '一般公共预算财政拨款基本支出决算明细表', pageBreakBefore: true });
    }
  });
});

describe('column widths', () => {
  const col = (width: number, kind: 'text' | 'amount' | 'code' = 'text') => ({ width, align: 'left' as const, kind });

  test('apportion splits a total exactly, in proportion', () => {
    expect(apportion([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(apportion([30, 6, 14], 8845).reduce((a, b) => a + b, 0)).toBe(8845);
  });

  test('a column too narrow for its number is widened; text columns give up the room in proportion', () => {
    const widths = fitColumnWidths([col(10, 'code'), col(60), col(30)], [2000, 420, 420], 10000);
    expect(widths[0]).toBe(2000);
    expect(widths.reduce((a, b) => a + b, 0)).toBe(10000);
    expect(widths[1] / widths[2]).toBeCloseTo(2, 2);
    // No widening needed: plain proportional scaling.
    expect(fitColumnWidths([col(10), col(30)], [100, 100], 4000)).toEqual([1000, 3000]);
  });

  test('measures digits at half an em and Chinese at one em', () => {
    expect(measureEm('20,624.94')).toBe(4);
    expect(measureEm('2010301')).toBe(3.5);
    expect(measureEm('合计')).toBe(2);
  });

  test('the minimum width of a number column comes from its widest body cell and its 栏次 number', () => {
    const t = miniDocument.parts[1].blocks[0];
    if (t.kind !== 'table') throw new Error('fixture changed');
    const need = minimumWidths(t.table, { em: 210, padding: 0, slack: 0 });
    expect(need[2]).toBe(Math.ceil(measureEm('20,645.05') * 210));
    expect(need[0]).toBe(420); // text column: two characters
  });
});

describe('table text size', () => {
  test('a table whose names would wrap in many rows at 五号 is set in 小五', () => {
    const base = miniDocument.parts[2].blocks[2];
    if (base.kind !== 'table') throw new Error('fixture changed');
    const roomy = base.table;
    const crowded: Table = {
      ...roomy,
      body: Array.from({ length: 10 }, () => ({ role: 'data' as const, level: 0, cells: [{ text: '一般公共预算财政拨款基本支出人员经费' }, { text: '1.00' }, { text: '2.00%' }] })),
    };
    expect(chooseTableType(roomy, PORTRAIT_TEXT_WIDTH).style).toBe('TableText');
    expect(wrappedRowShare(crowded, chooseTableType(roomy, PORTRAIT_TEXT_WIDTH), 2000)).toBe(1);
    expect(chooseTableType(crowded, 2000).style).toBe('TableTextSmall');
  });
});

describe('header placement', () => {
  const H = (text: string, colSpan = 1, rowSpan = 1) => ({ text, colSpan, rowSpan });
  test('rowSpan cells continue down at their own column, with their own width (09-style header)', () => {
    const header = [
      [H('预算数', 3), H('决算数', 1, 3)],
      [H('合计', 1, 2), H('公务用车', 2)],
      [H('小计'), H('购置费')],
    ];
    const placed = placeHeader(header, 4);
    const show = placed.map((row) => row.map((c) => `${c.merge === 'continue' ? '^' : c.text}${c.colSpan > 1 ? '*' + c.colSpan : ''}${c.merge === 'restart' ? '!' : ''}`));
    expect(show).toEqual([
      ['预算数*3', '决算数!'],
      ['合计!', '公务用车*2', '^'],
      ['^', '小计', '购置费', '^'],
    ]);
  });

  test('a continue cell keeps the width of a merged block spanning columns', () => {
    const placed = placeHeader([[H('项目', 2, 2), H('金额')], [H('本年')]], 3);
    expect(placed[1]).toEqual([{ text: '', colSpan: 2, merge: 'continue' }, { text: '本年', colSpan: 1, merge: undefined }]);
  });
});
