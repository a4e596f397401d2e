/**
 * Column widths. The model gives relative widths; the writer scales them to
 * the text width of the page. A number must never wrap inside its cell
 * ("20,624.94" split over two lines is unreadable and forbidden by GB/T 15835),
 * so a column holding codes, line numbers or amounts is widened to its widest
 * cell text where needed, and the text columns (whose Chinese wraps freely)
 * give up the room, in proportion to their model widths.
 */
import type { Column, Table } from '../../document/types';

/**
 * Approximate advance width of a string in em of the table font: Chinese and
 * full-width forms 1 em, Times New Roman digits 0.5 em, separators narrower.
 * Errs on the wide side, so a measured number surely fits.
 */
export function measureEm(text: string): number {
  let em = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x2e80 || (cp >= 0x2010 && cp <= 0x206f)) em += 1;
    else if (ch >= '0' && ch <= '9') em += 0.5;
    else if (ch === ',' || ch === '.' || ch === ' ' || ch === ':' || ch === ';') em += 0.25;
    else if (ch === '%') em += 0.84;
    else if (ch === '-' || ch === '(' || ch === ')') em += 0.34;
    else if (ch >= 'A' && ch <= 'Z') em += 0.72;
    else em += 0.5;
  }
  return em;
}

/** Column kinds whose cells hold one unbreakable token. */
const UNBREAKABLE: ReadonlySet<Column['kind']> = new Set(['code', 'lineNo', 'amount', 'percent', 'count']);

export interface WidthOptions {
  /** Font size of the table text, in twips per em (10.5 pt = 210). */
  em: number;
  /** Left + right cell padding, twips. */
  padding: number;
  /** Extra room so a measured string surely fits (rounding, bold), twips. */
  slack: number;
}

/**
 * Minimum width of each column (twips): the widest single-column cell text for
 * number-like columns (body cells and the 栏次 row), two characters otherwise.
 */
export function minimumWidths(table: Table, o: WidthOptions): number[] {
  const need = table.columns.map(() => 2 * o.em + o.padding);
  const consider = (col: number, text: string) => {
    const column = table.columns[col];
    if (!column || !UNBREAKABLE.has(column.kind) || text === '') return;
    need[col] = Math.max(need[col], Math.ceil(measureEm(text) * o.em) + o.padding + o.slack);
  };
  for (const row of table.body) {
    let col = 0;
    for (const cell of row.cells) {
      const span = cell.colSpan && cell.colSpan > 1 ? cell.colSpan : 1;
      if (span === 1) consider(col, cell.text);
      col += span;
    }
  }
  if (table.columnNumberRow >= 0) {
    let col = 0;
    for (const cell of table.header[table.columnNumberRow] ?? []) {
      if (cell.colSpan === 1 && /^\d+$/.test(cell.text)) consider(col, cell.text);
      col += cell.colSpan;
    }
  }
  return need;
}

/** Integer parts of `total` proportional to `weights` (largest remainder, ties to the left). */
export function apportion(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (sum > 0 ? (w * total) / sum : total / weights.length));
  const parts = exact.map((x) => Math.floor(x));
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) parts[order[k].i] += 1;
  return parts;
}

/**
 * Widths (twips, summing exactly to `total`) proportional to the model's
 * widths, except that no column is narrower than `need`: a column pinned at its
 * need takes that, the others share the rest in their model proportions. When
 * even the needs do not fit, the needs themselves are scaled down.
 */
export function fitColumnWidths(columns: readonly Column[], need: readonly number[], total: number): number[] {
  const weights = columns.map((c) => (Number.isFinite(c.width) && c.width > 0 ? c.width : 1));
  const needSum = need.reduce((a, b) => a + b, 0);
  if (needSum >= total) return apportion(need, total);
  const pinned = new Set<number>();
  for (;;) {
    const free = weights.map((_, i) => i).filter((i) => !pinned.has(i));
    const remaining = total - [...pinned].reduce((a, i) => a + need[i], 0);
    const freeWeight = free.reduce((a, i) => a + weights[i], 0);
    const tentative = weights.map((w, i) => (pinned.has(i) ? need[i] : (w * remaining) / freeWeight));
    const short = free.filter((i) => tentative[i] < need[i]);
    if (short.length === 0) {
      // Apportion the free columns' share exactly; pinned columns keep their need.
      const freeParts = apportion(free.map((i) => weights[i]), remaining);
      const out = [...need];
      free.forEach((i, k) => (out[i] = freeParts[k]));
      return out;
    }
    short.forEach((i) => pinned.add(i));
  }
}
