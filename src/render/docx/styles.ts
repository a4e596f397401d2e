/**
 * Paragraph styles of the Word document. Every paragraph the writer emits names
 * one of these styles and carries (almost) no direct formatting, so a finance
 * officer can restyle the whole report from Word's style pane.
 *
 * Heading styles are Word's built-in "heading 1" … "heading 5" (ids Heading1 …
 * Heading5) so the Navigation Pane and the TOC field work:
 *   Heading1 = part title ("第一部分 / 部门概况"), 黑体
 *   Heading2 = model level 1 ("一、…"), 黑体
 *   Heading3 = model level 2 ("（一）…"), 楷体
 *   Heading4 = model level 3 ("1．…"), 仿宋 bold (house style)
 *   Heading5 = model level 4 ("（1）…"), 仿宋
 */
import { BODY_INDENT, FONT, SIZE, TABLE_LINE, TABLE_LINE_SMALL, bodyLine, faceName, pt } from './typography';
import { DEFAULT_LAYOUT, type HeadingRank, type LayoutSpec } from '../../layout/spec';
import type { IParagraphStyleOptions, IRunStylePropertiesOptions, IStylesOptions } from './styles-xml';

const AlignmentType = { LEFT: 'left', CENTER: 'center', RIGHT: 'right', BOTH: 'both' } as const;
const LineRuleType = { EXACT: 'exact', AUTO: 'auto' } as const;

export const STYLE = {
  body: 'ReportBody',
  plain: 'ReportPlain',
  note: 'ReportNote',
  titlePageTitle: 'TitlePageTitle',
  titlePageSubtitle: 'TitlePageSubtitle',
  tocTitle: 'TocTitle',
  tableTitle: 'TableTitle',
  inlineTableTitle: 'InlineTableTitle',
  tableLabel: 'TableLabel',
  tableMeta: 'TableMeta',
  tableText: 'TableText',
  tableTextSmall: 'TableTextSmall',
  tableNote: 'TableNote',
  pageNumber: 'PageNumber',
} as const;

/** Heading style id for a part title (0) or a model heading level (1–4). */
export const headingStyle = (level: 0 | 1 | 2 | 3 | 4): string => `Heading${level + 1}`;

/** rFonts for a face: Latin letters and digits in Times New Roman, Chinese in `eastAsia`. */
export const fonts = (eastAsia: string, latin: string = FONT.latin): IRunStylePropertiesOptions['font'] => ({
  ascii: latin,
  hAnsi: latin,
  cs: latin,
  eastAsia,
  // Ambiguous-width characters (“”‘’…—) take the East Asian face, as in Chinese Word.
  hint: 'eastAsia',
});

const exact = (line: number) => ({ line, lineRule: LineRuleType.EXACT });

const heading = (
  level: 0 | 1 | 2 | 3 | 4,
  run: IRunStylePropertiesOptions,
  paragraph: IParagraphStyleOptions['paragraph'],
): IParagraphStyleOptions => ({
  id: headingStyle(level),
  name: `heading ${level + 1}`,
  basedOn: 'Normal',
  next: STYLE.body,
  quickFormat: true,
  run: { color: '000000', bold: false, italics: false, ...run },
  paragraph: { keepNext: true, keepLines: true, outlineLevel: level, ...paragraph },
});

/** A heading style's run from the shared description: face, weight, size. */
function headingRun(spec: LayoutSpec, rank: HeadingRank): IRunStylePropertiesOptions {
  const h = spec.headings[rank];
  return { font: fonts(spec.faces[h.face].wordName, spec.latinFace), size: Math.round(h.sizePt * 2), bold: h.bold };
}

/** First-line indent of `chars` characters of `sizePt`. */
const charsIndent = (chars: number, sizePt: number) => ({ firstLine: pt(chars * sizePt), firstLineChars: chars * 100 });

