/**
 * A model Table as Word blocks: title, 公开NN表 label, the 部门/金额单位 line,
 * the table itself (merged multi-row header, 栏次 row, body), and the notes.
 *
 * Header cells map rowSpan → w:vMerge (restart, then a continue cell in each
 * row below) and colSpan → w:gridSpan.
 * Header rows repeat on every page (w:tblHeader) and no row splits across pages
 * (w:cantSplit). Column widths are the model's relative widths scaled to the
 * text width of the page the table is on, widened where a number would wrap
 * (widths.ts).
 */
import { headerGrid } from '../../document/grid';
import {
  AlignmentType,
  BorderStyle,
  HeightRule,
  Paragraph,
  Tab,
  TabStopType,
  Table as WordTable,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  VerticalMergeType,
  WidthType,
  type FileChild,
} from 'docx';
import type { Align, BodyRow, Cell, Column, HeaderCell, Table } from '../../document/types';
import { STYLE } from './styles';
import { TABLE_CELL_PAD, TABLE_CHAR, TABLE_CHAR_SMALL, TABLE_ROW_MIN, TABLE_ROW_MIN_SMALL, pt } from './typography';
import { apportion, fitColumnWidths, measureEm, minimumWidths } from './widths';
import type { TableFit } from '../pdf/paginate';

const ALIGN: Record<Align, (typeof AlignmentType)[keyof typeof AlignmentType]> = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
};

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const BORDERS = { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin };

/**
 * Table text size: 五号 (10.5 pt) normally; 小五 (9 pt) for a crowded table,
 * one where at 五号 more than a fifth of the body rows would wrap a name.
 */
export interface TableType {
  style: string;
  /** One character of the table text, twips. */
  em: number;
  /** Minimum row height, twips. */
  rowMin: number;
}
export const TABLE_TYPE_NORMAL: TableType = { style: STYLE.tableText, em: TABLE_CHAR, rowMin: TABLE_ROW_MIN };
export const TABLE_TYPE_SMALL: TableType = { style: STYLE.tableTextSmall, em: TABLE_CHAR_SMALL, rowMin: TABLE_ROW_MIN_SMALL };
const CROWDED = 0.2;

const widthOptions = (type: TableType) => ({ em: type.em, padding: 2 * TABLE_CELL_PAD, slack: pt(3) });

/** Column widths of a table set in `type` on a text column `total` twips wide. */
export function tableColumnWidths(table: Table, type: TableType, total: number): number[] {
  return fitColumnWidths(table.columns, minimumWidths(table, widthOptions(type)), total);
}

/** Share of body rows with a text cell that would not fit on one line. */
export function wrappedRowShare(table: Table, type: TableType, total: number): number {
  if (table.body.length === 0) return 0;
  const widths = tableColumnWidths(table, type, total);
  let wrapped = 0;
  for (const row of table.body) {
    let col = 0;
    const wraps = row.cells.some((cell) => {
      const span = cell.colSpan && cell.colSpan > 1 ? cell.colSpan : 1;
      const start = col;
      col += span;
      const column = table.columns[start];
      if (!column || column.kind !== 'text') return false;
      const room = widths.slice(start, start + span).reduce((a, b) => a + b, 0) - 2 * TABLE_CELL_PAD - row.level * type.em;
      return measureEm(cell.text) * type.em > room;
    });
    if (wraps) wrapped++;
  }
  return wrapped / table.body.length;
}

export function chooseTableType(table: Table, total: number): TableType {
  return wrappedRowShare(table, TABLE_TYPE_NORMAL, total) > CROWDED ? TABLE_TYPE_SMALL : TABLE_TYPE_NORMAL;
}

function cellParagraph(type: TableType, text: string, alignment: Align, options: { indent?: number; bold?: boolean; keepNext?: boolean } = {}): Paragraph {
  return new Paragraph({
    style: type.style,
    keepNext: options.keepNext || undefined,
    alignment: ALIGN[alignment],
    indent: options.indent ? { left: options.indent } : undefined,
    children: text === '' ? [] : [new TextRun({ text, bold: options.bold || undefined })],
  });
}

/** A header cell placed on the grid: a vertical merge starts (restart) or continues (continue) here. */
export interface PlacedHeaderCell {
  text: string;
  colSpan: number;
  merge?: 'restart' | 'continue';
}

/**
 * Header rows for Word from the shared grid (src/document/grid.ts): a cell with
 * rowSpan > 1 starts a vertical merge, and each row it reaches down into gets a
 * continue cell of the same width at its column.
 */
