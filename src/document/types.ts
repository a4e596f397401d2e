/**
 * The document model: the one in-memory form of the report that every writer
 * (Markdown, docx, xlsx, pdf) walks. It is the "AST" of the pipeline.
 *
 * Rules for writers (src/render/<format>):
 *  - a writer reads only a ReportDocument: never data.yaml, never the facts;
 *  - a writer never computes a figure and never chooses a word: every string it
 *    prints is already here, every amount carries both its display text and its
 *    exact decimal value;
 *  - a writer may choose typography (fonts, sizes, spacing) from the block kinds
 *    and roles given here.
 */

/** Metadata for file properties and title pages. All values come from data. */
export interface DocumentMeta {
  /** Full title, e.g. "XX局2023年度部门决算". */
  title: string;
  /** The publishing department (author / 部门). */
  department: string;
  /** Fiscal year, e.g. 2023. */
  year: number;
  /** Subject line for file metadata, e.g. "2023年度部门决算公开". */
  subject: string;
  /** BCP 47 language tag: "zh-CN". */
  language: string;
  /**
   * The document date as an ISO date "YYYY-MM-DD" taken from data.yaml.
   * Writers use it for every timestamp they must write (core properties, zip
   * entries, PDF CreationDate/ModDate), never the clock.
   */
  date: string;
  /** Lines of the title page, in order (e.g. department, "2023年度部门决算"). */
  titlePage: TitlePage;
  /** Keywords for file metadata. */
  keywords: string[];
  /** Heading of the table of contents, e.g. "目　录" (writers that make a TOC print it). */
  tocTitle: string;
  /** Whether the table of contents shows page numbers (from the profile; absent = true). */
  tocPageNumbers?: boolean;
  /** Typography overrides of the report format (profile `typography`), e.g. body_font, body_size_pt. */
  typography?: Record<string, string | number>;
}

export interface TitlePage {
  /** Large title lines, centred. */
  title: string[];
  /** Smaller lines under the title (e.g. the date line "二〇二四年六月"). */
  subtitle: string[];
}

export interface ReportDocument {
  meta: DocumentMeta;
  /** The five mandated parts, in order. */
  parts: Part[];
}

export interface Part {
  /** Stable id, e.g. "part1". */
  id: string;
  /** "第一部分" */
  label: string;
  /** "部门概况" */
  title: string;
  blocks: Block[];
}

export type Block = Heading | Paragraph | TableBlock;

/**
 * Headings inside a part. Levels follow the 公文 numbering:
 *  1: "一、…"   (黑体)
 *  2: "（一）…" (楷体)
 *  3: "1．…"    (仿宋, bold in house style)
 *  4: "（1）…"  (仿宋)
 * `text` includes its number ("一、收入支出决算总体情况说明").
 */
export interface Heading {
  kind: 'heading';
  level: 1 | 2 | 3 | 4;
  text: string;
  /** Stable id for bookmarks/outline, unique in the document. */
  id: string;
}

/**
 * A body paragraph. `sentences` joined with no separator give the paragraph's
 * text; the Markdown writer puts one sentence per line.
 */
export interface Paragraph {
  kind: 'paragraph';
  sentences: string[];
  /**
   * body: first-line indent of two characters;
   * note: the 注/说明 lines under a table (no indent, smaller);
   * plain: no first-line indent (e.g. list continuation).
   */
  style: 'body' | 'note' | 'plain';
}

export interface TableBlock {
  kind: 'table';
  table: Table;
}

/** Horizontal alignment of a column or cell. */
export type Align = 'left' | 'center' | 'right';

export interface Column {
  /** Relative width (any unit; writers scale to the available width). */
  width: number;
  /** Default alignment of body cells in this column. */
  align: Align;
  /** What the column holds: amounts are right-aligned numbers. */
  kind: 'text' | 'code' | 'lineNo' | 'amount' | 'percent' | 'count';
}

/** A cell in a header row. Spanned positions are simply absent from `cells`. */
export interface HeaderCell {
  text: string;
  colSpan: number;
  rowSpan: number;
}

/** An exact amount with its display text. */
export interface Amount {
  /** Exact decimal value as a plain string, e.g. "20624.94" (no separators). */
  value: string;
  /** Display text, e.g. "20,624.94". */
  text: string;
}

/**
 * A body cell. `text` is exactly what is printed ("" for a blank cell).
 * `amount` is present for numeric cells (amounts, percents, counts): Excel stores
 * `amount.value` as a number. A blank cell (filler, not applicable) has text "" and
 * no amount; a zero amount has text "0.00" and amount.value "0".
 */
export interface Cell {
  text: string;
  amount?: Amount;
  /** Overrides the column alignment. */
  align?: Align;
  /** Number of columns this cell covers (default 1). */
  colSpan?: number;
  /**
   * This cell is a total of other body cells of the same table: references are
   * [rowIndex, colIndex] into `body` (colIndex counts logical columns). Set only
   * where the printed value equals the exact sum of the referenced printed values,
   * so a spreadsheet formula reproduces the printed value.
   */
  sumOf?: Array<[number, number]>;
}

export interface BodyRow {
  cells: Cell[];
  /**
   * total: a 合计/总计 row; subtotal: 类/款 rows or group totals; data: leaf rows;
   * filler: numbered blank lines of tables 01/04.
   */
  role: 'total' | 'subtotal' | 'data' | 'filler';
  /** Indent level of the row's name (0 = 合计/类, 1 = 款, 2 = 项). */
  level: number;
}

export interface Table {
  /** Stable id: "01" … "09" for the 公开 tables, or e.g. "att-1" for in-text tables. */
  id: string;
  /** "收入支出决算总表" */
  title: string;
  /** "公开01表", or undefined for in-text tables. */
  label?: string;
  /** "部门：XX局"; undefined for in-text tables. */
  departmentLine?: string;
  /** "金额单位：万元" or "单位：万元". */
  unitLine: string;
  /** Wide tables are set on landscape pages. */
  orientation: 'portrait' | 'landscape';
  columns: Column[];
  /**
   * Header rows including the 栏次 row when the form has one (it is the last
   * header row then). Spanned positions are absent, as in HTML.
   */
  header: HeaderCell[][];
  /** Index of the 栏次 row in `header`, or -1 when the form has none. */
  columnNumberRow: number;
  body: BodyRow[];
  /** "注：…" lines (first) and "说明：…" lines, each one paragraph. */
  notes: string[];
}
