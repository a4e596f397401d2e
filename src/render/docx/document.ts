/**
 * Walks a ReportDocument and writes word/document.xml: a title page, a table
 * of contents, then the five parts, each starting on a new page. Portrait
 * content flows in portrait sections; every landscape table gets a landscape
 * section of its own.
 *
 * The XML is written directly as strings (xml.ts), in the structure the docx
 * package wrote for this writer: section properties in the last paragraph of
 * each section (an empty paragraph when a section ends with a table or the
 * 目录), the last section's at the end of the body; the 目录 a TOC field in a
 * content control, pre-filled with one hyperlinked entry per heading and its
 * page number from our own page layout; each listed heading bookmarked
 * _Toc1, _Toc2, … (w:id from 0) in document order.
 */
import type { Block, Heading, Paragraph as ModelParagraph, Part, ReportDocument, Table } from '../../document/types';
import { STYLE, headingStyle } from './styles';
import { headingRank, withLayout, type LayoutSpec } from '../../layout/spec';
import type { WriterPagination } from './pagination';
import { renderTable } from './table';
import { docxPages, pt, textWidth, type PageGeometry } from './typography';
import { esc, paragraph, paragraphXml, run, type BodyElement } from './xml';

/** Heading levels listed in the table of contents: part titles and "一、" headings. */
export const TOC_LEVELS = '1-2';

function titlePage(doc: ReportDocument): BodyElement[] {
  const { title, subtitle } = doc.meta.titlePage;
  const out: BodyElement[] = [];
  // About a third of the way down the type area.
  title.forEach((line, i) => out.push(paragraph({ style: STYLE.titlePageTitle, spacingBefore: i === 0 ? pt(150) : undefined }, run(line), line)));
  subtitle.forEach((line, i) => out.push(paragraph({ style: STYLE.titlePageSubtitle, spacingBefore: i === 0 ? pt(220) : undefined }, run(line), line)));
  return out;
}

/** Space between a table with no notes and the text after it (the text would otherwise touch its bottom rule). */
const AFTER_TABLE = pt(6);

/** A part title: its label, then its title broken where the PDF layout breaks it (between words, balanced). */
function partTitle(part: Part, pagination: WriterPagination): BodyElement {
  const lines = pagination.partTitleLines.get(part.title);
  const ok = lines !== undefined && lines.length > 0 && lines.join('').replace(/\s+/g, '') === part.title.replace(/\s+/g, '');
  const title = ok ? lines : [part.title];
  return paragraph({ style: headingStyle(0) }, run(part.label) + title.map((text) => run(text, { breakBefore: true })).join(''), [part.label, ...title].join('\n'));
}

function heading(h: Heading, afterTable: boolean): BodyElement {
  // Set by its numbering form (一、 黑体, （一） 楷体, 1． 仿宋 bold, （1） 仿宋), the
  // same in 第三部分 and in the 附件 (shared layout description).
  return paragraph({ style: headingStyle(headingRank(h)), spacingBefore: afterTable ? AFTER_TABLE : undefined }, run(h.text), h.text);
}

const PARAGRAPH_STYLE: Record<ModelParagraph['style'], string> = {
  body: STYLE.body,
  note: STYLE.note,
  plain: STYLE.plain,
};

function bodyParagraph(p: ModelParagraph, afterTable: boolean): BodyElement {
  const text = p.sentences.join('');
  return paragraph({ style: PARAGRAPH_STYLE[p.style], spacingBefore: afterTable ? AFTER_TABLE : undefined }, run(text), text);
}

interface SectionDraft {
  page: PageGeometry;
  children: BodyElement[];
  /** The first body section: it sets the page-number footers and starts the numbering at 1. */
  first?: boolean;
}

/**
 * Splits the parts into sections: each part opens a section (a new page); a
 * landscape table gets a landscape section of its own, and the text after it
 * a new portrait section. A part whose first block is a landscape table opens
 * in landscape, so its title stays on the table's page.
 */
