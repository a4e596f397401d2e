/**
 * Placing a table's cells on its grid of logical columns, shared by every
 * writer. Header rows list their cells as HTML does: each cell takes the next
 * column not already covered by a row-spanning cell from a row above. Body
 * cells run left to right, each covering `colSpan` columns. A table whose cells
 * do not fit its columns is an inconsistent model and is refused.
 */
import type { BodyRow, Cell, HeaderCell, Table } from './types';

export interface GridHeaderCell {
  /** Header row index (0-based, into table.header). */
  row: number;
  /** First logical column (0-based). */
  col: number;
  rowSpan: number;
  colSpan: number;
  cell: HeaderCell;
}

export interface GridBodyCell {
  /** Body row index (0-based, into table.body). */
  row: number;
  /** First logical column (0-based). */
  col: number;
  colSpan: number;
  cell: Cell;
}

/** A table a writer cannot lay out because the model is inconsistent. */
export class TableShapeError extends Error {
  constructor(table: Pick<Table, 'id' | 'title' | 'label'> | undefined, message: string) {
    super(table ? `table ${table.label ?? table.id} (${table.title}): ${message}` : message);
    this.name = 'TableShapeError';
  }
}

export function headerGrid(header: readonly (readonly HeaderCell[])[], nCols: number, table?: Table): GridHeaderCell[] {
  const nRows = header.length;
  const covered: boolean[][] = header.map(() => new Array<boolean>(nCols).fill(false));
  const placed: GridHeaderCell[] = [];
  header.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (c < nCols && covered[r][c]) c++;
      const rowSpan = Math.max(1, cell.rowSpan || 1);
      const colSpan = Math.max(1, cell.colSpan || 1);
      if (c + colSpan > nCols) throw new TableShapeError(table, `header row ${r} is wider than its ${nCols} columns`);
      if (r + rowSpan > nRows) throw new TableShapeError(table, `header cell "${cell.text}" spans below the header`);
      for (let rr = r; rr < r + rowSpan; rr++) {
        for (let cc = c; cc < c + colSpan; cc++) {
          if (covered[rr][cc]) throw new TableShapeError(table, `header cell "${cell.text}" overlaps another cell`);
          covered[rr][cc] = true;
        }
      }
      placed.push({ row: r, col: c, rowSpan, colSpan, cell });
      c += colSpan;
    }
  });
  return placed;
}

export function bodyGrid(table: Table, row: BodyRow, rowIndex: number): GridBodyCell[] {
  const nCols = table.columns.length;
  const placed: GridBodyCell[] = [];
  let c = 0;
  for (const cell of row.cells) {
    const colSpan = Math.max(1, cell.colSpan ?? 1);
    if (c + colSpan > nCols) throw new TableShapeError(table, `body row ${rowIndex} is wider than its ${nCols} columns`);
    placed.push({ row: rowIndex, col: c, colSpan, cell });
    c += colSpan;
  }
  return placed;
}
