/**
 * Walks a ReportDocument and builds a docx `Document`: a title page, a table
 * of contents, then the five parts, each starting on a new page. Portrait
 * content flows in portrait sections; every landscape table gets a landscape
 * section of its own.
 */
import {
  AlignmentType,
  Document,
  Footer,
  PageNumber,
  PageOrientation,
  Paragraph,
  SectionType,
  StyleLevel,
  TableOfContents,
  TextRun,
  type FileChild,
  type IPropertiesOptions,
  type ISectionOptions,
} from 'docx';
import type { Block, Heading, Paragraph as ModelParagraph, Part, ReportDocument, Table } from '../../document/types';
import { STYLE, buildStyles, headingStyle } from './styles';
import { headingRank, withLayout, type LayoutSpec } from '../../layout/spec';
import type { LayoutResult } from '../pdf/paginate';
import { renderTable } from './table';
import { PAGE_NUMBER_INDENT, docxPages, pt, textWidth, type PageGeometry } from './typography';

/**
 * The heading of the table of contents. The model has no string for it (see
 * the report to the integrator: a `meta.tocTitle` would be the right home).
 */

/** Heading levels listed in the table of contents: part titles and "一、" headings. */
export const TOC_LEVELS = '1-2';

/** The page number line "— N —": odd pages right-aligned, even pages left-aligned, one character in. */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: STYLE.pageNumber,
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: PAGE_NUMBER_INDENT } : { left: PAGE_NUMBER_INDENT },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'] })],
      }),
    ],
  });
}

function titlePage(doc: ReportDocument): Paragraph[] {
  const { title, subtitle } = doc.meta.titlePage;
  const out: Paragraph[] = [];
  title.forEach((line, i) =>
    out.push(
      new Paragraph({
        style: STYLE.titlePageTitle,
        // About a third of the way down the type area.
        spacing: i === 0 ? { before: pt(150) } : undefined,
        children: [new TextRun(line)],
      }),
    ),
  );
  subtitle.forEach((line, i) =>
    out.push(
      new Paragraph({
        style: STYLE.titlePageSubtitle,
        spacing: i === 0 ? { before: pt(220) } : undefined,
        children: [new TextRun(line)],
      }),
    ),
  );
  return out;
}

/**
 * The table of contents: a TOC field over Heading1–2, pre-filled with an entry
 * per heading (and, when estimated, its page number) so LibreOffice and WPS
 * show it as written. Its field is marked dirty, so Word rebuilds it with its
 * own page numbers when the document is opened.
 */
function tocBlocks(doc: ReportDocument, tocTables: boolean, pageNumbers: boolean): FileChild[] {
  return [
    new Paragraph({ style: STYLE.tocTitle, pageBreakBefore: true, children: [new TextRun(doc.meta.tocTitle)] }),
    new TableOfContents(doc.meta.tocTitle.replace(/\s|　/g, ''), {
      hyperlink: true,
      headingStyleRange: TOC_LEVELS,
      // The 公开 tables are listed under 第二部分 (\\t "TableTitle,2").
      ...(tocTables ? { stylesWithLevels: [new StyleLevel(STYLE.tableTitle, 2)] } : {}),
      // A 目录 without page numbers keeps none when Word rebuilds it (\\n).
      ...(pageNumbers ? {} : { pageNumbersEntryLevelsRange: '1-9' }),
      beginDirty: true,
    }),
  ];
}

/** A part title: its label, then its title broken where the PDF layout breaks it (between words, balanced). */
function partTitle(part: Part, layout?: LayoutResult): Paragraph {
  const lines = layout?.partTitleLines?.get(part.title);
  const ok = lines !== undefined && lines.length > 0 && lines.join('').replace(/\s+/g, '') === part.title.replace(/\s+/g, '');
  const title = ok ? lines : [part.title];
  return new Paragraph({
    style: headingStyle(0),
    children: [new TextRun(part.label), ...title.map((text) => new TextRun({ text, break: 1 }))],
  });
}

/** Space between a table with no notes and the text after it (the text would otherwise touch its bottom rule). */
const AFTER_TABLE = pt(6);

function heading(h: Heading, afterTable: boolean): Paragraph {
  return new Paragraph({
    // Set by its numbering form (一、 黑体, （一） 楷体, 1． 仿宋 bold, （1） 仿宋), the
    // same in 第三部分 and in the 附件 (shared layout description).
    style: headingStyle(headingRank(h)),
    spacing: afterTable ? { before: AFTER_TABLE } : undefined,
    children: [new TextRun(h.text)],
  });
}

const PARAGRAPH_STYLE: Record<ModelParagraph['style'], string> = {
  body: STYLE.body,
  note: STYLE.note,
  plain: STYLE.plain,
};

function paragraph(p: ModelParagraph, afterTable: boolean): Paragraph {
  return new Paragraph({
    style: PARAGRAPH_STYLE[p.style],
    spacing: afterTable ? { before: AFTER_TABLE } : undefined,
    children: [new TextRun(p.sentences.join(''))],
  });
}