export function placeHeader(header: readonly (readonly HeaderCell[])[], columns: number): PlacedHeaderCell[][] {
  const grid = headerGrid(header, columns);
  return header.map((_, r) => {
    const out: PlacedHeaderCell[] = [];
    for (let col = 0; col < columns; ) {
      const start = grid.find((g) => g.row === r && g.col === col);
      if (start) {
        out.push({ text: start.cell.text, colSpan: start.colSpan, merge: start.rowSpan > 1 ? 'restart' : undefined });
        col += start.colSpan;
        continue;
      }
      const above = grid.find((g) => g.row < r && g.row + g.rowSpan > r && g.col === col);
      if (!above) break; // a short row: leave the rest of the grid empty
      out.push({ text: '', colSpan: above.colSpan, merge: 'continue' });
      col += above.colSpan;
    }
    return out;
  });
}

function headerRow(type: TableType, cells: readonly PlacedHeaderCell[]): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    height: { value: type.rowMin, rule: HeightRule.ATLEAST },
    children: cells.map(
      (cell) =>
        new TableCell({
          columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
          verticalMerge: cell.merge === 'restart' ? VerticalMergeType.RESTART : cell.merge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
          verticalAlign: VerticalAlignTable.CENTER,
          children: [cellParagraph(type, cell.text, 'center')],
        }),
    ),
  });
}

/** Left indent of a name cell: one character per row level, in text columns only. */
function nameIndent(type: TableType, row: BodyRow, column: Column | undefined, align: Align): number | undefined {
  if (!column || column.kind !== 'text' || align !== 'left' || row.level <= 0) return undefined;
  return row.level * type.em;
}

/** keepWithNext: the row is kept on the page of what follows (the last rows stay with the notes). */
function bodyRow(type: TableType, row: BodyRow, columns: readonly Column[], keepWithNext = false): TableRow {
  let col = 0;
  const children = row.cells.map((cell: Cell) => {
    const span = cell.colSpan && cell.colSpan > 1 ? cell.colSpan : 1;
    const column = columns[col];
    col += span;
    const align: Align = cell.align ?? column?.align ?? 'left';
    return new TableCell({
      columnSpan: span > 1 ? span : undefined,
      verticalAlign: VerticalAlignTable.CENTER,
      children: [cellParagraph(type, cell.text, align, { indent: nameIndent(type, row, column, align), bold: row.role === 'total', keepNext: keepWithNext })],
    });
  });
  return new TableRow({
    cantSplit: true,
    height: { value: type.rowMin, rule: HeightRule.ATLEAST },
    children,
  });
}

/**
 * The notes under a table. "注：…" and "说明：…" hang: wrapped lines align
 * with the text after the colon; a line continuing a "注：" list ("2.…")
 * aligns with "1.".
 */
function notes(table: Table): Paragraph[] {
  let underNote = false;
  return table.notes.map((note, i) => {
    const lead = /^(注|说明)[：:]/.exec(note);
    let indent: { left: number; hanging?: number } | undefined;
    if (lead) {
      const width = lead[0].length * TABLE_CHAR;
      indent = { left: width, hanging: width };
      underNote = lead[1] === '注';
    } else if (underNote) {
      indent = { left: 2 * TABLE_CHAR };
    }
    return new Paragraph({
      style: STYLE.tableNote,
      spacing: i === 0 ? { before: pt(4) } : undefined,
      indent,
      children: [new TextRun(note)],
    });
  });
}

export interface TableRenderOptions {
  /** Width of the text column of the page the table is set on (twips). */
  textWidth: number;
  /** Start the table (its title) on a new page. */
  pageBreakBefore: boolean;
  /**
   * The fitting decision of the report's page layout (src/layout): type size,
   * column widths, line breaks, row heights and page breaks, as in the PDF.
   */
  fit?: TableFit;
}

/** The paragraph style of table text at `sizePt` (one per size the layout chose; see styles.ts). */
export const tableTextStyle = (sizePt: number): string => `${STYLE.tableText}${Math.round(sizePt * 10)}`;

/**
 * A table set as the page layout fitted it: the same type size and column
 * widths as the PDF, the cell text broken where the PDF breaks it (between
 * words), each row at least as high as in the PDF, and every row kept with
 * the next except the last row of each PDF page, so Word breaks the table
 * where the PDF does (and keeps a one-page table on one page).
 */
