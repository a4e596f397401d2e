/**
 * Table layout: column widths (from columns[].width, scaled, then corrected by
 * measured content), wrapped cells, the merged multi-row header grid (row and
 * column spans as in the model), row heights, and drawing a slice of rows.
 */
import { headerGrid as placeHeader } from '../../document/grid';
import type { Align, Column, Table, BodyRow } from '../../document/types';
import type { FontSet, FontRole } from './fonts';
import { breakLines, lineText, tokenize, type Line } from './linebreaker';
import { runsOf, type TextItem } from './paragraph';
import { RULE_WIDTH } from './style';
import type { StructNode } from './structure';

/** Structure elements for a table's cells: header cells by index in TableLayout.header, body cells by row and index. */
export interface TableNodes {
  header: StructNode[];
  rows: StructNode[][];
}

export interface RulesItem {
  kind: 'rules';
  width: number;
  /** Flattened segments x1 y1 x2 y2 … */
  segs: number[];
}

export interface TableCell {
  text: string;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  align: Align;
  role: FontRole;
  tabular: boolean;
  /** Extra left indent (row level). */
  indent: number;
  lines: Line[];
}

export interface TableRow {
  cells: TableCell[];
  height: number;
}

export interface TableLayout {
  size: number;
  lineHeight: number;
  padX: number;
  padY: number;
  /** Column edges, n + 1 offsets from the table's left. */
  colX: number[];
  width: number;
  header: TableCell[];
  headerHeights: number[];
  headerHeight: number;
  rows: TableRow[];
  /** False when the columns could not get their minimum widths. */
  fits: boolean;
}

const NUMERIC_KINDS = new Set<Column['kind']>(['amount', 'percent', 'count', 'code', 'lineNo']);

export interface TableMetrics {
  size: number;
  lineHeight: number;
  padX: number;
  padY: number;
}

export function metricsFor(size: number): TableMetrics {
  return { size, lineHeight: size * 1.25, padX: size * 0.35, padY: size * 0.22 };
}

/** Header cells placed on the grid: spanned positions are skipped, as in HTML. */
export function headerGrid(table: Table): Array<{ text: string; row: number; col: number; rowSpan: number; colSpan: number }> {
  const n = table.columns.length;
  const out = placeHeader(table.header, n, table).map((g) => ({ text: g.cell.text, row: g.row, col: g.col, rowSpan: g.rowSpan, colSpan: g.colSpan }));
  // Positions nobody covers still get an (empty) cell so the grid is closed.
  const taken = table.header.map(() => new Array<boolean>(n).fill(false));
  for (const g of out) for (let r = g.row; r < g.row + g.rowSpan; r++) for (let c = g.col; c < g.col + g.colSpan; c++) taken[r][c] = true;
  taken.forEach((row, r) => row.forEach((t, c) => {
    if (!t) out.push({ text: '', row: r, col: c, rowSpan: 1, colSpan: 1 });
  }));
  return out;
}

/** Body cells placed on the grid (colSpan honoured, missing cells filled). */
function bodyGrid(row: BodyRow, columns: Column[]): Array<{ text: string; col: number; colSpan: number; align: Align; numeric: boolean }> {
  const n = columns.length;
  const out: Array<{ text: string; col: number; colSpan: number; align: Align; numeric: boolean }> = [];
  let c = 0;
  for (const cell of row.cells) {
    if (c >= n) break;
    const colSpan = Math.max(1, Math.min(cell.colSpan ?? 1, n - c));
    const col = columns[c];
    out.push({
      text: cell.text,
      col: c,
      colSpan,
      align: cell.align ?? col.align,
      numeric: cell.amount !== undefined || (colSpan === 1 && NUMERIC_KINDS.has(col.kind)),
    });
    c += colSpan;
  }
  for (; c < n; c++) out.push({ text: '', col: c, colSpan: 1, align: columns[c].align, numeric: false });
  return out;
}

function bodyRole(row: BodyRow): FontRole {
  return row.role === 'total' ? 'serifBold' : 'serif';
}

const HEADER_ROLE: FontRole = 'sans';
const COLUMN_NUMBER_ROLE: FontRole = 'serif';

function longestAtom(text: string, measure: (s: string) => number): number {
  let w = 0;
  for (const atom of tokenize(text)) w = Math.max(w, measure(atom.replace(/[ \t\u00a0]+$/, '')));
  return w;
}

/**
 * Column widths for `avail` points at cell size `size`, measured from content
 * (as CSS automatic table layout does):
 *  - min: numbers never wrap (their full width); text needs its longest atom;
 *  - max: the unwrapped content (headers count up to four characters a line);
 *  - all maxima fit: each column gets its max, the rest is shared out in the
 *    proportions of columns[].width;
 *  - otherwise each column gets its min plus a share of the remaining width
 *    in proportion to how much it would still need (max − min).
 */
