/**
 * Placing the model's header and body cells on a grid of logical columns, and
 * turning `sumOf` references into spreadsheet formulas. Pure functions, no exceljs.
 */
import type { BodyRow, Table } from '../../document/types';
import { bodyGrid, GridBodyCell, GridHeaderCell, headerGrid, TableShapeError } from '../../document/grid';

export type PlacedHeaderCell = GridHeaderCell;
export type PlacedBodyCell = GridBodyCell;
export { TableShapeError };

/** Header cells of a table on the grid (see src/document/grid.ts). */
export function placeHeader(table: Table): PlacedHeaderCell[] {
  return headerGrid(table.header, table.columns.length, table);
}

/** Body cells of one row on the grid. */
export function placeBodyRow(table: Table, row: BodyRow, rowIndex: number): PlacedBodyCell[] {
  return bodyGrid(table, row, rowIndex);
}

/** "A", "B", …, "Z", "AA", … for a 1-based column number. */
export function columnLetter(col1: number): string {
  let n = col1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** Sheet position (1-based) of a body cell. */
export interface SheetPosition {
  row: number;
  col: number;
}

/**
 * The formula (without "=") that sums the given sheet cells, using ranges where
 * cells are contiguous: "SUM(C6:C13)", "SUM(C5,C8,C12)", "SUM(B8:C8,F8)".
 * Terms are ordered by row, then column, so the text is deterministic.
 */
export function sumFormula(cells: SheetPosition[]): string {
  const key = (p: SheetPosition) => `${p.row}:${p.col}`;
  const unique = new Map<string, SheetPosition>();
  for (const p of cells) unique.set(key(p), p);
  const remaining = new Set(unique.keys());

  interface Term {
    top: number;
    left: number;
    text: string;
  }
  const terms: Term[] = [];

  // Vertical runs first (the usual shape: a column of children under a total).
  const byCol = new Map<number, number[]>();
  for (const p of unique.values()) {
    const rows = byCol.get(p.col) ?? [];
    rows.push(p.row);
    byCol.set(p.col, rows);
  }
  for (const [col, rows] of byCol) {
    rows.sort((a, b) => a - b);
    for (const run of runs(rows)) {
      if (run.length < 2) continue;
      const first = run[0];
      const last = run[run.length - 1];
      terms.push({ top: first, left: col, text: `${columnLetter(col)}${first}:${columnLetter(col)}${last}` });
      for (const r of run) remaining.delete(`${r}:${col}`);
    }
  }

  // Then horizontal runs among the cells left over (e.g. a total across columns).
  const byRow = new Map<number, number[]>();
  for (const k of remaining) {
    const p = unique.get(k)!;
    const cols = byRow.get(p.row) ?? [];
    cols.push(p.col);
    byRow.set(p.row, cols);
  }
  for (const [row, cols] of byRow) {
    cols.sort((a, b) => a - b);
    for (const run of runs(cols)) {
      const first = run[0];
      const last = run[run.length - 1];
      const text =
        run.length < 2
          ? `${columnLetter(first)}${row}`
          : `${columnLetter(first)}${row}:${columnLetter(last)}${row}`;
      terms.push({ top: row, left: first, text });
    }
  }

  terms.sort((a, b) => a.top - b.top || a.left - b.left);
  return `SUM(${terms.map((t) => t.text).join(',')})`;
}

/** Split sorted integers into runs of consecutive values. */
function runs(sorted: number[]): number[][] {
  const out: number[][] = [];
  for (const v of sorted) {
    const last = out[out.length - 1];
    if (last && v === last[last.length - 1] + 1) last.push(v);
    else out.push([v]);
  }
  return out;
}

/**
 * Check the `sumOf` references of a table: each must point at the first column
 * of an existing body cell, and the totals must not refer to themselves, directly
 * or through other totals. Throws TableShapeError otherwise.
 */
export function checkSumReferences(table: Table, placedRows: PlacedBodyCell[][]): void {
  const at = (r: number, c: number): PlacedBodyCell | undefined => placedRows[r]?.find((p) => p.col === c);
  const edges = new Map<string, string[]>();
  for (const row of placedRows) {
    for (const p of row) {
      const refs = p.cell.sumOf;
      if (!refs || refs.length === 0) continue;
      const from = `${p.row},${p.col}`;
      const targets: string[] = [];
      for (const ref of refs) {
        const [r, c] = ref;
        const target = at(r, c);
        if (!target) {
          throw new TableShapeError(
            table,
            `cell [${p.row},${p.col}] sums [${r},${c}], which is not the first column of a body cell`,
          );
        }
        targets.push(`${r},${c}`);
      }
      edges.set(from, targets);
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (node: string, path: string[]): void => {
    const s = state.get(node);
    if (s === 'done') return;
    if (s === 'open') {
      throw new TableShapeError(table, `circular sumOf references: ${[...path, node].join(' -> ')}`);
    }
    state.set(node, 'open');
    for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of edges.keys()) visit(node, []);
}