export function buildStyles(language: string, spec: LayoutSpec = DEFAULT_LAYOUT, tableSizes: readonly number[] = []): IStylesOptions {
  const BODY_LINE = bodyLine(spec);
  const indentOf = (rank: HeadingRank) => ({ indent: charsIndent(spec.headings[rank].indentChars, spec.headings[rank].sizePt) });
  return {
    default: {
      document: {
        run: {
          font: fonts(FONT.fangsong),
          size: SIZE.sanhao,
          sizeComplexScript: SIZE.sanhao,
          language: { value: 'en-US', eastAsia: language || 'zh-CN' },
        },
        paragraph: { spacing: { before: 0, after: 0, ...exact(BODY_LINE) } },
      },
    },
    paragraphStyles: [
      {
        id: 'Normal',
        name: 'Normal',
        quickFormat: true,
        run: { font: fonts(FONT.fangsong), size: SIZE.sanhao },
        paragraph: { alignment: AlignmentType.BOTH, spacing: { before: 0, after: 0, ...exact(BODY_LINE) } },
      },
      {
        id: STYLE.body,
        name: 'Report Body',
        basedOn: 'Normal',
        next: STYLE.body,
        quickFormat: true,
        paragraph: { indent: { ...BODY_INDENT } },
      },
      { id: STYLE.plain, name: 'Report Plain', basedOn: 'Normal', next: STYLE.body, quickFormat: true },
      {
        id: STYLE.note,
        name: 'Report Note',
        basedOn: 'Normal',
        next: STYLE.body,
        run: { size: SIZE.sihao },
        paragraph: { spacing: exact(pt(22)) },
      },
      // Part title: 黑体 二号, centred; "第一部分" and the title on two lines.
      heading(0, { font: fonts(faceName(spec, spec.partTitle.face)), size: Math.round(spec.partTitle.sizePt * 2), bold: spec.partTitle.bold }, {
        alignment: AlignmentType.CENTER,
        spacing: { before: 0, after: pt(28), ...exact(pt(40)) },
      }),
      heading(1, headingRun(spec, 1), indentOf(1)),
      heading(2, headingRun(spec, 2), indentOf(2)),
      heading(3, headingRun(spec, 3), indentOf(3)),
      heading(4, headingRun(spec, 4), indentOf(4)),
      {
        id: STYLE.titlePageTitle,
        name: 'Title Page Title',
        basedOn: 'Normal',
        next: STYLE.titlePageTitle,
        run: { font: fonts(FONT.xiaobiaosong), size: SIZE.yihao },
        paragraph: { alignment: AlignmentType.CENTER, keepNext: true, spacing: exact(pt(44)) },
      },
      {
        id: STYLE.titlePageSubtitle,
        name: 'Title Page Subtitle',
        basedOn: 'Normal',
        next: STYLE.titlePageSubtitle,
        run: { font: fonts(FONT.kaiti), size: SIZE.sanhao },
        paragraph: { alignment: AlignmentType.CENTER, spacing: exact(BODY_LINE) },
      },
      {
        id: STYLE.tocTitle,
        name: 'TOC Heading',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: fonts(FONT.heiti), size: SIZE.erhao },
        paragraph: { alignment: AlignmentType.CENTER, spacing: { before: 0, after: pt(28), ...exact(pt(40)) } },
      },
      {
        id: 'TOC1',
        name: 'toc 1',
        basedOn: 'Normal',
        next: 'Normal',
        uiPriority: 39,
        run: { font: fonts(FONT.heiti), size: SIZE.sanhao },
        paragraph: { spacing: { before: pt(6), ...exact(BODY_LINE) } },
      },
      {
        id: 'TOC2',
        name: 'toc 2',
        basedOn: 'Normal',
        next: 'Normal',
        uiPriority: 39,
        run: { font: fonts(FONT.fangsong), size: SIZE.sanhao },
        paragraph: { indent: { left: pt(32) }, spacing: exact(BODY_LINE) },
      },
      {
        id: STYLE.tableTitle,
        name: 'Table Title',
        basedOn: 'Normal',
        next: STYLE.tableLabel,
        run: { font: fonts(FONT.heiti), size: SIZE.xiaoer, bold: true },
        paragraph: { alignment: AlignmentType.CENTER, keepNext: true, keepLines: true, spacing: { after: 0, ...exact(pt(spec.tables.titlePitchPt)) } },
      },
      {
        // Title of an in-text table (no 公开 label), e.g. in the 附件: smaller, flows with the text.
        id: STYLE.inlineTableTitle,
        name: 'Inline Table Title',
        basedOn: 'Normal',
        next: STYLE.tableMeta,
        run: { font: fonts(FONT.songti), size: SIZE.sihao, bold: true },
        paragraph: { alignment: AlignmentType.CENTER, keepNext: true, keepLines: true, spacing: { before: pt(8), after: pt(2), ...exact(pt(24)) } },
      },
      {
        id: STYLE.tableLabel,
        name: 'Table Label',
        basedOn: 'Normal',
        next: STYLE.tableMeta,
        run: { font: fonts(FONT.songti), size: SIZE.xiaosi },
        paragraph: { alignment: AlignmentType.RIGHT, keepNext: true, spacing: exact(pt(spec.tables.metaPitchPt)) },
      },
      {
        id: STYLE.tableMeta,
        name: 'Table Unit Line',
        basedOn: 'Normal',
        next: STYLE.tableText,
        run: { font: fonts(FONT.songti), size: SIZE.xiaosi },
        paragraph: { alignment: AlignmentType.LEFT, keepNext: true, spacing: { after: 0, ...exact(pt(spec.tables.metaPitchPt)) } },
      },
      {
        id: STYLE.tableText,
        name: 'Table Text',
        basedOn: 'Normal',
        next: STYLE.tableText,
        run: { font: fonts(FONT.songti), size: SIZE.wuhao, sizeComplexScript: SIZE.wuhao },
        paragraph: { alignment: AlignmentType.LEFT, spacing: { before: 0, after: 0, ...exact(TABLE_LINE) } },
      },
      {
        id: STYLE.tableTextSmall,
        name: 'Table Text Small',
        basedOn: STYLE.tableText,
        next: STYLE.tableTextSmall,
        run: { size: SIZE.xiaowu, sizeComplexScript: SIZE.xiaowu },
        paragraph: { spacing: { before: 0, after: 0, ...exact(TABLE_LINE_SMALL) } },
      },
      // Table text at each size the page layout chose (as the PDF: single spacing, lineEm).
      ...tableSizes.map((size) => ({
        id: `${STYLE.tableText}${Math.round(size * 10)}`,
        name: `Table Text ${size} pt`,
        basedOn: STYLE.tableText,
        next: `${STYLE.tableText}${Math.round(size * 10)}`,
        run: { size: Math.round(size * 2), sizeComplexScript: Math.round(size * 2) },
        paragraph: { spacing: { before: 0, after: 0, ...exact(pt(size * spec.tables.lineEm)) } },
      })),
      {
        id: STYLE.tableNote,
        name: 'Table Note',
        basedOn: 'Normal',
        next: STYLE.body,
        run: { font: fonts(FONT.songti), size: SIZE.wuhao },
        paragraph: { alignment: AlignmentType.LEFT, spacing: { before: 0, after: 0, ...exact(pt(10.5 * 1.4)) } },
      },
      {
        id: STYLE.pageNumber,
        name: 'Page Number Line',
        basedOn: 'Normal',
        run: { font: fonts(FONT.songti, FONT.songti), size: SIZE.sihao, sizeComplexScript: SIZE.sihao },
        paragraph: { spacing: { before: 0, after: 0, line: 240, lineRule: LineRuleType.AUTO } },
      },
    ],
  };
}
