/**
 * Stage 3: derive every figure and verdict the report prints. The result (Facts)
 * is all the templates and table builders may read.
 */
import Decimal from 'decimal.js';
import { Model, T02_COLS, T03_COLS, T05_COLS, T07_COLS, T08_COLS, THREE_PUBLIC, ThreePublicKey } from '../validate/model';
import { ratio, shown, ZERO } from '../format/number';
import {
  cell, CodeTable, codeTable, economicTable, EconomicTable, Figure, summaryTables, SummaryTables, threePublicTable, ThreePublicTable, total,
} from './tables';
import { budgetVerdict, BudgetVerdict, yoyVerdict, YoyVerdict } from './verdicts';
import { AttachmentFacts, deriveAttachment } from './attachment';
import { deriveSupplementary, MissingReason, SupplementaryFacts } from './supplementary';

export interface Share {
  label: string;
  amount: Decimal;
  /** Share in percent; undefined for a zero part (the report lists zero parts without a share). */
  share?: Decimal;
}

export interface ItemExplanation {
  code: string;
  /** "一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）" */
  fullName: string;
  verdict: BudgetVerdict;
  path: string;
}

export interface Facts {
  model: Model;
  year: number;
  department: string;
  selfName: string;
  tables: {
    t02: CodeTable; t03: CodeTable; t05: CodeTable; t07: CodeTable; t08: CodeTable;
    /** The 国有资本经营 table with 年初结转和结余, 本年收入 and 年末结转和结余 (from the 08 rows' balances). */
    t08_balances: CodeTable;
    summary: SummaryTables; t06: EconomicTable; t09: ThreePublicTable;
    /** 05表 年初预算 合计 (printed where the data gives it; sum of the 项 budgets beside it). */
    t05Budget: Figure;
  };
  overview: { duties: string[]; bodyCount: number; bodies: string[]; units: string[] };
  totalYoy: YoyVerdict;
  income: { total: Decimal; parts: Share[] };
  spending: { total: Decimal; parts: Share[] };
  fiscalYoy: YoyVerdict;
  generalBudget: {
    total: Decimal;
    shareOfAllSpending?: Decimal;
    yoy: YoyVerdict;
    byClass: Share[];
    budgetTotal: Decimal;
    /** 决算 / 年初预算 × 100 for the whole table; undefined without a budget. */
    overallRate?: Decimal;
    items: ItemExplanation[];
  };
  basicSpending: { basic: Decimal; personnel: Share; public: Share; personnelItems: string[]; publicItems: string[] };
  threePublic: {
    budget: Decimal; actual: Decimal; verdict: BudgetVerdict; yoy: YoyVerdict;
    items: Record<ThreePublicKey, { label: string; verdict: BudgetVerdict; yoy: YoyVerdict }>;
    shares: { reception: Share; abroad: Share; cars: Share };
    priorTotal: Figure;
    /** 团组、人次、车辆 of the year (data). */
    activity: Pick<Model['explanations']['threePublic'], 'trips' | 'receptions' | 'carsPurchased' | 'carOperationDescription' | 'fleetSize'>;
    carsActual: Decimal; carPurchaseActual: Decimal; carOperationActual: Decimal; receptionActual: Decimal; abroadActual: Decimal;
  };
  govFund: { empty: boolean; note?: string; opening: Decimal; income: Decimal; expense: Decimal; closing: Decimal };
  adminOperating: { actual: Decimal; budget: Decimal; yoy: YoyVerdict };
  generalExpenses: Model['explanations']['generalExpenses'];
  procurement: {
    total: Figure; goods: Decimal; works: Decimal; services: Decimal;
    sme: Decimal; smeShare?: Decimal; smallMicro: Decimal; smallMicroShare?: Decimal;
    goodsSmeShare?: Decimal; worksSmeShare?: Decimal; servicesSmeShare?: Decimal;
    hasWorks: boolean; hasGoods: boolean; hasServices: boolean;
  };
  assets: { vehicles: Array<{ label: string; count: number }>; vehicleTotal: number; otherVehicles: number; equipment: number };
  performance: Model['explanations']['performance'] & { generalSpending: Decimal; basic: Decimal; project: Decimal };
  glossary: Array<{ term: string; text: string }>;
  /** 第五部分 附件; null when data.yaml has no attachment. */
  att: AttachmentFacts | null;
  /** Figures of the optional data sections (fund items, 三公 pairs, 预留/中标, 绩效 counts …). */
  more: SupplementaryFacts;
  /** Reasons the optional sections need and the data lacks (audit EXP-09). */
  reasonsNeeded: MissingReason[];
}

