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
  TableOfContents,
  TextRun,
  type FileChild,
  type IPropertiesOptions,
  type ISectionOptions,
} from 'docx';
import type { Block, Heading, Paragraph as ModelParagraph, Part, ReportDocument, Table } from '../../document/types';
import { STYLE, buildStyles, headingStyle } from './styles';
import { renderTable } from './table';
import { LANDSCAPE, PAGE_NUMBER_INDENT, PORTRAIT, pt, textWidth, type PageGeometry } from './typography';

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
function tocBlocks(doc: ReportDocument): FileChild[] {
  return [
    new Paragraph({ style: STYLE.tocTitle, pageBreakBefore: true, children: [new TextRun(doc.meta.tocTitle)] }),
    new TableOfContents(doc.meta.tocTitle.replace(/\s|　/g, ''), {
      hyperlink: true, headingStyleRange: TOC_LEVELS, beginDirty: true,
      // a format whose 目录 has no page numbers: the field's \n switch omits them at every level
      ...(doc.meta.tocPageNumbers === false ? { pageNumbersEntryLevelsRange: TOC_LEVELS } : {}),
    }),
  ];
}

function partTitle(part: Part): Paragraph {
  return new Paragraph({
    style: headingStyle(0),
    children: [new TextRun(part.label), new TextRun({ text: part.title, break: 1 })],
  });
}

/** Space between a table with no notes and the text after it (the text would otherwise touch its bottom rule). */
const AFTER_TABLE = pt(6);

function heading(h: Heading, afterTable: boolean): Paragraph {
  return new Paragraph({
    style: headingStyle(h.level),
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
function bodySections(parts: readonly Part[]): SectionDraft[] {
  const sections: SectionDraft[] = [];
  let current: SectionDraft | undefined;
  const open = (page: PageGeometry): SectionDraft => {
    current = { page, children: [], onlyPartTitle: false };
    sections.push(current);
    return current;
  };
  const portrait = (): SectionDraft => (current && current.page === PORTRAIT ? current : open(PORTRAIT));

  for (const part of parts) {
    const first = part.blocks[0];
    const landscapeFirst = first?.kind === 'table' && first.table.orientation === 'landscape';
    const opening = open(landscapeFirst ? LANDSCAPE : PORTRAIT);
    opening.children.push(partTitle(part));
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
        const landscape = table.orientation === 'landscape';
        section = landscape ? (current?.page === LANDSCAPE && current.onlyPartTitle ? current : open(LANDSCAPE)) : portrait();
        // A 公开 table starts a page of its own (one per page, as printed), unless
        // the page so far holds only the part title.
        const pageBreakBefore = table.label !== undefined && section.children.length > 0 && !section.onlyPartTitle;
        section.children.push(...renderTable(table, { textWidth: textWidth(section.page), pageBreakBefore }));
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
          width: PORTRAIT.width,
          height: PORTRAIT.height,
          orientation: page === LANDSCAPE ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
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

export function buildWordDocument(doc: ReportDocument, extra: { pageNumbers?: IPropertiesOptions['pageNumbers'] } = {}): Document {
  const front: ISectionOptions = {
    properties: {
      type: SectionType.NEXT_PAGE,
      page: {
        size: { width: PORTRAIT.width, height: PORTRAIT.height, orientation: PageOrientation.PORTRAIT },
        margin: { ...PORTRAIT.margin, gutter: 0 },
      },
    },
    children: [...titlePage(doc), ...tocBlocks(doc)],
  };
  const body = bodySections(doc.parts).map((draft, i) => sectionOptions(draft, i === 0));
  return new Document({
    title: doc.meta.title,
    subject: doc.meta.subject,
    creator: doc.meta.department,
    keywords: doc.meta.keywords.join(', '),
    lastModifiedBy: doc.meta.department,
    revision: 1,
    evenAndOddHeaderAndFooters: true,
    styles: buildStyles(doc.meta.language),
    sections: [front, ...body],
    ...extra,
  });
}
