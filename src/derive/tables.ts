/**
 * Derived table figures: every 合计, 类 and 款 row and every total column of the
 * code tables, the two-sided summary tables 01 and 04, 06 and 09.
 *
 * Rule: a parent's value is the sum of its children's values as shown; where the
 * data gives a printed value (万元 data only), the printed value is used and the
 * exact sum is kept beside it for the audits.
 */
import Decimal from 'decimal.js';
import { Amounts, CodeRow, FUND_KINDS, Model, THREE_PUBLIC, ThreePublicKey } from '../validate/model';
import { ZERO } from '../format/number';

/** One figure: the value used everywhere, the exact sum of its parts, and the printed value if the data gave one. */
export interface Figure {
  value: Decimal;
  /** Sum of the parts (as shown) when this figure is a total. */
  sum?: Decimal;
  /** Printed value given in the data. */
  printed?: Decimal;
  /** Data key path where the printed value (or leaf) was given. */
  path?: string;
}

export const fig = (value: Decimal, path?: string): Figure => ({ value, path });

/**
 * A total: the exact sum of its parts (rounded only for display), or the printed
 * value where the data gives one (万元 data).
 */
export function total(parts: Decimal[], printed?: Decimal, path?: string): Figure {
  const sum = parts.reduce((a, b) => a.plus(b), ZERO);
  return { value: printed ?? sum, sum, printed, path };
}

export interface CodeTableRow {
  /** "" for the 合计 row. */
  code: string;
  /** 0 合计, 1 类, 2 款, 3 项 */
  level: 0 | 1 | 2 | 3;
  name: string;
  /** Column 1 (the row total) first when the table has one, then the component columns. */
  cols: Figure[];
}

export interface CodeTable {
  rows: CodeTableRow[];
  /** Component column keys in order. */
  keys: string[];
  hasTotalColumn: boolean;
  /** True when every amount is zero (an empty table: the form shows a blank 合计 row and a 说明). */
  empty: boolean;
}

function nameOf(m: Model, code: string): string {
  if (code.length === 3) return m.catalog.functionClasses.find((c) => c.code === code)?.name ?? code;
  return m.subjects.get(code) ?? code;
}

/**
 * Build a code table (02/03/05/07/08) from 项 rows: 合计, then 类 → 款 → 项 in code
 * order. Rows where every amount is zero are not shown.
 */
export function codeTable<K extends string>(
  m: Model,
  rows: CodeRow<K>[],
  keys: readonly K[],
  printed: Map<string, Partial<Record<string, Decimal>>>,
  opts: { totalColumn: boolean; basePath: string; derivedKeys?: Record<string, (a: Record<string, Decimal>) => Decimal> },
): CodeTable {
  const allKeys: string[] = [...keys, ...Object.keys(opts.derivedKeys ?? {})];
  const leafAmounts = (r: CodeRow<K>): Record<string, Decimal> => {
    const a: Record<string, Decimal> = { ...(r.amounts as Record<string, Decimal>) };
    for (const [k, f] of Object.entries(opts.derivedKeys ?? {})) a[k] = f(a);
    return a;
  };
  const visible = rows.filter((r) => keys.some((k) => !r.amounts[k].isZero())).sort((a, b) => a.code.localeCompare(b.code));
  const mkRow = (code: string, level: 0 | 1 | 2 | 3, parts: Record<string, Decimal[]> | null, leaf?: Record<string, Decimal>, leafPath?: string): CodeTableRow => {
    const pr = printed.get(code === '' ? '合计' : code) ?? {};
    const ppath = `${opts.basePath}.printed.${code === '' ? '合计' : code}`;
    const comps = allKeys.map((k) =>
      parts ? total(parts[k], pr[k], pr[k] ? `${ppath}.${k}` : undefined) : { value: leaf![k], path: `${leafPath}.${k}`, printed: pr[k] },
    );
    const cols = opts.totalColumn ? [total(comps.slice(0, keys.length).map((c) => c.value), pr.total, pr.total ? `${ppath}.total` : undefined), ...comps] : comps;
    return { code, level, name: code === '' ? '合计' : nameOf(m, code), cols };
  };
  // Build bottom-up: 项 → 款 → 类 → 合计, each parent from its children's values.
  const items = visible.map((r) => mkRow(r.code, 3, null, leafAmounts(r), r.path));
  const group = (children: CodeTableRow[], len: number, level: 1 | 2): CodeTableRow[] => {
    const codes = [...new Set(children.map((c) => c.code.slice(0, len)))];
    return codes.map((code) => {
      const kids = children.filter((c) => c.code.startsWith(code));
      const parts: Record<string, Decimal[]> = {};
      allKeys.forEach((k, i) => (parts[k] = kids.map((c) => c.cols[i + (opts.totalColumn ? 1 : 0)].value)));
      return mkRow(code, level, parts);
    });
  };
  const kuan = group(items, 5, 2);
  const lei = group(kuan, 3, 1);
  const parts: Record<string, Decimal[]> = {};
  allKeys.forEach((k, i) => (parts[k] = lei.map((c) => c.cols[i + (opts.totalColumn ? 1 : 0)].value)));
  const head = mkRow('', 0, parts);
  const ordered: CodeTableRow[] = [head];
  for (const l of lei) {
    ordered.push(l);
    for (const k of kuan.filter((x) => x.code.startsWith(l.code))) {
      ordered.push(k);
      ordered.push(...items.filter((x) => x.code.startsWith(k.code)));
    }
  }
  return { rows: ordered, keys: allKeys, hasTotalColumn: opts.totalColumn, empty: visible.length === 0 };
}