interface SectionDraft {
  page: PageGeometry;
  children: FileChild[];
  /** Nothing but the part title so far: a table may share the page with it. */
  onlyPartTitle: boolean;
}

/**
 * Splits the parts into sections: each part opens a section (a new page); a
 * landscape table gets a landscape section of its own, and the text after it
 * a new portrait section. A part whose first block is a landscape table opens
 * in landscape, so its title stays on the table's page.
 */
function bodySections(parts: readonly Part[], pages: { portrait: PageGeometry; landscape: PageGeometry }, layout?: LayoutResult): SectionDraft[] {
  const PORTRAIT = pages.portrait;
  const LANDSCAPE = pages.landscape;
  const sections: SectionDraft[] = [];
  let current: SectionDraft | undefined;
  const open = (page: PageGeometry): SectionDraft => {
    current = { page, children: [], onlyPartTitle: false };
    sections.push(current);
    return current;
  };
  const portrait = (): SectionDraft => (current && current.page === PORTRAIT ? current : open(PORTRAIT));

  for (const part of parts) {
    // The part title opens a portrait page, as in the PDF layout (a 公开 table starts a page of its own).
    const opening = open(PORTRAIT);
    opening.children.push(partTitle(part, layout));
    opening.onlyPartTitle = true;
    let afterBareTable = false;
    for (const block of part.blocks as Block[]) {
      let section: SectionDraft;
      if (block.kind === 'heading' || block.kind === 'paragraph') {
        section = portrait();
        const spaced = afterBareTable && section.children.length > 0;
        section.children.push(block.kind === 'heading' ? heading(block, spaced) : paragraph(block, spaced));
        afterBareTable = false;
      } else {
        const table: Table = block.table;
        const fit = layout?.tables.get(table.id);
        const landscape = (fit?.orientation ?? table.orientation) === 'landscape';
        section = landscape ? open(LANDSCAPE) : portrait();
        // A 公开 table starts a page of its own (one per page, as printed).
        const pageBreakBefore = table.label !== undefined && section.children.length > 0;
        section.children.push(...renderTable(table, { textWidth: textWidth(section.page), pageBreakBefore, fit }));
        if (landscape) current = undefined; // what follows starts a new section
        afterBareTable = table.notes.length === 0;
      }
      section.onlyPartTitle = false;
    }
  }
  return sections;
}

function sectionOptions(draft: SectionDraft, first: boolean): ISectionOptions {
  const { page } = draft;
  return {
    properties: {
      type: SectionType.NEXT_PAGE,
      page: {
        size: {
          // Word keeps the portrait size and turns it by the orientation.
          width: page.orientation === 'landscape' ? page.height : page.width,
          height: page.orientation === 'landscape' ? page.width : page.height,
          orientation: page.orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
        },
        margin: { ...page.margin, gutter: 0 },
        pageNumbers: first ? { start: 1 } : undefined,
      },
    },
    // The first body section defines the page-number footers; the sections after
    // it inherit them (Word's "link to previous"), so the package holds one pair.
    footers: first ? { default: pageNumberFooter('odd'), even: pageNumberFooter('even') } : undefined,
    children: draft.children,
  };
}

/** The table type sizes the page layout chose. */
function tableSizes(layout?: LayoutResult): number[] {
  return layout ? [...new Set([...layout.tables.values()].map((f) => f.layout.size))].sort((a, b) => b - a) : [];
}

export interface WordBuildOptions {
  pageNumbers?: IPropertiesOptions['pageNumbers'];
  /** The report's page layout (table fitting). */
  layout?: LayoutResult;
}

export function buildWordDocument(doc: ReportDocument, options: WordBuildOptions = {}): Document {
  const spec: LayoutSpec = withLayout(doc.layout);
  const { portrait: PORTRAIT } = docxPages(spec);
  const front: ISectionOptions = {
    properties: {
      type: SectionType.NEXT_PAGE,
      page: {
        size: { width: PORTRAIT.width, height: PORTRAIT.height, orientation: PageOrientation.PORTRAIT },
        margin: { ...PORTRAIT.margin, gutter: 0 },
      },
    },
    children: [...titlePage(doc), ...tocBlocks(doc, spec.toc.tables, spec.toc.pageNumbers)],
  };
  const body = bodySections(doc.parts, docxPages(spec), options.layout).map((draft, i) => sectionOptions(draft, i === 0));
  return new Document({
    title: doc.meta.title,
    subject: doc.meta.subject,
    creator: doc.meta.department,
    keywords: doc.meta.keywords.join(', '),
    lastModifiedBy: doc.meta.department,
    revision: 1,
    evenAndOddHeaderAndFooters: true,
    styles: buildStyles(doc.meta.language, spec, tableSizes(options.layout)),
    sections: [front, ...body],
    ...(options.pageNumbers ? { pageNumbers: options.pageNumbers } : {}),
  });
}
