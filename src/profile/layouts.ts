/**
 * Table layouts: the contracts between a profile's table spec and the code that
 * fills the table body (src/compose/tables.ts). A layout names the columns it
 * knows (key → kind), the spec labels it prints, and, for code tables, which
 * derived table it reads. A spec is checked against its layout when the profile
 * is loaded, so a typo in a column key can never move a figure into another
 * column.
 */
import { Column } from '../document/types';
import { T02_COLS, T03_COLS, T05_COLS, T07_COLS, T08_COLS } from '../validate/model';

export type ColumnKind = Column['kind'];

export const LAYOUT_NAMES = [
  'summary-01', 'summary-04', 'code-table', 'economic-grid', 'three-public', 'budget-execution', 'basic-execution',
] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

/** Derived code tables a `code-table` layout can read, with their column keys (total first where the table has one). */
export const CODE_SOURCE_NAMES = ['t02', 't03', 't05', 't07', 't08'] as const;
export type CodeSource = (typeof CODE_SOURCE_NAMES)[number];
// A function, not a constant: validate/model imports the profile loader, so its
// column constants are not yet defined when this module is first evaluated.
const codeSources = (): Record<CodeSource, readonly string[]> => ({
  t02: ['total', ...T02_COLS],
  t03: ['total', ...T03_COLS],
  t05: ['total', ...T05_COLS],
  t07: [...T07_COLS, 'expense', 'closing'],
  t08: ['total', ...T08_COLS],
});

export interface LayoutContract {
  /** Fixed columns in order (key, kind); undefined for code tables (columns depend on `source`). */
  columns?: Array<[string, ColumnKind]>;
  /** Spec keys holding printed wording: a single text, or a list of texts. */
  labels: Record<string, 'text' | 'list'>;
  /** Whether the spec must name a `source` (code tables). */
  source: boolean;
}

const amounts = (prefix: string, keys: string[]): Array<[string, ColumnKind]> => keys.map((k) => [`${prefix}${k}`, 'amount']);

export const LAYOUTS: Record<LayoutName, LayoutContract> = {
  'summary-01': {
    columns: [['in_item', 'text'], ['in_line', 'lineNo'], ['in_amount', 'amount'], ['out_item', 'text'], ['out_line', 'lineNo'], ['out_amount', 'amount']],
    labels: {
      income_rows: 'list', income_total: 'text', nonfiscal_balance_used: 'text', opening_balance: 'text',
      expenditure_total: 'text', surplus_distribution: 'text', closing_balance: 'text', grand_total: 'text',
    },
    source: false,
  },
  'summary-04': {
    columns: [
      ['in_item', 'text'], ['in_line', 'lineNo'], ['in_amount', 'amount'], ['out_item', 'text'], ['out_line', 'lineNo'],
      ['total', 'amount'], ['general', 'amount'], ['gov_fund', 'amount'], ['state_capital', 'amount'],
    ],
    labels: {
      income_rows: 'list', income_total: 'text', opening_balance: 'text', opening_rows: 'list',
      expenditure_total: 'text', closing_balance: 'text', grand_total: 'text',
    },
    source: false,
  },
  'code-table': { labels: {}, source: true },
  'economic-grid': {
    columns: [1, 2, 3].flatMap((g) => [[`code${g}`, 'code'], [`name${g}`, 'text'], [`amount${g}`, 'amount']] as Array<[string, ColumnKind]>),
    labels: { personnel_total: 'text', public_total: 'text' },
    source: false,
  },
  'three-public': {
    columns: ['budget.', 'actual.'].flatMap((p) => amounts(p, ['total', 'abroad', 'cars', 'car_purchase', 'car_operation', 'reception'])),
    labels: {},
    source: false,
  },
  'budget-execution': {
    columns: ['initial.', 'adjusted.', 'actual.'].flatMap((p) => amounts(p, ['basic', 'project', 'total'])),
    labels: {},
    source: false,
  },
  'basic-execution': {
    columns: [['label', 'text'], ['budget', 'amount'], ['actual', 'amount'], ['balance', 'amount'], ['rate', 'percent']],
    labels: {},
    source: false,
  },
};

/** The columns a code table of `source` may show after 科目代码 and 科目名称. */
export function codeColumns(source: CodeSource): readonly string[] {
  return codeSources()[source];
}
