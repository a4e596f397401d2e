/**
 * The Excel writer's small parts: formulas, number formats, grid placement,
 * text widths, and refusing inconsistent tables.
 */
import type { ReportDocument, Table } from '../src/document/types';
import { renderXlsx } from '../src/render/xlsx';
import { sumFormula, columnLetter, placeBodyRow, checkSumReferences } from '../src/render/xlsx/grid';
import { chooseNumberFormat, formatValue } from '../src/render/xlsx/number-format';
import { displayWidth, wrappedLines } from '../src/render/xlsx/text-width';
import { addIgnoredErrors } from '../src/render/xlsx/ignored-errors';
import { miniDocument } from './fixtures/mini-document';

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

function tableOf(doc: ReportDocument, id: string): Table {
  for (const p of doc.parts) for (const b of p.blocks) if (b.kind === 'table' && b.table.id === id) return b.table;
  throw new Error(`no table ${id}`);
}

describe('sumFormula', () => {
  test('a column of children becomes one range', () => {
    expect(sumFormula([5, 6, 7, 8, 9].map((row) => ({ row, col: 3 })))).toBe('SUM(C5:C9)');
  });
  test('scattered cells are listed, in row order', () => {
    expect(sumFormula([{ row: 12, col: 3 }, { row: 5, col: 3 }, { row: 8, col: 3 }])).toBe('SUM(C5,C8,C12)');
  });
  test('runs and singles mix; a row run becomes a horizontal range', () => {
    expect(sumFormula([{ row: 8, col: 2 }, { row: 8, col: 3 }, { row: 8, col: 6 }])).toBe('SUM(B8:C8,F8)');
    expect(
      sumFormula([
        { row: 5, col: 3 },
        { row: 6, col: 3 },
        { row: 7, col: 3 },
        { row: 10, col: 3 },
      ]),
    ).toBe('SUM(C5:C7,C10)');
  });
  test('duplicates count once', () => {
    expect(sumFormula([{ row: 5, col: 3 }, { row: 5, col: 3 }, { row: 6, col: 3 }])).toBe('SUM(C5:C6)');
  });
  test('column letters', () => {
    expect([1, 26, 27, 52, 703].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'AAA']);
  });
});

describe('number formats reproduce the model text', () => {
  test.each([
    ['20624.94', '20,624.94', 'amount', '#,##0.00'],
    ['0', '0.00', 'amount', '#,##0.00'],
    ['5.5', '5.50', 'amount', '#,##0.00'],
    ['-1234.5', '-1,234.50', 'amount', '#,##0.00'],
    ['1234.5', '1234.50', 'amount', '0.00'],
    ['94.63', '94.63%', 'percent', '0.00"%"'],
    ['0.9463', '94.63%', 'percent', '0.00%'],
    ['229.52', '229.52%', 'percent', '0.00"%"'],
    ['12', '12', 'count', '0'],
    ['1200', '1,200', 'count', '#,##0'],
  ] as const)('%s shown as %s (%s) → %s', (value, text, kind, format) => {
    expect(chooseNumberFormat(value, text, kind)).toBe(format);
  });

  test('no format invents a text the model does not print', () => {
    expect(chooseNumberFormat('20624.944', '20,624.95', 'amount')).toBeUndefined();
    expect(chooseNumberFormat('1', '一', 'count')).toBeUndefined();
  });

  test('display rounding is half away from zero on the exact decimal', () => {
    expect(formatValue('1.005', { grouping: false, decimals: 2, percent: 'none' })).toBe('1.01');
    expect(formatValue('-1.005', { grouping: false, decimals: 2, percent: 'none' })).toBe('-1.01');
    expect(formatValue('-0.001', { grouping: false, decimals: 2, percent: 'none' })).toBe('0.00');
    expect(formatValue('1234567.891', { grouping: true, decimals: 2, percent: 'none' })).toBe('1,234,567.89');
  });
});

describe('text widths', () => {
  test('CJK counts two, ASCII one', () => {
    expect(displayWidth('科目代码')).toBe(8);
    expect(displayWidth('20,624.94')).toBe(9);
    expect(displayWidth('因公出国（境）费')).toBe(16);
    expect(displayWidth('“三公”经费')).toBe(12);
  });
  test('wrapped lines', () => {
    expect(wrappedLines('', 10)).toBe(1);
    expect(wrappedLines('本年收入合计', 13)).toBe(1);
    expect(wrappedLines('本年收入合计', 7)).toBe(2);
  });
});

describe('grid placement', () => {
  test('body cells with colSpan take logical columns (06 total row)', () => {
    const t = tableOf(miniDocument, '06');
    const placed = placeBodyRow(t, t.body[3], 3);
    expect(placed.map((p) => [p.cell.text, p.col, p.colSpan])).toEqual([
      ['人员经费合计', 0, 2],
      ['30.00', 2, 1],
      ['公用经费合计', 3, 2],
      ['5.50', 5, 1],
    ]);
  });

  test('sumOf pointing into the middle of a spanned cell is refused', () => {
    const t = clone(tableOf(miniDocument, '06'));
    t.body[0].cells[2].sumOf = [[3, 1]];
    const placed = t.body.map((r, i) => placeBodyRow(t, r, i));
    expect(() => checkSumReferences(t, placed)).toThrow(/not the first column/);
  });

  test('circular sumOf is refused', () => {
    const t = clone(tableOf(miniDocument, '06'));
    t.body[1].cells[2].sumOf = [[3, 2]];
    const placed = t.body.map((r, i) => placeBodyRow(t, r, i));
    expect(() => checkSumReferences(t, placed)).toThrow(/circular/);
  });
});

describe('renderXlsx edge cases', () => {
  test('a document without 公开 tables is refused', async () => {
    const doc = clone(miniDocument);
    doc.parts = doc.parts.map((p) => ({ ...p, blocks: p.blocks.filter((b) => b.kind !== 'table' || !b.table.label) }));
    await expect(renderXlsx(doc)).rejects.toThrow(/no 公开 tables/);
  });

  test('a bad sumOf reference in the document stops the build with the table named', async () => {
    const doc = clone(miniDocument);
    const t = tableOf(doc, '01');
    t.body[3].cells[2].sumOf = [[0, 2], [9, 2]];
    await expect(renderXlsx(doc)).rejects.toThrow(/公开01表.*\[9,2\]/);
  });
});

describe('ignoredErrors (codes stored as text are intended)', () => {
  const head = '<worksheet><dimension ref="A1:F12"/><sheetData/>';
  test('added for the used range, before </worksheet>', () => {
    expect(addIgnoredErrors(`${head}<headerFooter/></worksheet>`)).toBe(
      `${head}<headerFooter/><ignoredErrors><ignoredError sqref="A1:F12" numberStoredAsText="1" formula="1" formulaRange="1"/></ignoredErrors></worksheet>`,
    );
  });
  test('placed before elements the schema puts after it', () => {
    const out = addIgnoredErrors(`${head}<drawing r:id="rId1"/><extLst/></worksheet>`);
    expect(out.indexOf('<ignoredErrors>')).toBeLessThan(out.indexOf('<drawing'));
  });
  test('left alone when present or when the sheet has no dimension', () => {
    const has = `${head}<ignoredErrors/></worksheet>`;
    expect(addIgnoredErrors(has)).toBe(has);
    expect(addIgnoredErrors('<worksheet></worksheet>')).toBe('<worksheet></worksheet>');
  });
});