function bodySections(parts: readonly Part[], pages: { portrait: PageGeometry; landscape: PageGeometry }, pagination: WriterPagination): SectionDraft[] {
  const PORTRAIT = pages.portrait;
  const LANDSCAPE = pages.landscape;
  const sections: SectionDraft[] = [];
  let current: SectionDraft | undefined;
  const open = (page: PageGeometry): SectionDraft => {
    current = { page, children: [] };
    sections.push(current);
    return current;
  };
  const portrait = (): SectionDraft => (current && current.page === PORTRAIT ? current : open(PORTRAIT));

  for (const part of parts) {
    // The part title opens a portrait page, as in the PDF layout (a 公开 table starts a page of its own).
    const opening = open(PORTRAIT);
    opening.children.push(partTitle(part, pagination));
    let afterBareTable = false;
    for (const block of part.blocks as Block[]) {
      if (block.kind === 'heading' || block.kind === 'paragraph') {
        const section = portrait();
        const spaced = afterBareTable && section.children.length > 0;
        section.children.push(block.kind === 'heading' ? heading(block, spaced) : bodyParagraph(block, spaced));
        afterBareTable = false;
      } else {
        const table: Table = block.table;
        const fit = pagination.tables.get(table.id);
        const landscape = (fit?.orientation ?? table.orientation) === 'landscape';
        const section = landscape ? open(LANDSCAPE) : portrait();
        // A 公开 table starts a page of its own (one per page, as printed).
        const pageBreakBefore = table.label !== undefined && section.children.length > 0;
        section.children.push(...renderTable(table, { textWidth: textWidth(section.page), pageBreakBefore, fit }));
        if (landscape) current = undefined; // what follows starts a new section
        afterBareTable = table.notes.length === 0;
      }
    }
  }
  if (sections.length > 0) sections[0].first = true;
  return sections;
}

/** The page-number footers (footer1 odd = default, footer2 even), set once and inherited by the sections after. */
const FOOTER_REFERENCES = '<w:footerReference w:type="default" r:id="rId6"/><w:footerReference w:type="even" r:id="rId7"/>';

function sectPr(draft: SectionDraft): string {
  const { page } = draft;
  const landscape = page.orientation === 'landscape';
  // The size as the page lies (a landscape page is wider than high), with its orientation.
  const w = page.width;
  const h = page.height;
  const m = page.margin;
  return (
    '<w:sectPr>' +
    (draft.first ? FOOTER_REFERENCES : '') +
    '<w:type w:val="nextPage"/>' +
    `<w:pgSz w:w="${w}" w:h="${h}" w:orient="${landscape ? 'landscape' : 'portrait'}"/>` +
    `<w:pgMar w:top="${m.top}" w:right="${m.right}" w:bottom="${m.bottom}" w:left="${m.left}" w:header="${m.header}" w:footer="${m.footer}" w:gutter="0"/>` +
    (draft.first ? '<w:pgNumType w:start="1"/>' : '<w:pgNumType/>') +
    '<w:docGrid w:linePitch="360"/></w:sectPr>'
  );
}

/** Paragraph styles whose paragraphs the 目录 lists (\o "1-2", \t "TableTitle,2"). */
function tocStyles(tocTables: boolean): Set<string> {
  return new Set([headingStyle(0), headingStyle(1), ...(tocTables ? [STYLE.tableTitle] : [])]);
}

/** The 目录 entry title of a paragraph's text: tabs and line breaks become spaces. */
const entryTitle = (text: string): string => text.replace(/\t/g, ' ').replace(/\n/g, ' ');

interface TocOptions {
  alias: string;
  tocTables: boolean;
  /** The layout description asks for page numbers in the 目录 (else \n "1-9": Word keeps none). */
  specPageNumbers: boolean;
  /** The page numbers to write (LibreOffice/WPS show them as saved), or undefined to leave the fields empty and dirty. */
  pages?: readonly number[];
  /** Right tab stop of the entries: the text width of the 目录's section. */
  textWidth: number;
}

