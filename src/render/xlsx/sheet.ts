/**
 * One 公开 table → one worksheet laid out like the printed form:
 *
 *   row 1      title (merged across, centred, bold, larger)
 *   row 2      公开NN表 (merged across, right)
 *   row 3      部门：… (left)                 金额单位：万元 (right)
 *   rows 4…    header rows with the model's merges, the 栏次 row last
 *   then       body rows (amounts as numbers, totals as SUM formulas)
 *   then       注/说明 lines (merged across, wrapped)
 */
import type ExcelJS from 'exceljs';
import type { Align, BodyRow, Column, Table } from '../../document/types';
import {
  checkSumReferences,
  placeBodyRow,
  placeHeader,
  sumFormula,
  TableShapeError,
  type PlacedBodyCell,
  type PlacedHeaderCell,
} from './grid';
import { chooseNumberFormat, defaultFormat } from './number-format';
import { displayWidth, wrappedLines } from './text-width';

/** Typography of the workbook. */
export const FONT_NAME = '宋体';
/** GB2312 charset, so Excel and WPS pick the Chinese face. */
const FONT_CHARSET = 134;
const TITLE_SIZE = 16;
const BODY_SIZE = 10.5;
const NOTE_SIZE = 10;
/** Line height in points for 10.5 pt text, and cell padding. */
const LINE_HEIGHT = 14;
const ROW_PADDING = 5;
const MIN_BODY_ROW_HEIGHT = 18;
const MIN_HEADER_ROW_HEIGHT = 20;
const TITLE_ROW_HEIGHT = 32;

/** Column width limits (Excel character units) by column kind. */
const MIN_WIDTH: Record<Column['kind'], number> = {
  text: 10,
  code: 8,
  lineNo: 6,
  amount: 12,
  percent: 10,
  count: 8,
};
const MAX_WIDTH = 50;
/** Width units one indent level takes (Excel indents by about one CJK character). */
const INDENT_UNITS = 2;

/** Fixed sheet rows before the header. */
export const TITLE_ROW = 1;
export const LABEL_ROW = 2;
export const META_ROW = 3;
export const HEADER_TOP = 4;

const THIN: Partial<ExcelJS.Border> = { style: 'thin', color: { argb: 'FF000000' } };
const GRID_BORDER: Partial<ExcelJS.Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** Where each part of a table lands on its sheet (1-based rows and columns). */
export interface SheetLayout {
  headerTop: number;
  /** Last header row (the 栏次 row when the form has one); frozen and repeated in print. */
  headerBottom: number;
  bodyTop: number;
  notesTop: number;
  lastRow: number;
  lastCol: number;
}

export function sheetLayout(table: Table): SheetLayout {
  const headerTop = HEADER_TOP;
  const headerBottom = headerTop + table.header.length - 1;
  const bodyTop = headerBottom + 1;
  const notesTop = bodyTop + table.body.length;
  return {
    headerTop,
    headerBottom,
    bodyTop,
    notesTop,
    lastRow: notesTop + table.notes.length - 1,
    lastCol: table.columns.length,
  };
}

/** Sheet name from the table label: "公开 01 表" → "公开01表" (Excel rules: ≤31 chars, no []:*?/\). */
export function sheetName(table: Table): string {
  const raw = (table.label ?? table.id).replace(/\s+/g, '').replace(/[[\]:*?/\\]/g, '');
  return raw.slice(0, 31) || table.id;
}

function font(size: number, bold = false): Partial<ExcelJS.Font> {
  return { name: FONT_NAME, charset: FONT_CHARSET, size, bold };
}

/** Whether a cell is written as a number (the model gives an amount and prints something). */
function isNumeric(cell: { text: string; amount?: { value: string } }): boolean {
  return cell.amount !== undefined && cell.text !== '';
}

