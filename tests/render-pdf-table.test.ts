/**
 * Table layout on its own: the merged header grid, content-measured column
 * widths, wrapping, and the rules drawn for a slice.
 */
import type { Table } from '../src/document/types';
import { FontSet } from '../src/render/pdf/fonts';
import { columnWidths, drawTableSlice, headerGrid, layoutTable } from '../src/render/pdf/table';
import { lineText } from '../src/render/pdf/linebreaker';
import { miniDocument } from './fixtures/mini-document';

const fonts = new FontSet();
const tables: Table[] = miniDocument.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : [])));
const byId = (id: string) => tables.find((t) => t.id === id)!;
const AVAIL = 442.2;

describe('headerGrid', () => {
  it('places merged cells as HTML does (spanned positions absent)', () => {
    const g = headerGrid(byId('07')).map((c) => [c.text, c.row, c.col, c.rowSpan, c.colSpan]);
    expect(g).toEqual([
      ['项目', 0, 0, 1, 2],
      ['年初结转和结余', 0, 2, 2, 1],
      ['本年收入', 0, 3, 2, 1],
      ['科目代码', 1, 0, 1, 1],
      ['科目名称', 1, 1, 1, 1],
      ['栏次', 2, 0, 1, 2],
      ['1', 2, 2, 1, 1],
      ['2', 2, 3, 1, 1],
    ]);
  });

  it('covers every grid position exactly once', () => {
    for (const t of tables) {
      const n = t.columns.length;
      const seen = t.header.map(() => new Array<number>(n).fill(0));
      for (const c of headerGrid(t)) {
        for (let r = c.row; r < c.row + c.rowSpan; r++) for (let k = c.col; k < c.col + c.colSpan; k++) seen[r][k]++;
      }
      expect(seen.flat().every((x) => x === 1)).toBe(true);
    }
  });
});

describe('columnWidths', () => {
  it('fills the width, never wraps numbers, and widens wrapping text columns first', () => {
    for (const t of tables) {
      const { widths, fits } = columnWidths(t, fonts, 10.5, AVAIL);
      expect(fits).toBe(true);
      expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(AVAIL, 3);
      const lay = layoutTable(t, fonts, 10.5, AVAIL);
      for (const row of lay.rows) for (const c of row.cells) if (c.tabular && c.text) expect(c.lines).toHaveLength(1);
    }
  });

  it('gives the amount columns of table 01 room for 20,624.94 on one line', () => {
    const lay = layoutTable(byId('01'), fonts, 10.5, AVAIL);
    const amount = lay.rows[0].cells[2];
    expect(lineText(amount.lines[0])).toBe('20,624.94');
  });

  it('reports a table whose numbers cannot fit as not fitting', () => {
    const { fits } = columnWidths(byId('01'), fonts, 10.5, 120);
    expect(fits).toBe(false);
  });
});

describe('layoutTable', () => {
  it('makes a header cell spanning rows as tall as those rows', () => {
    const lay = layoutTable(byId('07'), fonts, 10.5, AVAIL);
    const cell = lay.header.find((c) => c.text === '年初结转和结余')!;
    expect(cell.rowSpan).toBe(2);
    expect(lay.headerHeight).toBeCloseTo(lay.headerHeights.reduce((a, b) => a + b, 0), 6);
  });

  it('wraps long text inside its cell, balancing the lines', () => {
    const t: Table = JSON.parse(JSON.stringify(byId('att-1')));
    t.body[0].cells[0].text = '一般公共服务（类）政府办公厅（室）及相关机构事务（款）';
    const lay = layoutTable(t, fonts, 10.5, 200);
    const lines = lay.rows[0].cells[0].lines.map(lineText);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join('')).toBe(t.body[0].cells[0].text);
    expect(Array.from(lines[lines.length - 1]).length).toBeGreaterThan(1);
  });
});

describe('drawTableSlice', () => {
  it('draws every rule once: top and left of each cell, then right and bottom of the table', () => {
    const t = byId('06');
    const lay = layoutTable(t, fonts, 10.5, AVAIL);
    const slice = drawTableSlice(lay, 0, lay.rows.length, 50, 700);
    const cells = lay.header.length + lay.rows.reduce((s, r) => s + r.cells.length, 0);
    expect(slice.rules.segs.length / 4).toBe(cells * 2 + 2);
    const height = lay.headerHeight + lay.rows.reduce((s, r) => s + r.height, 0);
    expect(slice.bottom).toBeCloseTo(700 - height, 6);
    // The colSpan=2 total cell is drawn once across both columns.
    expect(slice.texts.filter((i) => i.runs.map((r) => r.text).join('') === '人员经费合计')).toHaveLength(1);
  });
});