function tocXml(o: TocOptions, entries: ReadonlyArray<{ title: string; level: 1 | 2; bookmark: string }>): string {
  const instruction = `TOC \\h${o.specPageNumbers ? '' : ' \\n "1-9"'} \\o "${TOC_LEVELS}"${o.tocTables ? ` \\t "${STYLE.tableTitle},2"` : ''}`;
  const begin = `<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/><w:instrText xml:space="preserve">${esc(instruction)}</w:instrText><w:fldChar w:fldCharType="separate"/></w:r>`;
  const end = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>';
  let content = '';
  if (entries.length === 0) {
    content = `<w:p>${begin}</w:p>${end}`;
  } else {
    entries.forEach((entry, i) => {
      let children = `<w:r><w:t xml:space="preserve">${esc(entry.title)}</w:t></w:r>`;
      if (o.specPageNumbers) {
        const page = o.pages?.[i];
        children +=
          '<w:r><w:tab/></w:r>' +
          `<w:r><w:fldChar w:fldCharType="begin"${page === undefined ? ' w:dirty="true"' : ''}/><w:instrText xml:space="preserve">PAGEREF ${entry.bookmark} \\h</w:instrText><w:fldChar w:fldCharType="separate"/>` +
          (page === undefined ? '' : `<w:t xml:space="preserve">${page}</w:t>`) +
          '<w:fldChar w:fldCharType="end"/></w:r>';
      }
      content +=
        `<w:p><w:pPr><w:pStyle w:val="TOC${entry.level}"/><w:tabs><w:tab w:val="right" w:pos="${o.textWidth}" w:leader="dot"/></w:tabs></w:pPr>` +
        (i === 0 ? begin : '') +
        `<w:hyperlink w:history="1" w:anchor="${entry.bookmark}">${children}</w:hyperlink></w:p>`;
    });
    content += end;
  }
  return (
    `<w:sdt><w:sdtPr><w:alias w:val="${esc(o.alias)}"/><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr>` +
    `<w:sdtContent>${content}</w:sdtContent></w:sdt>`
  );
}

export interface DocumentXmlOptions {
  pagination: WriterPagination;
  /** Write the layout's page numbers into the 目录. */
  pageNumbers: boolean;
}

/** The whole body of word/document.xml (between <w:body> and </w:body>). */
export function documentBodyXml(doc: ReportDocument, options: DocumentXmlOptions): string {
  const spec: LayoutSpec = withLayout(doc.layout);
  const pages = docxPages(spec);
  const front: SectionDraft = { page: pages.portrait, children: titlePage(doc) };
  front.children.push(paragraph({ style: STYLE.tocTitle, pageBreakBefore: true }, run(doc.meta.tocTitle), doc.meta.tocTitle));
  const TOC_MARK: BodyElement = { kind: 'other' };
  front.children.push(TOC_MARK);
  const sections = [front, ...bodySections(doc.parts, pages, options.pagination)];

  // The 目录 entries and the bookmarks: every listed paragraph with text, in document order.
  const listed = tocStyles(spec.toc.tables);
  const bookmarks = new Map<BodyElement, { name: string; id: number }>();
  const entries: Array<{ title: string; level: 1 | 2; bookmark: string }> = [];
  for (const s of sections) {
    for (const e of s.children) {
      if (e.kind !== 'p' || e.props?.style === undefined || !listed.has(e.props.style) || (e.text ?? '').trim() === '') continue;
      const id = bookmarks.size;
      const name = `_Toc${id + 1}`;
      bookmarks.set(e, { name, id });
      entries.push({ title: entryTitle(e.text ?? ''), level: e.props.style === headingStyle(0) ? 1 : 2, bookmark: name });
    }
  }
  let pageList: number[] | undefined;
  if (options.pageNumbers) {
    const { toc, tocError } = options.pagination;
    if (tocError !== undefined) throw new Error(tocError);
    if (toc.length !== entries.length) throw new Error(`目录条目数不一致：Word 文档 ${entries.length} 条，版面 ${toc.length} 条`);
    pageList = toc.map((t) => t.page);
  }
  TOC_MARK.xml = tocXml(
    { alias: doc.meta.tocTitle.replace(/\s|　/g, ''), tocTables: spec.toc.tables, specPageNumbers: spec.toc.pageNumbers, pages: pageList, textWidth: textWidth(pages.portrait) },
    entries,
  );

  const out: string[] = [];
  sections.forEach((s, si) => {
    const last = si === sections.length - 1;
    const kids = s.children;
    kids.forEach((e, i) => {
      const endsSection = !last && i === kids.length - 1 && e.kind === 'p';
      out.push(e.kind === 'p' ? paragraphXml(e, endsSection ? sectPr(s) : '', bookmarks.get(e)) : (e.xml ?? ''));
    });
    if (last) out.push(sectPr(s));
    else if (kids.length === 0 || kids[kids.length - 1].kind !== 'p') out.push(`<w:p><w:pPr>${sectPr(s)}</w:pPr></w:p>`);
  });
  return out.join('');
}
