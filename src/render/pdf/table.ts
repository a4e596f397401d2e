/**
 * Table layout: column widths (from columns[].width, scaled, then corrected by
 * measured content), wrapped cells, the merged multi-row header grid (row and
 * column spans as in the model), row heights, and drawing a slice of rows.
 */
import { headerGrid as placeHeader } from '../../document/grid';
import type { Align, Column, Table, BodyRow } from '../../document/types';
import type { FontSet, FontRole } from './fonts';
import { breakLines, lineText, tokenizeWords, type Line } from './linebreaker';
import { runsOf, type TextItem } from './paragraph';
import { RULE_WIDTH } from './style';
import { DEFAULT_LAYOUT, type LayoutSpec } from '../../layout/spec';
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

/** Columns of figures, whose neighbours must not touch (codes and line numbers are not read across). */
const FIGURE_KINDS = new Set<Column['kind']>(['amount', 'percent', 'count']);
/** Air (em) a column of figures keeps beside its widest figure when the table can afford it. */
const FIGURE_AIR_EM = 0.5;
const NUMERIC_KINDS = new Set<Column['kind']>(['amount', 'percent', 'count', 'code', 'lineNo']);

export interface TableMetrics {
  size: number;
  lineHeight: number;
  padX: number;
  padY: number;
}

/** Cell metrics at `size` (from the shared layout description: single spacing, as Word sets table text). */
export function metricsFor(size: number, spec: LayoutSpec = DEFAULT_LAYOUT): TableMetrics {
  const t = spec.tables;
  // Half a rule above and below: the rules take room in Word/LibreOffice rows too.
  return { size, lineHeight: size * t.lineEm, padX: size * t.padXEm, padY: size * t.padYEm + RULE_WIDTH / 2 };
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
  for (const atom of tokenizeWords(text)) w = Math.max(w, measure(atom.replace(/[ \t\u00a0]+$/, '')));
  return w;
}

/**
 * Column widths for `avail` points at cell size `size`, measured from content:
 *  - min: numbers never wrap (their full width, figures with half an em of
 *    air when that wraps no more lines); text needs its longest word;
 *  - each cell has a one-line width and a two-line width (broken between
 *    words); the width above the minimums goes, step by step, to the column
 *    where it saves the most lines of table height per point (so a name
 *    column widens before an amount header goes from two lines to one, when
 *    that saves more rows);
 *  - what is left once nothing wraps is shared out in the proportions of
 *    columns[].width.
 */
export function columnWidths(table: Table, fonts: FontSet, size: number, avail: number): { widths: number[]; fits: boolean } {
  // Air beside figures only where it costs no wrapped line.
  const aired = widthsWith(table, fonts, size, avail, FIGURE_AIR_EM);
  const bare = widthsWith(table, fonts, size, avail, 0);
  const pick = aired.fits && (!bare.fits || aired.lines <= bare.lines) ? aired : bare;
  return { widths: pick.widths, fits: pick.fits };
}

