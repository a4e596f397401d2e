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
import { pPr as pPrOf, paragraph, run, type BodyElement, type Jc, type ParagraphProps } from './xml';
import type { Align, BodyRow, Cell, Column, HeaderCell, Table } from '../../document/types';
import { STYLE } from './styles';
import { TABLE_CELL_PAD, TABLE_CHAR, TABLE_CHAR_SMALL, TABLE_ROW_MIN, TABLE_ROW_MIN_SMALL, pt } from './typography';
import { apportion, fitColumnWidths, measureEm, minimumWidths } from './widths';
import type { WordTableFit } from './pagination';

const ALIGN: Record<Align, Jc> = { left: 'left', center: 'center', right: 'right' };

const BORDERS_XML =
  '<w:tblBorders>' +
  ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((side) => `<w:${side} w:val="single" w:color="000000" w:sz="4"/>`).join('') +
  '</w:tblBorders>';

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

/** A table cell's paragraph: its lines as runs (a line break before each line after the first). */
function cellParagraph(style: string, lines: readonly string[], alignment: Align, options: { indent?: number; bold?: boolean; keepNext?: boolean } = {}): string {
  const props: ParagraphProps = {
    style,
    keepNext: options.keepNext,
    alignment: ALIGN[alignment],
    indent: options.indent ? { left: options.indent } : undefined,
  };
  let content = '';
  lines.forEach((text, i) => {
    if (text !== '') content += run(text, { bold: options.bold, breakBefore: i > 0 });
  });
  return `<w:p>${pPrOf(props)}${content}</w:p>`;
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

/** One cell: width (the grid columns it spans), span, vertical merge, centred vertically. */
function cellXml(width: number, span: number, merge: PlacedHeaderCell['merge'], body: string): string {
  return (
    `<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="${width}"/>` +
    (span > 1 ? `<w:gridSpan w:val="${span}"/>` : '') +
    (merge ? `<w:vMerge w:val="${merge}"/>` : '') +
    '<w:vAlign w:val="center"/></w:tcPr>' +
    body +
    '</w:tc>'
  );
}

/** One row: never split across pages, a header row repeats on each page, at least `height` high. */
function rowXml(header: boolean, height: number, cells: string): string {
  return `<w:tr><w:trPr><w:cantSplit/>${header ? '<w:tblHeader/>' : ''}<w:trHeight w:val="${height}" w:hRule="atLeast"/></w:trPr>${cells}</w:tr>`;
}

/** The sum of the grid columns [start, start + span). */
const spanWidth = (widths: readonly number[], start: number, span: number): number => {
  let w = 0;
  for (let i = start; i < start + span && i < widths.length; i++) w += widths[i];
  return w;
};

function headerRow(type: TableType, cells: readonly PlacedHeaderCell[], widths: readonly number[]): string {
  let col = 0;
  let xml = '';
  for (const cell of cells) {
    xml += cellXml(spanWidth(widths, col, cell.colSpan), cell.colSpan, cell.merge, cellParagraph(type.style, [cell.text], 'center'));
    col += cell.colSpan;
  }
  return rowXml(true, type.rowMin, xml);
}

/** Left indent of a name cell: one character per row level, in text columns only. */
function nameIndent(type: TableType, row: BodyRow, column: Column | undefined, align: Align): number | undefined {
  if (!column || column.kind !== 'text' || align !== 'left' || row.level <= 0) return undefined;
  return row.level * type.em;
}

/** keepWithNext: the row is kept on the page of what follows (the last rows stay with the notes). */
function bodyRow(type: TableType, row: BodyRow, columns: readonly Column[], widths: readonly number[], keepWithNext = false): string {
  let col = 0;
  let xml = '';
  for (const cell of row.cells as Cell[]) {
    const span = cell.colSpan && cell.colSpan > 1 ? cell.colSpan : 1;
    const start = col;
    const column = columns[col];
    col += span;
    const align: Align = cell.align ?? column?.align ?? 'left';
    const para = cellParagraph(type.style, [cell.text], align, { indent: nameIndent(type, row, column, align), bold: row.role === 'total', keepNext: keepWithNext });
    xml += cellXml(spanWidth(widths, start, span), span, undefined, para);
  }
  return rowXml(false, type.rowMin, xml);
}

/**
 * The notes under a table. "注：…" and "说明：…" hang: wrapped lines align
 * with the text after the colon; a line continuing a "注：" list ("2.…")
 * aligns with "1.".
 */
function notes(table: Table): BodyElement[] {
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
    return paragraph({ style: STYLE.tableNote, spacingBefore: i === 0 ? pt(4) : undefined, indent }, run(note), note);
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
  fit?: WordTableFit;
}

/** The paragraph style of table text at `sizePt` (one per size the layout chose; see styles.ts). */
export const tableTextStyle = (sizePt: number): string => `${STYLE.tableText}${Math.round(sizePt * 10)}`;

/** w:tbl with its properties and grid; `rows` is the rows' XML. */
function tableXml(textWidth: number, widths: readonly number[], margins: { top: number; left: number; bottom: number; right: number }, rows: string): string {
  return (
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${textWidth}"/><w:jc w:val="center"/>` +
    BORDERS_XML +
    '<w:tblLayout w:type="fixed"/>' +
    `<w:tblCellMar><w:top w:type="dxa" w:w="${margins.top}"/><w:left w:type="dxa" w:w="${margins.left}"/><w:bottom w:type="dxa" w:w="${margins.bottom}"/><w:right w:type="dxa" w:w="${margins.right}"/></w:tblCellMar>` +
    '</w:tblPr><w:tblGrid>' +
    widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('') +
    '</w:tblGrid>' +
    rows +
    '</w:tbl>'
  );
}

/**
 * A table set as the page layout fitted it: the same type size and column
 * widths as the PDF, the cell text broken where the PDF breaks it (between
 * words), each row at least as high as in the PDF, and every row kept with
 * the next except the last row of each PDF page, so Word breaks the table
 * where the PDF does (and keeps a one-page table on one page).
 */
function fittedTable(table: Table, fit: WordTableFit, textWidth: number): string {
  const style = tableTextStyle(fit.size);
  const type: TableType = { style, em: pt(fit.size), rowMin: 0 };
  const widths = apportion(fit.colX.slice(1).map((x, i) => x - fit.colX[i]), textWidth);
  const headerAt = new Map<string, string[]>();
  for (const h of fit.header) if (!headerAt.has(`${h.row}:${h.col}`)) headerAt.set(`${h.row}:${h.col}`, h.lines);
  let rows = '';
  placeHeader(table.header, table.columns.length).forEach((cells, r) => {
    let col = 0;
    let xml = '';
    for (const cell of cells) {
      const at = col;
      col += cell.colSpan;
      const laid = headerAt.get(`${r}:${at}`);
      const lines = cell.merge === 'continue' ? [] : laid ?? [cell.text];
      xml += cellXml(spanWidth(widths, at, cell.colSpan), cell.colSpan, cell.merge, cellParagraph(style, lines, 'center', { keepNext: true }));
    }
    rows += rowXml(true, pt(fit.headerHeights[r]), xml);
  });
  const pageEnds = new Set(fit.pages.map(([, to]) => to - 1));
  const last = table.body.length - 1;
  table.body.forEach((row, r) => {
    const laid = fit.rows[r];
    const keepNext = r === last ? false : !pageEnds.has(r);
    let col = 0;
    let xml = '';
    (row.cells as Cell[]).forEach((cell, i) => {
      const span = cell.colSpan && cell.colSpan > 1 ? cell.colSpan : 1;
      const start = col;
      const column = table.columns[col];
      col += span;
      const align: Align = cell.align ?? column?.align ?? 'left';
      const laidCell = laid.cells[i];
      const lines = laidCell ? laidCell.lines : [cell.text];
      const indent = laidCell?.indent ? pt(laidCell.indent) : nameIndent(type, row, column, align);
      xml += cellXml(spanWidth(widths, start, span), span, undefined, cellParagraph(style, cell.text === '' ? [] : lines, align, { indent, bold: row.role === 'total', keepNext }));
    });
    rows += rowXml(false, pt(laid.height), xml);
  });
  // The rules take the half-rule of padding the PDF leaves above and below the text.
  // A point less side padding than the PDF: Word and LibreOffice need a hair more room for a line that just fits.
  const side = pt(Math.max(0, fit.padX - 1));
  const vertical = pt(Math.max(0, fit.padY - 0.25));
  return tableXml(textWidth, widths, { top: vertical, left: side, bottom: vertical, right: side }, rows);
}

/** The blocks of one model table, in reading order. */
export function renderTable(table: Table, options: TableRenderOptions): BodyElement[] {
  const out: BodyElement[] = [];
  out.push(paragraph({ style: table.label !== undefined ? STYLE.tableTitle : STYLE.inlineTableTitle, pageBreakBefore: options.pageBreakBefore }, run(table.title), table.title));
  if (table.label !== undefined) out.push(paragraph({ style: STYLE.tableLabel }, run(table.label), table.label));
  if (table.departmentLine !== undefined) {
    // 部门 on the left, 金额单位 on the right of the same line: a right tab stop at the text edge.
    out.push(
      paragraph(
        { style: STYLE.tableMeta, tabs: [{ type: 'right', position: options.textWidth }] },
        run(table.departmentLine) + run(table.unitLine, { tabBefore: true }),
        `${table.departmentLine}\t${table.unitLine}`,
      ),
    );
  } else {
    out.push(paragraph({ style: STYLE.tableMeta, alignment: 'right' }, run(table.unitLine), table.unitLine));
  }

  if (options.fit) {
    out.push({ kind: 'other', xml: fittedTable(table, options.fit, options.textWidth) });
    out.push(...notes(table));
    return out;
  }
  const type = chooseTableType(table, options.textWidth);
  const widths = tableColumnWidths(table, type, options.textWidth);
  let rows = '';
  for (const cells of placeHeader(table.header, table.columns.length)) rows += headerRow(type, cells, widths);
  table.body.forEach((row, i) => (rows += bodyRow(type, row, table.columns, widths, table.notes.length > 0 && i >= table.body.length - 2)));
  out.push({ kind: 'other', xml: tableXml(options.textWidth, widths, { top: 0, left: TABLE_CELL_PAD, bottom: 0, right: TABLE_CELL_PAD }, rows) });
  out.push(...notes(table));
  return out;
}