/**
 * What report templates receive: the facts they print, without the raw model
 * and without the table figures (tables are built from their specs).
 */
export type TemplateFacts = Omit<Facts, 'model' | 'tables' | 'reasonsNeeded'>;

export function templateFacts(f: Facts): TemplateFacts {
  const { model: _model, tables: _tables, reasonsNeeded: _reasons, ...rest } = f;
  void _model;
  void _tables;
  void _reasons;
  return rest;
}

const CLASS_SUFFIX = /支出$/;
/** "一般公共服务支出" → "一般公共服务"; narrative 类 names drop the trailing 支出 (conventions §2). */
export function className(name: string): string {
  return name.replace(CLASS_SUFFIX, '');
}

function shares(labels: Array<[string, Decimal]>, whole: Decimal): Share[] {
  return labels.map(([label, amount]) => ({ label, amount: shown(amount), share: amount.isZero() ? undefined : ratio(amount, whole) }));
}

export function deriveFacts(m: Model): Facts {
  const t02 = codeTable(m, m.t02.rows, T02_COLS, m.t02.printed, { totalColumn: true, basePath: 'tables.t02' });
  const t03 = codeTable(m, m.t03.rows, T03_COLS, m.t03.printed, { totalColumn: true, basePath: 'tables.t03' });
  const t05 = codeTable(m, m.t05.rows, T05_COLS, m.t05.printed, { totalColumn: true, basePath: 'tables.t05' });
  const t07 = codeTable(m, m.t07.rows, T07_COLS, m.t07.printed, {
    totalColumn: false, basePath: 'tables.t07',
    derivedKeys: {
      expense: (a) => a.basic.plus(a.project),
      closing: (a) => a.opening.plus(a.income).minus(a.basic).minus(a.project),
    },
  });
  const t08 = codeTable(m, m.t08.rows, T08_COLS, m.t08.printed, { totalColumn: true, basePath: 'tables.t08' });
  const summary = summaryTables(m, t02, t03, t05, t07, t08);
  const t06 = economicTable(m);
  const t09 = threePublicTable(m);
  const ex = m.explanations;
  const flat = m.policy.yoyFlatThreshold;
  const thr = m.policy.explainEveryDifference ? null : m.policy.budgetVarianceThreshold;

  const fullName = (code: string) => {
    const cls = m.catalog.functionClasses.find((c) => c.code === code.slice(0, 3))!;
    return `${className(cls.name)}（类）${m.subjects.get(code.slice(0, 5))}（款）${m.subjects.get(code)}（项）`;
  };

  // 五、一般公共预算财政拨款支出
  const t05total = cell(t05, '', 'total');
  const items: ItemExplanation[] = m.t05.rows
    .filter((r) => !r.amounts.basic.plus(r.amounts.project).isZero() || (r.budget && !r.budget.isZero()))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((r) => ({
      code: r.code,
      fullName: fullName(r.code),
      path: r.path,
      verdict: budgetVerdict(cell(t05, r.code, 'total'), r.budget ?? ZERO, thr, { overReason: r.overReason, underReason: r.underReason }),
    }));
  const printedBudget = m.t05.printed.get('合计')?.budget;
  const t05Budget = total(m.t05.rows.map((r) => r.budget ?? ZERO), printedBudget, printedBudget ? 'tables.t05.printed.合计.budget' : undefined);
  const budgetTotal = t05Budget.value;

  // 七、三公
  const tp = ex.threePublic;
  const priorCars = total([tp.priorYear.car_purchase, tp.priorYear.car_operation]).value;
  const priorTotal = total([tp.priorYear.abroad, priorCars, tp.priorYear.reception], tp.priorYearPrintedTotal,
    tp.priorYearPrintedTotal ? 'explanations.three_public.prior_year_printed_total' : undefined);
  const labels: Record<ThreePublicKey, string> = {
    abroad: '因公出国（境）费', car_purchase: '公务用车购置费', car_operation: '公务用车运行维护费', reception: '公务接待费',
  };
  const tpItems = Object.fromEntries(THREE_PUBLIC.map((k) => [k, {
    label: labels[k],
    // 三公: every difference from the budget is explained (compared as shown, not by a rounded rate)
    verdict: budgetVerdict(t09.actual[k].value, t09.budget[k].value, null, tp.items[k]),
    yoy: yoyVerdict(t09.actual[k].value, tp.priorYear[k], ZERO, tp.items[k]),
  }])) as Facts['threePublic']['items'];
  const tpActual = t09.actual.total.value;

  // 十一、政府采购
  const pr = ex.procurement;
  const prTotal = total([pr.goods, pr.works, pr.services], pr.printedTotal, pr.printedTotal ? 'explanations.procurement.printed_total' : undefined);
  const sme = total([pr.sme.goods, pr.sme.works, pr.sme.services]).value;

  const vehicles = ex.assets.vehicles.filter(([label]) => label !== '其他用车').map(([label, count]) => ({ label, count }));
  const other = ex.assets.vehicles.find(([label]) => label === '其他用车')?.[1] ?? 0;

  const basic05 = cell(t05, '', 'basic');
  // 机关运行经费: the 06表 公用经费合计 unless the data gives the amount (a department with 事业单位 not under 参公 management).
  const adminActual = ex.adminOperating.amount ?? t06.public.value;
  const sup = deriveSupplementary(m, { t05, t02, t03, publicTotal: t06.public.value, threePublic: t09 });
  const facts: Facts = {
    model: m,
    year: m.report.year,
    department: m.report.department,
    selfName: m.report.selfName,
    tables: { t02, t03, t05, t07, t08, t08_balances: sup.stateCapitalTable, summary, t06, t09, t05Budget },
    overview: { duties: m.overview.duties, bodyCount: m.overview.internalBodies.length, bodies: m.overview.internalBodies, units: m.overview.units },
    totalYoy: yoyVerdict(summary.t01.grandIncome.value, ex.priorYear.total, flat, ex.totalYoy),
    income: {
      total: cell(t02, '', 'total'),
      parts: shares([
        ['财政拨款收入', cell(t02, '', 'fiscal')], ['上级补助收入', cell(t02, '', 'superior')], ['事业收入', cell(t02, '', 'business')],
        ['经营收入', cell(t02, '', 'operating')], ['附属单位上缴收入', cell(t02, '', 'affiliated')], ['其他收入', cell(t02, '', 'other')],
      ], cell(t02, '', 'total')),
    },
    spending: {
      total: cell(t03, '', 'total'),
      parts: shares([
        ['基本支出', cell(t03, '', 'basic')], ['项目支出', cell(t03, '', 'project')], ['上缴上级支出', cell(t03, '', 'remit')],
        ['经营支出', cell(t03, '', 'operating')], ['对附属单位补助支出', cell(t03, '', 'subsidy')],
      ], cell(t03, '', 'total')),
    },
    fiscalYoy: yoyVerdict(summary.t04.grandIncome.value, ex.priorYear.fiscalTotal, flat, ex.fiscalTotalYoy),
    generalBudget: {
      total: t05total,
      shareOfAllSpending: ratio(t05total, cell(t03, '', 'total')),
      yoy: yoyVerdict(t05total, ex.priorYear.generalSpending, flat, ex.generalSpendingYoy),
      byClass: shares(t05.rows.filter((r) => r.level === 1).map((r) => [className(r.name), r.cols[0].value] as [string, Decimal]), t05total),
      budgetTotal,
      overallRate: ratio(t05total, budgetTotal),
      items,
    },
    basicSpending: {
      basic: basic05,
      personnel: { label: '人员经费', amount: t06.personnel.value, share: ratio(t06.personnel.value, basic05) },
      public: { label: '公用经费', amount: t06.public.value, share: ratio(t06.public.value, basic05) },
      personnelItems: t06.classes.filter((c) => c.group === 'personnel').flatMap((c) => c.items).filter((i) => !i.value.value.isZero()).map((i) => i.name),
      publicItems: t06.classes.filter((c) => c.group === 'public').flatMap((c) => c.items).filter((i) => !i.value.value.isZero()).map((i) => i.name),
    },
    threePublic: {
      budget: t09.budget.total.value, actual: tpActual,
      verdict: budgetVerdict(tpActual, t09.budget.total.value, null, tp.total),
      yoy: yoyVerdict(tpActual, priorTotal.value, ZERO, tp.total),
      items: tpItems,
      shares: {
        reception: { label: '公务接待费', amount: t09.actual.reception.value, share: ratio(t09.actual.reception.value, tpActual) },
        abroad: { label: '因公出国（境）费', amount: t09.actual.abroad.value, share: ratio(t09.actual.abroad.value, tpActual) },
        cars: { label: '公务用车购置费及运行维护费', amount: t09.actual.cars.value, share: ratio(t09.actual.cars.value, tpActual) },
      },
      priorTotal,
      activity: { trips: tp.trips, receptions: tp.receptions, carsPurchased: tp.carsPurchased, carOperationDescription: tp.carOperationDescription, fleetSize: tp.fleetSize },
      carsActual: t09.actual.cars.value, carPurchaseActual: t09.actual.car_purchase.value, carOperationActual: t09.actual.car_operation.value,
      receptionActual: t09.actual.reception.value, abroadActual: t09.actual.abroad.value,
    },
    govFund: {
      empty: t07.empty, note: ex.governmentFundNote,
      opening: cell(t07, '', 'opening'), income: cell(t07, '', 'income'), expense: cell(t07, '', 'expense'), closing: cell(t07, '', 'closing'),
    },
    adminOperating: { actual: adminActual, budget: ex.adminOperating.budget, yoy: yoyVerdict(adminActual, ex.adminOperating.budget, ZERO, ex.adminOperating) },
    generalExpenses: ex.generalExpenses,
    procurement: {
      total: prTotal, goods: pr.goods, works: pr.works, services: pr.services,
      sme, smeShare: ratio(sme, prTotal.value), smallMicro: pr.smallMicro, smallMicroShare: ratio(pr.smallMicro, sme),
      goodsSmeShare: ratio(pr.sme.goods, pr.goods), worksSmeShare: ratio(pr.sme.works, pr.works), servicesSmeShare: ratio(pr.sme.services, pr.services),
      hasGoods: !shown(pr.goods).isZero(), hasWorks: !shown(pr.works).isZero(), hasServices: !shown(pr.services).isZero(),
    },
    assets: { vehicles, vehicleTotal: ex.assets.vehicles.reduce((a, [, n]) => a + n, 0), otherVehicles: other, equipment: ex.assets.equipmentOver1m },
    performance: { ...ex.performance, generalSpending: t05total, basic: basic05, project: cell(t05, '', 'project') },
    glossary: [
      ...m.glossary.before.map(([term, text]) => ({ term, text })),
      ...items.map((i) => ({ term: i.fullName, text: m.glossary.items.get(i.code) ?? '' })),
      ...m.glossary.after.map(([term, text]) => ({ term, text })),
    ],
    att: deriveAttachment(m, t05, t07, t08, summary, t06, t09, priorTotal.value) ?? null,
    more: sup.facts,
    reasonsNeeded: sup.missingReasons,
  };
  return facts;
}
