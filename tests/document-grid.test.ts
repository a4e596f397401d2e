/** The shared grid placement every writer uses (src/document/grid.ts). */
import { headerGrid, TableShapeError } from '../src/document/grid';
import type { Table } from '../src/document/types';
import { miniDocument } from './fixtures/mini-document';

const tableOf = (id: string): Table =>
  miniDocument.parts.flatMap((p) => p.blocks).flatMap((b) => (b.kind === 'table' && b.table.id === id ? [b.table] : []))[0];

test('header cells skip positions covered by row spans (07 table)', () => {
  const t = tableOf('07');
  expect(headerGrid(t.header, t.columns.length, t).map((p) => [p.cell.text, p.row, p.col, p.rowSpan, p.colSpan])).toEqual([
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

test('a header wider than the columns is refused', () => {
  const t: Table = JSON.parse(JSON.stringify(tableOf('07')));
  t.header[1].push({ text: '多余', colSpan: 1, rowSpan: 1 });
  expect(() => headerGrid(t.header, t.columns.length, t)).toThrow(TableShapeError);
});

test('overlapping and too-tall header cells are refused', () => {
  const H = (text: string, colSpan = 1, rowSpan = 1) => ({ text, colSpan, rowSpan });
  expect(() => headerGrid([[H('a', 1, 3)], [H('b')]], 1)).toThrow(/spans below the header/);
  expect(() => headerGrid([[H('a', 2)], [H('b', 3)]], 2)).toThrow(/wider than/);
});