export const totalRow = (t: CodeTable) => t.rows[0];
/** The figure in column `key` ("total" for column 1) of row `code` ("" = 合计), or zero. */
export function cell(t: CodeTable, code: string, key: string): Decimal {
  const r = t.rows.find((x) => x.code === code);
  if (!r) return ZERO;
  return r.cols[columnIndex(t, key)].value;
}

/**
 * Index into a row's `cols` of column `key` ("total" = column 1 where the table
 * has one). An unknown key is a program error, never the total column: profile
 * specs are checked against the table's keys when loaded.
 */
export function columnIndex(t: CodeTable, key: string): number {
  if (key === 'total' && t.hasTotalColumn) return 0;
  const i = t.keys.indexOf(key);
  if (i < 0) throw new Error(`unknown column ${key} of a code table (keys: ${t.keys.join(', ')})`);
  return i + (t.hasTotalColumn ? 1 : 0);
}

/** The 合计-row figure of column `key` of a code table (its printed value where the data gives one). */
function headFigure(t: CodeTable, key: string): Figure {
  return t.rows[0].cols[columnIndex(t, key)];
}

/**
 * One quantity printed in two tables: the sum of this table's parts, but the
 * value the source table prints where it prints one (a 万元 tail), so both
 * tables and the text show the same figure; the audit reports the tail.
 */
function sameAs(parts: Decimal[], source: Figure): Figure {
  return total(parts, source.printed, source.printed ? source.path : undefined);
}

/** A side total that must equal the other side's (总计 of a two-sided table): one value, the tail against its own parts audited. */
function balancing(parts: Decimal[], other: Figure, fixAt: string): Figure {
  const own = total(parts);
  return { value: other.value, sum: own.sum, printed: other.printed, path: other.path ?? fixAt };
}

export interface FundSplit {
  general: Figure;
  gov_fund: Figure;
  state_capital: Figure;
  total: Figure;
}

export interface SummaryTables {
  t01: {
    income: Figure[]; // rows 1..8
    incomeTotal: Figure; // row 27
    nonfiscalBalanceUsed: Figure; // 28
    opening: Figure; // 29
    grandIncome: Figure; // 31
    expenditure: Array<{ code: string; name: string; value: Figure }>; // rows 32..57
    expenditureTotal: Figure; // 58
    surplusDistribution: Figure; // 59
    closing: Figure; // 60
    grandExpenditure: Figure; // 62
  };
  t04: {
    income: Figure[]; // rows 1..3
    incomeTotal: Figure; // 27
    opening: Figure; // 28
    openingByKind: Figure[]; // 29..31
    grandIncome: Figure; // 32
    expenditure: Array<{ code: string; name: string; split: FundSplit }>; // 33..58
    expenditureTotal: FundSplit; // 59
    closing: FundSplit; // 60
    grandExpenditure: FundSplit; // 64
  };
}