/**
 * Column widths that fit the labels: the longest body text (CJK counted double,
 * plus indentation), the header words (wrapped onto two lines when long), the
 * kind's minimum; capped so one long name cannot take the page.
 */
export function columnWidths(table: Table, header: PlacedHeaderCell[], body: PlacedBodyCell[][]): number[] {
  const widths = table.columns.map((c) => MIN_WIDTH[c.kind] ?? 10);
  const need = (col: number, w: number) => {
    widths[col] = Math.max(widths[col], Math.min(MAX_WIDTH, w));
  };
  for (const h of header) {
    if (h.colSpan !== 1) continue;
    const w = displayWidth(h.cell.text);
    need(h.col, w <= 12 ? w + 2 : Math.ceil(w / 2) + 2);
  }
  body.forEach((row, r) => {
    for (const p of row) {
      if (p.colSpan !== 1) continue;
      need(p.col, displayWidth(p.cell.text) + indentOf(table, table.body[r], p) * INDENT_UNITS + 2);
    }
  });
  // A body cell spanning columns (e.g. "人员经费合计") must fit across them.
  body.forEach((row) => {
    for (const p of row) {
      if (p.colSpan === 1) continue;
      const have = sum(widths.slice(p.col, p.col + p.colSpan));
      const want = Math.min(MAX_WIDTH, displayWidth(p.cell.text) + 2);
      if (have < want) {
        const cols = range(p.col, p.colSpan);
        const target = cols.find((c) => table.columns[c].kind === 'text') ?? cols[cols.length - 1];
        widths[target] += want - have;
      }
    }
  });
  return widths.map((w) => Math.round(w * 2) / 2);
}

function alignOf(table: Table, p: PlacedBodyCell): Align {
  return p.cell.align ?? table.columns[p.col].align;
}