export function columnWidths(table: Table, fonts: FontSet, size: number, avail: number): { widths: number[]; fits: boolean } {
  const n = table.columns.length;
  const m = metricsFor(size);
  const pad = 2 * m.padX;
  const minW = new Array<number>(n).fill(pad + size);
  const maxW = new Array<number>(n).fill(pad + size);
  for (const row of table.body) {
    const role = bodyRole(row);
    for (const cell of bodyGrid(row, table.columns)) {
      if (cell.colSpan !== 1 || !cell.text) continue;
      const indent = indentFor(row, table.columns[cell.col], cell.align, size);
      const full = fonts.measure(cell.text, role, size, cell.numeric) + indent + pad;
      const min = cell.numeric ? full : longestAtom(cell.text, fonts.measurer(role, size)) + indent + pad;
      minW[cell.col] = Math.max(minW[cell.col], min);
      maxW[cell.col] = Math.max(maxW[cell.col], full);
    }
  }
  for (const cell of headerGrid(table)) {
    if (cell.colSpan !== 1 || !cell.text) continue;
    const role = cell.row === table.columnNumberRow ? COLUMN_NUMBER_ROLE : HEADER_ROLE;
    const measure = fonts.measurer(role, size);
    // A header of up to four characters stays on one line (科目代码, 行次,
    // 决算数); a longer one may take two lines, at most four characters each
    // (本年收入/合计 → 3 + 3, 附属单位/上缴收入 → 4 + 4).
    const n = Array.from(cell.text).length;
    const perLine = n <= 4 ? n : Math.min(4, Math.ceil(n / 2));
    const short = Math.min(measure(cell.text), perLine * size);
    minW[cell.col] = Math.max(minW[cell.col], Math.max(longestAtom(cell.text, measure), short) + pad);
    maxW[cell.col] = Math.max(maxW[cell.col], short + pad);
  }
  for (let c = 0; c < n; c++) maxW[c] = Math.max(maxW[c], minW[c]);
  const sumMin = minW.reduce((a, b) => a + b, 0);
  const sumMax = maxW.reduce((a, b) => a + b, 0);
  if (sumMin > avail) {
    // Cannot fit: scale the minimums down (content will overflow its cells).
    return { widths: minW.map((w) => (w * avail) / sumMin), fits: false };
  }
  let widths: number[];
  if (sumMax <= avail) {
    const spec = table.columns.map((c) => Math.max(0, c.width) || 1);
    const total = spec.reduce((a, b) => a + b, 0);
    widths = maxW.map((w, c) => w + ((avail - sumMax) * spec[c]) / total);
  } else {
    const k = (avail - sumMin) / (sumMax - sumMin);
    widths = minW.map((w, c) => w + (maxW[c] - w) * k);
  }
  // Text columns narrower than four characters make unreadable tables.
  const fits = table.columns.every(
    (col, c) => NUMERIC_KINDS.has(col.kind) || widths[c] >= Math.min(maxW[c], 4 * size + pad) - 0.01,
  );
  return { widths, fits };
}

function indentFor(row: BodyRow, col: Column, align: Align, size: number): number {
  return col.kind === 'text' && align === 'left' ? Math.max(0, row.level) * size * 0.5 : 0;
}

function wrap(text: string, role: FontRole, size: number, tabular: boolean, width: number, fonts: FontSet): Line[] {
  if (!text) return [];
  return breakLines(text, { width, measure: fonts.measurer(role, size, tabular), em: size, justify: false, squeeze: false });
}

/**
 * Wrap a cell into as few lines as at full width, but with the lines as even
 * as possible: 公务用/车运行/维护费 rather than 公务用车/运行维护/费, and no
 * single character left on a last line.
 */
function balancedWrap(text: string, role: FontRole, size: number, width: number, fonts: FontSet, onlyLoneLast = false): Line[] {
  const lines = wrap(text, role, size, false, width, fonts);
  if (lines.length < 2) return lines;
  if (onlyLoneLast && Array.from(lineText(lines[lines.length - 1]).trim()).length > 1) return lines;
  let lo = 0;
  let hi = width;
  for (let k = 0; k < 12 && hi - lo > 0.5; k++) {
    const mid = (lo + hi) / 2;
    if (wrap(text, role, size, false, mid, fonts).length <= lines.length) hi = mid;
    else lo = mid;
  }
  return wrap(text, role, size, false, hi, fonts);
}

