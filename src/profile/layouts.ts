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
  'summary-01', 'summary-04', 'code-table', 'economic-grid', 'three-public', 'budget-execution', 'basic-execution', 'unit-list',
] as const;
export type LayoutName = (typeof LAYOUT_NAMES)[number];

/** Derived code tables a `code-table` layout can read, with their column keys (total first where the table has one). */
export const CODE_SOURCE_NAMES = ['t02', 't03', 't05', 't07', 't08', 't08_balances'] as const;
export type CodeSource = (typeof CODE_SOURCE_NAMES)[number];
// A function, not a constant: validate/model imports the profile loader, so its
// column constants are not yet defined when this module is first evaluated.
const codeSources = (): Record<CodeSource, readonly string[]> => ({
  t02: ['total', ...T02_COLS],
  t03: ['total', ...T03_COLS],
  t05: ['total', ...T05_COLS],
  t07: [...T07_COLS, 'expense', 'closing'],
  t08: ['total', ...T08_COLS],
  // the 国有资本经营 table with 年初结转和结余 and 本年收入 (formats that print its balances)
  t08_balances: [...T07_COLS, 'expense', 'closing'],
});

export interface LayoutContract {
  /** Fixed columns in order (key, kind); undefined for code tables (columns depend on `source`). */
  columns?: Array<[string, ColumnKind]>;
  /** Spec keys holding printed wording: a single text, or a list of texts. */
  labels: Record<string, 'text' | 'list'>;
  /** Whether the spec must name a `source` (code tables). */
  source: boolean;
  /** Columns a spec may leave out (e.g. 行次 columns of a form that prints none); the others keep their order. */
  optional?: string[];
  /** The spec may list the columns in any order (each cell is built by its key). */
  anyOrder?: boolean;
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
    optional: ['in_line', 'out_line'],
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
    optional: ['in_line', 'out_line'],
  },
  'code-table': { labels: {}, source: true },
  'economic-grid': {
    columns: [1, 2, 3].flatMap((g) => [[`code${g}`, 'code'], [`name${g}`, 'text'], [`amount${g}`, 'amount']] as Array<[string, ColumnKind]>),
    labels: { personnel_total: 'text', public_total: 'text' },
    source: false,
    // a form with two column groups (人员经费 | 公用经费): every class of the catalog in column 1 or 2
    optional: ['code3', 'name3', 'amount3'],
  },
  'three-public': {
    columns: ['budget.', 'actual.'].flatMap((p) => amounts(p, ['total', 'abroad', 'cars', 'car_purchase', 'car_operation', 'reception'])),
    labels: {},
    source: false,
    // budget and actual side by side (预算数 | 决算数 under each item) or in two blocks
    anyOrder: true,
  },
  'budget-execution': {
    columns: ['initial.', 'adjusted.', 'actual.'].flatMap((p) => amounts(p, ['basic', 'project', 'total'])),
    labels: {},
    source: false,
  },
  // the units of the 部门决算 (序号, 单位名称, 备注), from overview.units
  'unit-list': {
    columns: [['no', 'count'], ['name', 'text'], ['remark', 'text']],
    labels: {},
    source: false,
    optional: ['remark'],
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
