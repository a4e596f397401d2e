/**
 * Derived figures for the optional data sections that some report formats print
 * and others do not: per-项 explanations of the fund tables, the 国有资本经营
 * table with its balances, the 三公 details (pairs, 外宾), 机关运行经费 against the
 * previous year, 政府采购 预留/中标, 预算绩效管理 counts, vehicles and units.
 * Every sum, share, rate and direction word is decided here, never in templates.
 */
import Decimal from 'decimal.js';
import { DirectionReasons, FundRow, ItemNotes, Model, T07_COLS, THREE_PUBLIC, ThreePublicKey } from '../validate/model';
import { ratio, shown, ZERO } from '../format/number';
import { cell, CodeTable, codeTable, Figure, total } from './tables';
import { budgetVerdict, BudgetVerdict, yoyVerdict, YoyVerdict } from './verdicts';

export interface ExplainedItem {
  code: string;
  /** "教育（类）普通教育（款）高等教育（项）" */
  fullName: string;
  purpose?: string;
  verdict: BudgetVerdict;
  path: string;
}

export interface FundFacts {
  /** No income, no spending and no balances: the table keeps its form and a 说明. */
  empty: boolean;
  opening: Decimal; income: Decimal; expense: Decimal; basic: Decimal; project: Decimal; closing: Decimal;
  items: ExplainedItem[];
}

export interface ThreePublicPair {
  label: string;
  budget: Decimal; actual: Decimal;
  verdict: BudgetVerdict;
  yoy: YoyVerdict;
  /** Share of the 三公 total actual; undefined when the total is zero. */
  share?: Decimal;
}

export interface MissingReason { label: string; path: string; message: string }

export interface SupplementaryFacts {
  priorYear: number;
  units: { multiple: boolean; list: Array<{ no: number; name: string }> };
  /** Per-项 explanations of the 一般公共预算 table with 主要用于. */
  generalItems: ExplainedItem[];
  generalVerdict: BudgetVerdict;
  /** 一般公共预算财政拨款支出 by 类 (catalog names), with shares; zero classes are not listed. */
  generalByClass: Array<{ label: string; amount: Decimal; share?: Decimal }>;
  /** Income and expense parts with an amount (不涉及的不列), with shares of their total. */
  incomeParts: Array<{ label: string; amount: Decimal; share?: Decimal }>;
  expenseParts: Array<{ label: string; amount: Decimal; share?: Decimal }>;
  govFund: FundFacts;
  stateCapital: FundFacts;
  threePublic: {
    /** Nothing budgeted and nothing spent. */
    none: boolean;
    total: ThreePublicPair;
    abroad: ThreePublicPair; cars: ThreePublicPair; carPurchase: ThreePublicPair; carOperation: ThreePublicPair; reception: ThreePublicPair;
    trips: { groups: number; people: number };
    receptions: { groups: number; guests: number; description?: string; foreign?: { amount: Decimal; groups: number; guests: number } };
    carsPurchased: number; fleetSize: number;
    abroadDescription?: string; carPurchaseDescription?: string; carOperationDescription?: string;
  };
  adminOperating: { amount: Decimal; none: boolean; yoy?: YoyVerdict };
  procurement: {
    total: Figure; goods: Decimal; works: Decimal; services: Decimal;
    reserved?: { sme: Decimal; smallMicro: Decimal };
    awarded?: { smeReserved: Decimal; smallMicroReserved: Decimal; otherSme: Decimal };
  };
  performance?: {
    systems: string[]; mechanism?: string;
    goals?: { projects: number; amount: Decimal };
    monitoring?: { projects: number; amount: Decimal };
    selfEvaluation?: {
      /** Sum of the four ratings. */
      projects: number;
      amount: Decimal; averageScore: string;
      ratings: { excellent: number; good: number; pass: number; fail: number };
      /** fixed + fixing */
      problemsFound: number; problemsFixed: number; problemsFixing: number;
    };
  };
  assets: { vehicles: Array<{ label: string; count: number }>; vehicleTotal: number; equipment: number };
  /** Income kinds with an amount (for glossary wording that names examples only where there is income). */
  incomeKinds: { business: boolean; operating: boolean; other: boolean };
  /** What each income mainly is, only where the unit has that income (无事业收入的单位不列举主要内容). */
  incomeExamples: { business?: string; operating?: string; other?: string };
}