/** Indent level of a body cell: the row level, for left-aligned name (text) cells only. */
function indentOf(table: Table, row: BodyRow, p: PlacedBodyCell): number {
  if (p.cell.text === '' || table.columns[p.col].kind !== 'text' || alignOf(table, p) !== 'left') return 0;
  return Math.max(0, Math.floor(row.level || 0));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function range(start: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}

function height(lines: number): number {
  return lines * LINE_HEIGHT + ROW_PADDING;
}

/** Fill one table into a fresh worksheet. */
/** The comment on a cell holding a printed total with its rounding tail. */
export const PRINTED_TOTAL_NOTE = '打印数（含尾差）';

export function writeTableSheet(ws: ExcelJS.Worksheet, table: Table, orientation: 'portrait' | 'landscape' = table.orientation): SheetLayout {
  const nCols = table.columns.length;
  // One style object per distinct style of the grid: exceljs registers a style
  // object once (a WeakMap by object) instead of serialising every cell's style
  // to find its id. A shared object is only ever assigned whole (cell.style = …),
  // never changed through a cell (cell.font = … would change every cell sharing it).
  const styles = new Map<string, Partial<ExcelJS.Style>>();
  const shared = (style: Partial<ExcelJS.Style>): Partial<ExcelJS.Style> => {
    const f = style.font ?? {};
    const a = style.alignment;
    const key = [
      f.name, f.charset, f.size, f.bold,
      a ? [a.horizontal, a.vertical, a.wrapText, a.indent].join('/') : '-',
      style.numFmt ?? '',
      style.border === GRID_BORDER ? 'grid' : JSON.stringify(style.border ?? null),
      Object.keys(style).join('/'),
    ].join('|');
    let hit = styles.get(key);
    if (!hit) styles.set(key, (hit = style));
    return hit;
  };
  if (nCols < 2) throw new TableShapeError(table, 'a 公开 table needs at least two columns');
  const layout = sheetLayout(table);
  const header = placeHeader(table);
  const body = table.body.map((row, r) => placeBodyRow(table, row, r));
  checkSumReferences(table, body);

  const widths = columnWidths(table, header, body);
  ws.columns = widths.map((width) => ({ width }));
  const spanWidth = (col: number, span: number) => sum(widths.slice(col, col + span));
  const totalWidth = sum(widths);

  // Row heights are collected first and set at the end.
  const heights = new Map<number, number>();
  const atLeast = (row: number, h: number) => heights.set(row, Math.max(heights.get(row) ?? 0, h));

  // Title.
  const title = ws.getCell(TITLE_ROW, 1);
  title.value = table.title;
  title.font = font(TITLE_SIZE, true);
  title.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  ws.mergeCells(TITLE_ROW, 1, TITLE_ROW, nCols);
  atLeast(TITLE_ROW, Math.max(TITLE_ROW_HEIGHT, wrappedLines(table.title, totalWidth / 1.6) * 22 + 8));

  // 公开NN表, right.
  const label = ws.getCell(LABEL_ROW, 1);
  label.value = table.label ?? '';
  label.font = font(BODY_SIZE);
  label.alignment = { horizontal: 'right', vertical: 'middle' };
  ws.mergeCells(LABEL_ROW, 1, LABEL_ROW, nCols);
  atLeast(LABEL_ROW, MIN_BODY_ROW_HEIGHT);

  // 部门 (left) and 金额单位 (right): the unit takes as few right-hand columns as it needs.
  const unitWidth = displayWidth(table.unitLine) + 2;
  let unitCols = 1;
  while (unitCols < nCols - 1 && spanWidth(nCols - unitCols, unitCols) < unitWidth) unitCols++;
  const deptCols = nCols - unitCols;
  const dept = ws.getCell(META_ROW, 1);
  dept.value = table.departmentLine ?? '';
  dept.font = font(BODY_SIZE);
  dept.alignment = { horizontal: 'left', vertical: 'middle', wrapText: true };
  if (deptCols > 1) ws.mergeCells(META_ROW, 1, META_ROW, deptCols);
  const unit = ws.getCell(META_ROW, deptCols + 1);
  unit.value = table.unitLine;
  unit.font = font(BODY_SIZE);
  unit.alignment = { horizontal: 'right', vertical: 'middle', wrapText: true };
  if (unitCols > 1) ws.mergeCells(META_ROW, deptCols + 1, META_ROW, nCols);
  atLeast(
    META_ROW,
    height(
      Math.max(
        wrappedLines(table.departmentLine ?? '', spanWidth(0, deptCols)),
        wrappedLines(table.unitLine, spanWidth(deptCols, unitCols)),
      ),
    ),
  );

  // Grid: every position of header and body gets a border (merged areas included).
  for (let r = layout.headerTop; r < layout.notesTop; r++) {
    for (let c = 1; c <= nCols; c++) {
      ws.getCell(r, c).style = shared({ border: GRID_BORDER, font: font(BODY_SIZE) });
    }
  }

  // Header.
  for (let r = layout.headerTop; r <= layout.headerBottom; r++) atLeast(r, MIN_HEADER_ROW_HEIGHT);
  for (const h of header) {
    const row = layout.headerTop + h.row;
    const col = h.col + 1;
    const cell = ws.getCell(row, col);
    cell.value = h.cell.text;
    cell.style = shared({ border: GRID_BORDER, font: font(BODY_SIZE, true), alignment: { horizontal: 'center', vertical: 'middle', wrapText: true } });
    if (h.rowSpan > 1 || h.colSpan > 1) {
      ws.mergeCells(row, col, row + h.rowSpan - 1, col + h.colSpan - 1);
    }
    if (h.rowSpan === 1) atLeast(row, height(wrappedLines(h.cell.text, spanWidth(h.col, h.colSpan))));
  }
  // A row-spanning header cell that needs more room than its rows have: grow its last row.
  for (const h of header) {
    if (h.rowSpan === 1) continue;
    const rows = range(layout.headerTop + h.row, h.rowSpan);
    const have = sum(rows.map((r) => heights.get(r) ?? MIN_HEADER_ROW_HEIGHT));
    const want = height(wrappedLines(h.cell.text, spanWidth(h.col, h.colSpan)));
    if (have < want) {
      const last = rows[rows.length - 1];
      heights.set(last, (heights.get(last) ?? MIN_HEADER_ROW_HEIGHT) + want - have);
    }
  }

  // Body.
  const position = (r: number, c: number) => ({ row: layout.bodyTop + r, col: c + 1 });
  body.forEach((placed, r) => {
    const bodyRow = table.body[r];
    const sheetRow = layout.bodyTop + r;
    atLeast(sheetRow, MIN_BODY_ROW_HEIGHT);
    const bold = bodyRow.role === 'total';
    for (const p of placed) {
      const column = table.columns[p.col];
      const cell = ws.getCell(sheetRow, p.col + 1);
      const align = alignOf(table, p);
      const indent = indentOf(table, bodyRow, p);
      const numeric = isNumeric(p.cell);
      const style: Partial<ExcelJS.Style> = {
        border: GRID_BORDER,
        font: font(BODY_SIZE, bold),
        alignment: {
          horizontal: align,
          vertical: 'middle',
          wrapText: !numeric,
          ...(indent > 0 ? { indent } : {}),
        },
      };
      if (numeric) {
        const amount = p.cell.amount!;
        const value = Number(amount.value);
        const refs = p.cell.sumOf;
        if (refs && refs.length > 0) {
          const formula = sumFormula(refs.map(([rr, cc]) => position(rr, cc)));
          cell.value = { formula, result: value } as ExcelJS.CellFormulaValue;
        } else {
          cell.value = value;
        }
        // A total printed with its rounding tail (the sum of the shown parts differs): said where it sits.
        if (p.cell.printedTotal) cell.note = PRINTED_TOTAL_NOTE;
        style.numFmt = chooseNumberFormat(amount.value, p.cell.text, column.kind) ?? defaultFormat(column.kind);
      } else if (p.cell.text !== '') {
        cell.value = p.cell.text;
      }
      cell.style = shared(style);
      if (p.colSpan > 1) ws.mergeCells(sheetRow, p.col + 1, sheetRow, p.col + p.colSpan);
      if (!numeric) {
        const usable = spanWidth(p.col, p.colSpan) - indent * INDENT_UNITS;
        atLeast(sheetRow, height(wrappedLines(p.cell.text, usable)));
      }
    }
  });

  // Notes under the table.
  table.notes.forEach((note, i) => {
    const row = layout.notesTop + i;
    const cell = ws.getCell(row, 1);
    cell.value = note;
    cell.font = font(NOTE_SIZE);
    cell.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
    ws.mergeCells(row, 1, row, nCols);
    atLeast(row, height(wrappedLines(note, totalWidth * (BODY_SIZE / NOTE_SIZE))));
  });

  for (const [row, h] of [...heights.entries()].sort((a, b) => a[0] - b[0])) {
    ws.getRow(row).height = h;
  }

  ws.pageSetup = {
    paperSize: 9, // A4
    // The orientation of the report's table fitting (the PDF's and the Word file's).
    orientation,
    fitToPage: true,
    // Each sheet numbers its own pages from 1.
    firstPageNumber: 1,
    fitToWidth: 1,
    fitToHeight: 0,
    horizontalCentered: true,
    margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
    printTitlesRow: `${TITLE_ROW}:${layout.headerBottom}`,
  };
  // The page number of the sheet (&N would count the pages of every sheet printed together).
  ws.headerFooter = { oddFooter: '&C— &P —' };
  ws.views = [
    {
      state: 'frozen',
      xSplit: 0,
      ySplit: layout.headerBottom,
      topLeftCell: `A${layout.bodyTop}`,
      activeCell: `A${layout.bodyTop}`,
      showGridLines: false,
    },
  ];
  return layout;
}