function fittedTable(table: Table, fit: TableFit, textWidth: number): WordTable {
  const t = fit.layout;
  const style = tableTextStyle(t.size);
  const type: TableType = { style, em: pt(t.size), rowMin: 0 };
  const widths = apportion(t.colX.slice(1).map((x, i) => x - t.colX[i]), textWidth);
  const linesOf = (lines: ReadonlyArray<{ atoms: ReadonlyArray<{ text: string }> }>) => lines.map((l) => l.atoms.map((a) => a.text).join('').trimEnd());
  const run = (lines: string[], bold: boolean) =>
    lines.flatMap((text, i) => (text === '' ? [] : [new TextRun({ text, bold: bold || undefined, break: i > 0 ? 1 : undefined })]));
  const para = (lines: string[], align: Align, opts: { indent?: number; bold?: boolean; keepNext?: boolean } = {}) =>
    new Paragraph({
      style,
      keepNext: opts.keepNext || undefined,
      alignment: ALIGN[align],
      indent: opts.indent ? { left: opts.indent } : undefined,
      children: run(lines, !!opts.bold),
    });
  const placed = placeHeader(table.header, table.columns.length);
  const headerRows = placed.map((cells, r) => {
    let col = 0;
    return new TableRow({
      tableHeader: true,
      cantSplit: true,
      height: { value: pt(t.headerHeights[r]), rule: HeightRule.ATLEAST },
      children: cells.map((cell) => {
        const at = col;
        col += cell.colSpan;
        const laid = t.header.find((h) => h.row === r && h.col === at);
        const lines = cell.merge === 'continue' ? [] : laid ? linesOf(laid.lines) : [cell.text];
        return new TableCell({
          columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
          verticalMerge: cell.merge === 'restart' ? VerticalMergeType.RESTART : cell.merge === 'continue' ? VerticalMergeType.CONTINUE : undefined,
          verticalAlign: VerticalAlignTable.CENTER,
          children: [para(cell.merge === 'continue' ? [] : lines, 'center', { keepNext: true })],
        });
      }),
    });
  });
  const pageEnds = new Set(fit.pages.map(([, to]) => to - 1));
  const last = table.body.length - 1;
  const bodyRows = table.body.map((row, r) => {
    const laid = t.rows[r];
    const keepNext = r === last ? false : !pageEnds.has(r);
    let col = 0;
    return new TableRow({
      cantSplit: true,
      height: { value: pt(laid.height), rule: HeightRule.ATLEAST },
      children: row.cells.map((cell: Cell, i) => {
        const span = cell.colSpan && cell.colSpan > 1 ? cell.colSpan : 1;
        const column = table.columns[col];
        col += span;
        const align: Align = cell.align ?? column?.align ?? 'left';
        const lines = laid.cells[i] ? linesOf(laid.cells[i].lines) : [cell.text];
        return new TableCell({
          columnSpan: span > 1 ? span : undefined,
          verticalAlign: VerticalAlignTable.CENTER,
          children: [para(cell.text === '' ? [] : lines, align, { indent: laid.cells[i]?.indent ? pt(laid.cells[i].indent) : nameIndent(type, row, column, align), bold: row.role === 'total', keepNext })],
        });
      }),
    });
  });
  return new WordTable({
    rows: [...headerRows, ...bodyRows],
    width: { size: textWidth, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    borders: BORDERS,
    // The rules take the half-rule of padding the PDF leaves above and below the text.
    // A point less side padding than the PDF: Word and LibreOffice need a hair more room for a line that just fits.
    margins: { left: pt(Math.max(0, t.padX - 1)), right: pt(Math.max(0, t.padX - 1)), top: pt(Math.max(0, t.padY - 0.25)), bottom: pt(Math.max(0, t.padY - 0.25)) },
  });
}

/** The blocks of one model table, in reading order. */
export function renderTable(table: Table, options: TableRenderOptions): FileChild[] {
  const out: FileChild[] = [];
  out.push(
    new Paragraph({
      style: table.label !== undefined ? STYLE.tableTitle : STYLE.inlineTableTitle,
      pageBreakBefore: options.pageBreakBefore || undefined,
      children: [new TextRun(table.title)],
    }),
  );
  if (table.label !== undefined) {
    out.push(new Paragraph({ style: STYLE.tableLabel, children: [new TextRun(table.label)] }));
  }
  if (table.departmentLine !== undefined) {
    // 部门 on the left, 金额单位 on the right of the same line: a right tab stop at the text edge.
    out.push(
      new Paragraph({
        style: STYLE.tableMeta,
        tabStops: [{ type: TabStopType.RIGHT, position: options.textWidth }],
        children: [new TextRun(table.departmentLine), new TextRun({ children: [new Tab(), table.unitLine] })],
      }),
    );
  } else {
    out.push(new Paragraph({ style: STYLE.tableMeta, alignment: AlignmentType.RIGHT, children: [new TextRun(table.unitLine)] }));
  }

  if (options.fit) {
    out.push(fittedTable(table, options.fit, options.textWidth));
    out.push(...notes(table));
    return out;
  }
  const type = chooseTableType(table, options.textWidth);
  const widths = tableColumnWidths(table, type, options.textWidth);
  const rows = [...placeHeader(table.header, table.columns.length).map((cells) => headerRow(type, cells)), ...table.body.map((row, i) => bodyRow(type, row, table.columns, table.notes.length > 0 && i >= table.body.length - 2))];
  out.push(
    new WordTable({
      rows,
      width: { size: options.textWidth, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      alignment: AlignmentType.CENTER,
      borders: BORDERS,
      margins: { left: TABLE_CELL_PAD, right: TABLE_CELL_PAD, top: 0, bottom: 0 },
    }),
  );
  out.push(...notes(table));
  return out;
}