/** The supplementary facts, the derived 国有资本经营 table with its balances, and the reasons the data lacks (audited). */
export interface Supplementary {
  facts: SupplementaryFacts;
  stateCapitalTable: CodeTable;
  missingReasons: MissingReason[];
}

/** "教育支出（类）普通教育（款）高等教育（项）": the 类 with its catalog name as printed in the tables. */
function fullNameOf(m: Model, code: string): string {
  const cls = m.catalog.functionClasses.find((c) => c.code === code.slice(0, 3));
  return `${cls?.name ?? code.slice(0, 3)}（类）${m.subjects.get(code.slice(0, 5))}（款）${m.subjects.get(code)}（项）`;
}

function explain(m: Model, rows: Array<{ code: string; path: string } & ItemNotes>, actualOf: (code: string) => Decimal): ExplainedItem[] {
  const thr = m.policy.budgetVarianceThreshold;
  return rows
    .filter((r) => !shown(actualOf(r.code)).isZero() || (r.budget && !r.budget.isZero()))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => ({
      code: r.code, fullName: fullNameOf(m, r.code), purpose: r.purpose, path: r.path,
      verdict: budgetVerdict(actualOf(r.code), r.budget ?? ZERO, thr, { overReason: r.overReason, underReason: r.underReason }),
    }));
}

function fundFacts(m: Model, rows: FundRow<string>[], printed: Map<string, Partial<Record<string, Decimal>>>, basePath: string): FundFacts & { table: CodeTable } {
  const withBalance = rows.map((r) => ({
    code: r.code, path: r.path,
    amounts: {
      // a table whose columns include the balances (政府性基金) has them in amounts; the others in balance
      opening: (r.amounts as Record<string, Decimal>).opening ?? r.balance.opening,
      income: (r.amounts as Record<string, Decimal>).income ?? r.balance.income,
      basic: (r.amounts as Record<string, Decimal>).basic ?? ZERO,
      project: (r.amounts as Record<string, Decimal>).project ?? ZERO,
    },
  }));
  const table = codeTable(m, withBalance, T07_COLS, printed, {
    totalColumn: false, basePath,
    derivedKeys: {
      expense: (a) => a.basic.plus(a.project),
      closing: (a) => a.opening.plus(a.income).minus(a.basic).minus(a.project),
    },
  });
  const items = explain(m, rows, (code) => cell(table, code, 'expense'));
  return {
    empty: table.empty, table,
    opening: cell(table, '', 'opening'), income: cell(table, '', 'income'), expense: cell(table, '', 'expense'),
    basic: cell(table, '', 'basic'), project: cell(table, '', 'project'), closing: cell(table, '', 'closing'),
    items,
  };
}

/** The 三公 table as a {budget, actual} pair per item, with verdicts against budget and the previous year. */
/** Reasons for the car pair: its own, or else those of its two items (joined where both give one). */
function carsReasons(tp: Model['explanations']['threePublic']): DirectionReasons {
  const own = tp.cars;
  if (own.overReason || own.underReason || own.increaseReason || own.decreaseReason) return own;
  const a = tp.items.car_purchase;
  const b = tp.items.car_operation;
  const both = (x?: string, y?: string) => (x && y ? `${x}；${y}` : x ?? y);
  return {
    overReason: both(a.overReason, b.overReason), underReason: both(a.underReason, b.underReason),
    increaseReason: both(a.increaseReason, b.increaseReason), decreaseReason: both(a.decreaseReason, b.decreaseReason),
  };
}