/** Lay out a table at cell size `size` across `avail` points. */
export function layoutTable(table: Table, fonts: FontSet, size: number, avail: number): TableLayout {
  const m = metricsFor(size);
  const { widths, fits } = columnWidths(table, fonts, size, avail);
  const colX = [0];
  for (const w of widths) colX.push(colX[colX.length - 1] + w);
  const span = (col: number, colSpan: number) => colX[col + colSpan] - colX[col];
  const cellHeight = (lines: number) => Math.max(1, lines) * m.lineHeight + 2 * m.padY;

  // Header.
  const header: TableCell[] = headerGrid(table).map((h) => {
    const role = h.row === table.columnNumberRow ? COLUMN_NUMBER_ROLE : HEADER_ROLE;
    const lines = balancedWrap(h.text, role, size, span(h.col, h.colSpan) - 2 * m.padX, fonts);
    return { ...h, align: 'center', role, tabular: false, indent: 0, lines };
  });
  const headerHeights = table.header.map(() => cellHeight(1));
  for (const c of header) if (c.rowSpan === 1) headerHeights[c.row] = Math.max(headerHeights[c.row], cellHeight(c.lines.length));
  for (const c of header) {
    if (c.rowSpan === 1) continue;
    const need = cellHeight(c.lines.length);
    const have = headerHeights.slice(c.row, c.row + c.rowSpan).reduce((a, b) => a + b, 0);
    if (need > have) headerHeights[c.row + c.rowSpan - 1] += need - have;
  }

  // Body.
  const rows: TableRow[] = table.body.map((row, r) => {
    const role = bodyRole(row);
    const cells: TableCell[] = bodyGrid(row, table.columns).map((g) => {
      const indent = indentFor(row, table.columns[g.col], g.align, size);
      const w = span(g.col, g.colSpan) - 2 * m.padX - indent;
      // A wrapped name is rebalanced when one character would be left alone.
      const lines = g.numeric ? wrap(g.text, role, size, true, w, fonts) : balancedWrap(g.text, role, size, w, fonts, true);
      return { text: g.text, row: r, col: g.col, rowSpan: 1, colSpan: g.colSpan, align: g.align, role, tabular: g.numeric, indent, lines };
    });
    return { cells, height: Math.max(...cells.map((c) => cellHeight(c.lines.length))) };
  });

  return {
    size,
    lineHeight: m.lineHeight,
    padX: m.padX,
    padY: m.padY,
    colX,
    width: avail,
    header,
    headerHeights,
    headerHeight: headerHeights.reduce((a, b) => a + b, 0),
    rows,
    fits,
  };
}

function drawCell(
  cell: TableCell,
  t: TableLayout,
  left: number,
  top: number,
  height: number,
  items: TextItem[],
  node: StructNode | undefined,
): void {
  const x0 = left + t.colX[cell.col];
  const w = t.colX[cell.col + cell.colSpan] - t.colX[cell.col];
  const n = cell.lines.length;
  if (n === 0) return;
  const block = n * t.lineHeight;
  const firstTop = top - (height - block) / 2;
  cell.lines.forEach((line, i) => {
    const lineTop = firstTop - i * t.lineHeight;
    const y = lineTop - t.lineHeight / 2 - 0.38 * t.size;
    let x: number;
    if (cell.align === 'right') x = x0 + w - t.padX - line.width;
    else if (cell.align === 'center') x = x0 + (w - line.width) / 2;
    else x = x0 + t.padX + cell.indent;
    items.push({
      kind: 'text',
      x,
      y,
      role: cell.role,
      size: t.size,
      tabular: cell.tabular,
      tag: 'cell',
      node,
      squeeze: line.squeeze,
      runs: runsOf({ line, style: { role: cell.role, size: t.size, pitch: t.lineHeight, indentEm: 0, align: 'left' }, x: 0 }),
    });
  });
}

/**
 * Draw the header and body rows [from, to) with the header's top at `top`.
 * Returns the items and the y of the slice's bottom edge.
 */
export function drawTableSlice(
  t: TableLayout,
  from: number,
  to: number,
  left: number,
  top: number,
  nodes?: TableNodes,
): { texts: TextItem[]; rules: RulesItem; bottom: number } {
  // The header belongs to the structure once, where the table starts; its
  // repetitions on later pages are artifacts.
  const headerNodes = from === 0 ? nodes?.header : undefined;
  const texts: TextItem[] = [];
  const segs: number[] = [];
  // Each cell draws its top and left edges; the table's right and bottom
  // edges close the grid. With spans this draws every rule exactly once.
  const edge = (x1: number, y1: number, x2: number, y2: number) => segs.push(x1, y1, x2, y2);
  const rowTops: number[] = [];
  let y = top;
  for (const h of t.headerHeights) {
    rowTops.push(y);
    y -= h;
  }
  t.header.forEach((c, ci) => {
    const cTop = rowTops[c.row];
    const height = t.headerHeights.slice(c.row, c.row + c.rowSpan).reduce((a, b) => a + b, 0);
    const x1 = left + t.colX[c.col];
    const x2 = left + t.colX[c.col + c.colSpan];
    edge(x1, cTop, x2, cTop);
    edge(x1, cTop, x1, cTop - height);
    drawCell(c, t, left, cTop, height, texts, headerNodes?.[ci]);
  });
  for (let r = from; r < to; r++) {
    const row = t.rows[r];
    for (const [ci, c] of row.cells.entries()) {
      const x1 = left + t.colX[c.col];
      const x2 = left + t.colX[c.col + c.colSpan];
      edge(x1, y, x2, y);
      edge(x1, y, x1, y - row.height);
      drawCell(c, t, left, y, row.height, texts, nodes?.rows[r]?.[ci]);
    }
    y -= row.height;
  }
  const right = left + t.colX[t.colX.length - 1];
  edge(right, top, right, y);
  edge(left, y, right, y);
  return { texts, rules: { kind: 'rules', width: RULE_WIDTH, segs }, bottom: y };
}