function widthsWith(table: Table, fonts: FontSet, size: number, avail: number, air: number): { widths: number[]; fits: boolean; lines: number } {
  const n = table.columns.length;
  const m = metricsFor(size);
  const pad = 2 * m.padX;
  const minW = new Array<number>(n).fill(pad + size);
  const maxW = new Array<number>(n).fill(pad + size);
  // Cells of one column: the row they are in (body rows, then header rows) and their widths.
  const cells: Array<Array<{ row: number; one: number; two: number }>> = table.columns.map(() => []);
  const headerBase = table.body.length;
  table.body.forEach((row, r) => {
    const role = bodyRole(row);
    for (const cell of bodyGrid(row, table.columns)) {
      if (cell.colSpan !== 1 || !cell.text) continue;
      const indent = indentFor(row, table.columns[cell.col], cell.align, size);
      const measure = fonts.measurer(role, size, cell.numeric);
      // Figures keep some air beside them, so neighbouring columns do not touch.
      const full = measure(cell.text) + indent + pad + (cell.numeric && FIGURE_KINDS.has(table.columns[cell.col].kind) ? air * size : 0);
      const min = cell.numeric ? full : longestAtom(cell.text, measure) + indent + pad;
      minW[cell.col] = Math.max(minW[cell.col], min);
      maxW[cell.col] = Math.max(maxW[cell.col], full);
      cells[cell.col].push({ row: r, one: full, two: cell.numeric ? full : Math.max(min, twoLineWidth(cell.text, measure) + indent + pad) });
    }
  });
  for (const cell of headerGrid(table)) {
    if (cell.colSpan !== 1 || !cell.text) continue;
    const role = cell.row === table.columnNumberRow ? COLUMN_NUMBER_ROLE : HEADER_ROLE;
    const measure = fonts.measurer(role, size);
    const min = longestAtom(cell.text, measure) + pad;
    // A header of up to four characters stays on one line (科目代码, 行次, 决算数),
    // over figures with their air.
    const air1 = FIGURE_KINDS.has(table.columns[cell.col].kind) ? air * size : 0;
    const short = Array.from(cell.text).length <= 4 ? measure(cell.text) + pad + air1 : Math.max(min, twoLineWidth(cell.text, measure) + pad);
    minW[cell.col] = Math.max(minW[cell.col], Array.from(cell.text).length <= 4 ? short : min);
    maxW[cell.col] = Math.max(maxW[cell.col], short);
    cells[cell.col].push({ row: headerBase + cell.row, one: short, two: short });
  }
  for (let c = 0; c < n; c++) maxW[c] = Math.max(maxW[c], minW[c]);
  const sumMin = minW.reduce((a, b) => a + b, 0);
  if (sumMin > avail) {
    // Cannot fit: scale the minimums down (content will overflow its cells).
    return { widths: minW.map((w) => (w * avail) / sumMin), fits: false, lines: Infinity };
  }
  const widths = minW.slice();
  // Lines of a cell at width w (1, 2, or 3 for "more").
  const linesAt = (x: { one: number; two: number }, w: number) => (w >= x.one - 0.01 ? 1 : w >= x.two - 0.01 ? 2 : 3);
  const rowCount = headerBase + table.header.length;
  const rowLines = (ws: number[]) => {
    const lines = new Array<number>(rowCount).fill(1);
    ws.forEach((w, c) => {
      for (const x of cells[c]) lines[x.row] = Math.max(lines[x.row], linesAt(x, w));
    });
    return lines.reduce((a, b) => a + b, 0);
  };
  let slack = avail - sumMin;
  let height = rowLines(widths);
  const candidates = cells.map((cs, c) => [...new Set(cs.flatMap((x) => [x.one, x.two]))].filter((w) => w > minW[c] + 0.01).sort((a, b) => a - b));
  for (let step = 0; step < 200 && slack > 0.01; step++) {
    let best: { c: number; w: number; gain: number; h: number } | undefined;
    for (let c = 0; c < n; c++) {
      for (const w of candidates[c]) {
        const cost = w - widths[c];
        if (cost <= 0.01 || cost > slack + 0.01) continue;
        const trial = widths.slice();
        trial[c] = w;
        const h = rowLines(trial);
        const gain = (height - h) / cost;
        if (h < height && (!best || gain > best.gain + 1e-9)) best = { c, w, gain, h };
      }
    }
    if (!best) break;
    slack -= best.w - widths[best.c];
    widths[best.c] = best.w;
    height = best.h;
  }
  if (slack > 0.01) {
    // Nothing wraps that width could unwrap: columns reach their one-line widths first, then share the rest by the spec.
    const spec = table.columns.map((c) => Math.max(0, c.width) || 1);
    const want = widths.map((w, c) => Math.max(0, maxW[c] - w));
    const wantSum = want.reduce((a, b) => a + b, 0);
    if (wantSum > slack) {
      widths.forEach((_, c) => (widths[c] += (want[c] * slack) / wantSum));
      slack = 0;
    } else {
      widths.forEach((_, c) => (widths[c] += want[c]));
      slack -= wantSum;
      const total = spec.reduce((a, b) => a + b, 0);
      widths.forEach((_, c) => (widths[c] += (slack * spec[c]) / total));
    }
  }
  // Text columns narrower than four characters make unreadable tables.
  const fits = table.columns.every(
    (col, c) => NUMERIC_KINDS.has(col.kind) || widths[c] >= Math.min(maxW[c], 4 * size + pad) - 0.01,
  );
  return { widths, fits, lines: height };
}

/** The width of the longer line when `text` is broken into two lines between words, as evenly as can be. */
export function twoLineWidth(text: string, measure: (s: string) => number): number {
  const words = tokenizeWords(text);
  let best = measure(text);
  for (let i = 1; i < words.length; i++) {
    const w = Math.max(measure(words.slice(0, i).join('')), measure(words.slice(i).join('')));
    if (w < best) best = w;
  }
  return best;
}

function indentFor(row: BodyRow, col: Column, align: Align, size: number): number {
  return col.kind === 'text' && align === 'left' ? Math.max(0, row.level) * size * 0.5 : 0;
}

function wrap(text: string, role: FontRole, size: number, tabular: boolean, width: number, fonts: FontSet): Line[] {
  if (!text) return [];
  return breakLines(text, { width, measure: fonts.measurer(role, size, tabular), em: size, justify: false, squeeze: false, words: true });
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
  // Never narrower than the longest word: the wrap must not fall back to cutting a word.
  let lo = Math.min(width, longestAtom(text, fonts.measurer(role, size)));
  let hi = width;
  if (wrap(text, role, size, false, lo, fonts).length <= lines.length) return wrap(text, role, size, false, lo, fonts);
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

/**
 * How cramped a laid-out table reads, as a small whole number (0 = fine):
 *  - a point for every header line beyond two in its tallest header cell
 *    (公务/用车/运行/维护费 is two points: it reads as four broken words);
 *  - a point when a column of figures (amounts, rates, counts: its entries or
 *    its short header, 预算数, 决算数) has less than half an em beside its
 *    widest entry, where neighbouring
 *    figures nearly touch.
 * The table fitting prefers the orientation with the lower score.
 */
export function crampOf(t: TableLayout, table: Table): number {
  const maxHeader = Math.max(1, ...t.header.map((c) => c.lines.length));
  let tight = false;
  const slack = (c: TableCell) => {
    if (c.colSpan !== 1 || c.lines.length !== 1 || !FIGURE_KINDS.has(table.columns[c.col]?.kind)) return;
    const w = t.colX[c.col + 1] - t.colX[c.col] - 2 * t.padX - c.indent;
    if (w - c.lines[0].width < FIGURE_AIR_EM * t.size - 0.01) tight = true;
  };
  for (const row of t.rows) for (const c of row.cells) if (c.tabular) slack(c);
  for (const c of t.header) if (c.role === HEADER_ROLE && Array.from(c.text).length <= 4) slack(c);
  return Math.max(0, maxHeader - 2) + (tight ? 1 : 0);
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