function threePublicPairs(m: Model, budget: Record<string, Figure>, actual: Record<string, Figure>) {
  const tp = m.explanations.threePublic;
  const prior = (k: ThreePublicKey | 'cars' | 'total'): Decimal => {
    const p = tp.priorYear;
    if (k === 'cars') return p.car_purchase.plus(p.car_operation);
    if (k === 'total') return tp.priorYearPrintedTotal ?? THREE_PUBLIC.reduce((a, x) => a.plus(p[x]), ZERO);
    return p[k];
  };
  const totalActual = actual.total.value;
  const pair = (k: ThreePublicKey | 'cars' | 'total', label: string, reasons: DirectionReasons): ThreePublicPair => ({
    label, budget: shown(budget[k].value), actual: shown(actual[k].value),
    verdict: budgetVerdict(actual[k].value, budget[k].value, ZERO, reasons),
    yoy: yoyVerdict(actual[k].value, prior(k), ZERO, reasons),
    share: ratio(actual[k].value, totalActual),
  });
  return {
    total: pair('total', '“三公”经费', tp.total),
    abroad: pair('abroad', '因公出国（境）费', tp.items.abroad),
    cars: pair('cars', '公务用车购置及运行维护费', carsReasons(tp)),
    carPurchase: pair('car_purchase', '公务用车购置费', tp.items.car_purchase),
    carOperation: pair('car_operation', '公务用车运行维护费', tp.items.car_operation),
    reception: pair('reception', '公务接待费', tp.items.reception),
  };
}

function nonZeroParts(t: CodeTable, keys: Array<[string, string]>): Array<{ label: string; amount: Decimal; share?: Decimal }> {
  const whole = cell(t, '', 'total');
  return keys.map(([k, label]) => ({ label, amount: shown(cell(t, '', k)), share: ratio(cell(t, '', k), whole) })).filter((p) => !p.amount.isZero());
}