export function summaryTables(m: Model, t02: CodeTable, t03: CodeTable, t05: CodeTable, t07: CodeTable, t08: CodeTable): SummaryTables {
  const t4in = FUND_KINDS.map((k) => fig(m.t04.income[k], `tables.t04.income.${k}`));
  const income01 = [
    ...t4in,
    ...(['superior', 'business', 'operating', 'affiliated', 'other'] as const).map((k) => fig(cell(t02, '', k))),
  ];
  const incomeTotal = sameAs(income01.map((f) => f.value), headFigure(t02, 'total'));
  const opening = fig(m.t01.openingBalance, 'tables.t01.opening_balance');
  const nonfiscal = fig(m.t01.nonfiscalBalanceUsed, 'tables.t01.nonfiscal_balance_used');
  const expenditure = m.catalog.functionClasses.map((c) => ({ code: c.code, name: c.name, value: fig(cell(t03, c.code, 'total')) }));
  const expenditureTotal = sameAs(expenditure.map((e) => e.value.value), headFigure(t03, 'total'));
  const surplus = fig(m.t01.surplusDistribution, 'tables.t01.surplus_distribution');
  const closing = fig(m.t01.closingBalance, 'tables.t01.closing_balance');

  const split = (g: Decimal, f: Decimal, s: Decimal, printedTotal?: Decimal): FundSplit => ({
    general: fig(g), gov_fund: fig(f), state_capital: fig(s), total: total([g, f, s], printedTotal),
  });
  const openingByKind = FUND_KINDS.map((k) => fig(m.t04.opening[k], `tables.t04.opening_balance.${k}`));
  const t04Opening = total(openingByKind.map((f) => f.value));
  const t04IncomeTotal = total(t4in.map((f) => f.value));
  const exp04 = m.catalog.functionClasses.map((c) => ({
    code: c.code, name: c.name,
    split: split(cell(t05, c.code, 'total'), cell(t07, c.code, 'expense'), cell(t08, c.code, 'total')),
  }));
  // 本年支出合计 by kind: the 合计 of 05, 07 and 08 as they print it
  const g = sameAs(exp04.map((e) => e.split.general.value), headFigure(t05, 'total'));
  const fu = sameAs(exp04.map((e) => e.split.gov_fund.value), headFigure(t07, 'expense'));
  const sc = sameAs(exp04.map((e) => e.split.state_capital.value), headFigure(t08, 'total'));
  const exp04Total: FundSplit = { general: g, gov_fund: fu, state_capital: sc, total: total([g.value, fu.value, sc.value]) };
  const closing04 = split(m.t04.closing.general, m.t04.closing.gov_fund, m.t04.closing.state_capital);
  closing04.general.path = 'tables.t04.closing_balance.general';
  closing04.gov_fund.path = 'tables.t04.closing_balance.gov_fund';
  closing04.state_capital.path = 'tables.t04.closing_balance.state_capital';
  const grandIncome01 = total([incomeTotal.value, nonfiscal.value, opening.value], m.t01.printedGrandTotal, m.t01.printedGrandTotal ? 'tables.t01.printed.grand_total' : undefined);
  const grandIncome04 = total([t04IncomeTotal.value, t04Opening.value], m.t04.printedIncomeTotal, m.t04.printedIncomeTotal ? 'tables.t04.printed.income_total' : undefined);
  const grand04 = split(
    total([exp04Total.general.value, closing04.general.value]).value,
    total([exp04Total.gov_fund.value, closing04.gov_fund.value]).value,
    total([exp04Total.state_capital.value, closing04.state_capital.value]).value,
  );
  return {
    t01: {
      income: income01, incomeTotal, nonfiscalBalanceUsed: nonfiscal, opening,
      grandIncome: grandIncome01,
      expenditure, expenditureTotal, surplusDistribution: surplus, closing,
      // 总计 is one quantity: both sides print the same figure; the expenditure side's tail is audited
      grandExpenditure: balancing([expenditureTotal.value, surplus.value, closing.value], grandIncome01, 'tables.t01.closing_balance'),
    },
    t04: {
      income: t4in, incomeTotal: t04IncomeTotal, opening: t04Opening, openingByKind,
      grandIncome: grandIncome04,
      expenditure: exp04, expenditureTotal: exp04Total, closing: closing04,
      grandExpenditure: { ...grand04, total: balancing([grand04.general.value, grand04.gov_fund.value, grand04.state_capital.value], grandIncome04, 'tables.t04.closing_balance') },
    },
  };
}

export interface EconomicTable {
  classes: Array<{ code: string; name: string; group: 'personnel' | 'public'; column: 1 | 2 | 3; value: Figure; items: Array<{ code: string; name: string; value: Figure }> }>;
  personnel: Figure;
  public: Figure;
}

export function economicTable(m: Model): EconomicTable {
  const classes = m.catalog.economic.map((c) => {
    const items = c.items.map((i) => ({ code: i.code, name: i.name, value: fig(m.t06.amounts.get(i.code) ?? ZERO, `tables.t06.rows.${i.code}`) }));
    const printed = m.t06.printed.get(c.code);
    return { code: c.code, name: c.name, group: c.group, column: c.column, items, value: total(items.map((i) => i.value.value), printed, printed ? `tables.t06.printed.${c.code}` : undefined) };
  });
  return {
    classes,
    personnel: total(classes.filter((c) => c.group === 'personnel').map((c) => c.value.value)),
    public: total(classes.filter((c) => c.group === 'public').map((c) => c.value.value)),
  };
}

export interface ThreePublicTable {
  budget: Record<ThreePublicKey, Figure> & { total: Figure; cars: Figure };
  actual: Record<ThreePublicKey, Figure> & { total: Figure; cars: Figure };
}

export function threePublicTable(m: Model): ThreePublicTable {
  const side = (a: Amounts<ThreePublicKey>, base: string, printedTotal?: Decimal, printedPath?: string) => {
    const f = Object.fromEntries(THREE_PUBLIC.map((k) => [k, fig(a[k], `${base}.${k}`)])) as Record<ThreePublicKey, Figure>;
    const cars = total([a.car_purchase, a.car_operation]);
    return { ...f, cars, total: total([a.abroad, cars.value, a.reception], printedTotal, printedPath) };
  };
  return {
    budget: side(m.t09.budget, 'tables.t09.budget', m.t09.printedBudgetTotal, 'tables.t09.printed.budget_total'),
    actual: side(m.t09.actual, 'tables.t09.actual', m.t09.printedActualTotal, 'tables.t09.printed.actual_total'),
  };
}