export function deriveSupplementary(
  m: Model,
  t: { t05: CodeTable; t02: CodeTable; t03: CodeTable; publicTotal: Decimal; threePublic: { budget: Record<string, Figure>; actual: Record<string, Figure> } },
): Supplementary {
  const ex = m.explanations;
  const missing: MissingReason[] = [];
  const needBudgetReason = (label: string, v: BudgetVerdict, path: string) => {
    if (v.missingReason) missing.push({ label, path, message: `${label}：决算数${v.word ?? ''}${v.noBudget ? '（年初无预算）' : '预算数'}，请填写${v.word === '小于' ? 'under_reason' : 'over_reason'}（原因）` });
  };
  const needYoyReason = (label: string, v: YoyVerdict, path: string) => {
    if (v.missingReason) missing.push({ label, path, message: `${label}：比上年${v.amountWord}，请填写${v.isIncrease ? 'increase_reason' : 'decrease_reason'}（原因）` });
  };

  const generalItems = explain(m, m.t05.rows, (code) => cell(t.t05, code, 'total'));
  const budgetTotal = total(m.t05.rows.map((r) => r.budget ?? ZERO)).value;
  const generalVerdict = budgetVerdict(cell(t.t05, '', 'total'), budgetTotal, m.policy.budgetVarianceThreshold, ex.generalBudget);
  const everyDifference = m.profile.variance.explainEveryDifference;
  // The whole table's reason is optional: where it is missing, the per-项 reasons (audited by EXP-04) explain it.

  const govFund = fundFacts(m, m.t07.rows as FundRow<string>[], m.t07.printed, 'tables.t07');
  const stateCapital = fundFacts(m, m.t08.rows as FundRow<string>[], m.t08.printed, 'tables.t08');
  // A fund table's 项 are explained (and their reasons audited) when the data gives their 年初预算 or 用途:
  // formats that do not explain them need neither.
  for (const [f, rows, what] of [[govFund, m.t07.rows, '政府性基金'], [stateCapital, m.t08.rows, '国有资本经营']] as const) {
    if (!everyDifference && !rows.some((r: ItemNotes) => r.budget !== undefined || r.purpose !== undefined)) continue;
    for (const i of f.items) needBudgetReason(`${what} ${i.code} ${i.fullName}`, i.verdict, i.path);
  }

  const pairs = threePublicPairs(m, t.threePublic.budget, t.threePublic.actual);
  needBudgetReason('“三公”经费 公务用车购置及运行维护费', pairs.cars.verdict, 'explanations.three_public.cars');
  needYoyReason('“三公”经费 公务用车购置及运行维护费', pairs.cars.yoy, 'explanations.three_public.cars');
  const tp = ex.threePublic;

  const ao = ex.adminOperating;
  const aoAmount = ao.amount ?? t.publicTotal;
  // the comparison with the previous year takes its own reasons where given (its direction can differ from the budget's)
  const aoReasons = ao.priorYearReasons ?? ao;
  const aoPath = ao.priorYearReasons ? 'explanations.admin_operating.prior_year_reasons' : 'explanations.admin_operating';
  const aoYoy = ao.priorYear !== undefined ? yoyVerdict(aoAmount, ao.priorYear, ZERO, aoReasons) : undefined;
  if (aoYoy) needYoyReason('机关运行经费（与上年比较）', aoYoy, aoPath);

  const pr = ex.procurement;
  const perf = ex.performance;
  const se = perf.selfEvaluation;
  const hasPerformance = perf.systems || perf.mechanism || perf.goals || perf.monitoring || se;

  const { table: _govTable, ...govFundFacts } = govFund;
  void _govTable;
  const { table: stateCapitalTable, ...stateCapitalFacts } = stateCapital;
  const facts: SupplementaryFacts = {
    priorYear: m.report.year - 1,
    units: { multiple: m.overview.units.length > 1, list: m.overview.units.map((name, i) => ({ no: i + 1, name })) },
    generalItems,
    generalVerdict,
    generalByClass: t.t05.rows.filter((r) => r.level === 1 && !shown(r.cols[0].value).isZero())
      .map((r) => ({ label: r.name, amount: shown(r.cols[0].value), share: ratio(r.cols[0].value, cell(t.t05, '', 'total')) })),
    incomeParts: nonZeroParts(t.t02, [['fiscal', '财政拨款收入'], ['superior', '上级补助收入'], ['business', '事业收入'], ['operating', '经营收入'], ['affiliated', '附属单位上缴收入'], ['other', '其他收入']]),
    expenseParts: nonZeroParts(t.t03, [['basic', '基本支出'], ['project', '项目支出'], ['remit', '上缴上级支出'], ['operating', '经营支出'], ['subsidy', '对附属单位补助支出']]),
    govFund: govFundFacts,
    stateCapital: stateCapitalFacts,
    threePublic: {
      none: shown(pairs.total.actual).isZero() && shown(pairs.total.budget).isZero(),
      ...pairs,
      trips: tp.trips, receptions: tp.receptions, carsPurchased: tp.carsPurchased, fleetSize: tp.fleetSize,
      abroadDescription: tp.abroadDescription, carPurchaseDescription: tp.carPurchaseDescription, carOperationDescription: tp.carOperationDescription,
    },
    adminOperating: { amount: shown(aoAmount), none: shown(aoAmount).isZero(), yoy: aoYoy },
    procurement: {
      total: total([pr.goods, pr.works, pr.services], pr.printedTotal, pr.printedTotal ? 'explanations.procurement.printed_total' : undefined),
      goods: pr.goods, works: pr.works, services: pr.services, reserved: pr.reserved, awarded: pr.awarded,
    },
    performance: hasPerformance ? {
      systems: perf.systems ?? [], mechanism: perf.mechanism, goals: perf.goals, monitoring: perf.monitoring,
      selfEvaluation: se && {
        projects: se.ratings.excellent + se.ratings.good + se.ratings.pass + se.ratings.fail,
        amount: se.amount, averageScore: se.averageScore.toString(), ratings: se.ratings,
        problemsFound: se.problems.fixed + se.problems.fixing, problemsFixed: se.problems.fixed, problemsFixing: se.problems.fixing,
      },
    } : undefined,
    assets: {
      vehicles: ex.assets.vehicles.map(([label, count]) => ({ label, count })),
      vehicleTotal: ex.assets.vehicles.reduce((a, [, n]) => a + n, 0),
      equipment: ex.assets.equipmentOver1m,
    },
    incomeKinds: {
      business: !shown(cell(t.t02, '', 'business')).isZero(),
      operating: !shown(cell(t.t02, '', 'operating')).isZero(),
      other: !shown(cell(t.t02, '', 'other')).isZero(),
    },
    incomeExamples: Object.fromEntries((['business', 'operating', 'other'] as const).map((k) => [k, !shown(cell(t.t02, '', k)).isZero() ? m.glossary.incomeExamples[k] : undefined])),
  };
  return { facts, stateCapitalTable, missingReasons: missing };
}
