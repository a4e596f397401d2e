/**
 * Derived figures of 第五部分 附件 (部门整体支出绩效自评报告): budget adjustments,
 * execution and control rates, shares, balances — from the attachment's raw
 * numbers and the tables' facts, so the attachment cannot disagree with them.
 */
import Decimal from 'decimal.js';
import { Attachment } from '../validate/attachment';
import { Model } from '../validate/model';
import { ratio, shown } from '../format/number';
import { cell, CodeTable, Figure, SummaryTables, ThreePublicTable, EconomicTable, total } from './tables';
import { yoyVerdict, YoyVerdict } from './verdicts';

export interface Exec {
  label: string;
  budget: Decimal;
  actual: Decimal;
  balance: Decimal;
  /** actual / budget × 100 */
  rate?: Decimal;
  /** budget / all project budget × 100 (project categories only) */
  share?: Decimal;
}

export interface AttachmentFacts {
  a: Attachment;
  periodFrom: { year: number; month: number };
  periodTo: { year: number; month: number };
  staffWithinQuota: boolean;
  staffControlRate?: Decimal;
  onlyGeneralBudget: boolean;
  hasGovFund: boolean; hasStateCapital: boolean;
  govFundSpending: Decimal; stateCapitalSpending: Decimal;
  budget: {
    initialTotal: Figure; initialBasic: Decimal; initialProject: Decimal;
    approved: Decimal; carryover: Decimal; basicCarryover: Decimal; projectCarryover: Decimal;
    adjustedBasic: Figure; adjustedProject: Figure; adjustedTotal: Figure;
    adjustment: Decimal; basicAdjustment: Decimal; projectAdjustment: Decimal;
  };
  actual: {
    total: Decimal; basic: Decimal; project: Decimal; personnel: Decimal; public: Decimal;
    projectSum: Figure; basicShare?: Decimal; projectShare?: Decimal;
    economic: Array<{ label: string; amount: Decimal }>; economicTotal: Figure;
  };
  basicExec: { personnel: Exec; public: Exec; total: Exec };
  projectExec: { total: Exec; business: Exec; operating: Exec; development: Exec };
  /** The three project categories in order, for the overall sentence. */
  projectCategories: Exec[];
  /** Categories explained in their own subsections (after 业务工作经费). */
  projectDetails: Array<{ exec: Exec; count: number; narrative?: string; deviation: string[] }>;
  /** Basic and project spending both within the adjusted budget. */
  withinBudget: boolean;
  hasBasicCarryover: boolean;
  threePublic: {
    budget: ThreePublicTable['budget']; actual: ThreePublicTable['actual'];
    yoy: YoyVerdict; reason?: string;
    balance: { total: Decimal; abroad: Decimal; cars: Decimal; carPurchase: Decimal; carOperation: Decimal; reception: Decimal };
    noCarPurchaseBudget: boolean;
    noCarPurchaseActual: boolean;
  };
  publicYoy: YoyVerdict;
  score: Decimal;
}

function ym(s: string) {
  const [y, m] = s.split('-').map(Number);
  return { year: y, month: m };
}

function exec(label: string, budget: Decimal, actual: Decimal, projectBudget?: Decimal): Exec {
  return {
    label, budget: shown(budget), actual: shown(actual), balance: shown(budget).minus(shown(actual)),
    rate: ratio(actual, budget), share: projectBudget ? ratio(budget, projectBudget) : undefined,
  };
}

export function deriveAttachment(
  m: Model, t05: CodeTable, t07: CodeTable, t08: CodeTable, summary: SummaryTables, t06: EconomicTable, t09: ThreePublicTable,
  threePublicPrior: Decimal,
): AttachmentFacts | undefined {
  const a = m.attachment;
  if (!a) return undefined;
  const carryover = summary.t04.openingByKind[0].value;
  const initialTotal = total([a.budget.initialBasic, a.budget.initialProject]);
  const adj = a.budget.adjusted;
  const adjustedBasic = total([adj.personnel, adj.public]);
  const adjustedProject = total([adj.business, adj.operating, adj.development], a.budget.printedAdjustedProject,
    a.budget.printedAdjustedProject ? 'attachment.budget.printed_adjusted_project' : undefined);
  const adjustedTotal = total([adjustedBasic.value, adjustedProject.value]);
  const basic = cell(t05, '', 'basic');
  const project = cell(t05, '', 'project');
  const all = cell(t05, '', 'total');
  const economicTotal = total(a.actual.economic.map(([, v]) => v));
  const projectBudget = adjustedProject.value;
  const tpYoy = yoyVerdict(t09.actual.total.value, threePublicPrior, new Decimal(0), {
    increaseReason: a.threePublic.increaseReason, decreaseReason: a.threePublic.decreaseReason,
  }, false);
  const b = t09.budget;
  const hasGovFund = !shown(cell(t07, '', 'expense')).isZero() || !summary.t04.income[1].value.isZero();
  const hasStateCapital = !shown(cell(t08, '', 'total')).isZero() || !summary.t04.income[2].value.isZero();
  const x = t09.actual;
  const projectExec = {
    total: exec('项目支出', projectBudget, project),
    business: exec('业务工作经费', adj.business, a.actual.business, projectBudget),
    operating: exec('其他运转类', adj.operating, a.actual.operating, projectBudget),
    development: exec('其他事业发展资金', adj.development, a.actual.development, projectBudget),
  };
  return {
    a,
    projectExec,
    projectCategories: [projectExec.business, projectExec.operating, projectExec.development],
    projectDetails: (['operating', 'development'] as const).map((k) => ({ exec: projectExec[k], ...a.projects[k] })),
    hasBasicCarryover: !shown(a.budget.basicCarryover).isZero(),
    withinBudget: !shown(basic).greaterThan(shown(adjustedBasic.value)) && !shown(project).greaterThan(shown(adjustedProject.value)),
    periodFrom: ym(a.period.from),
    periodTo: ym(a.period.to),
    staffWithinQuota: a.staff.inService <= a.staff.authorized,
    staffControlRate: a.staff.authorized ? new Decimal(a.staff.inService).div(a.staff.authorized).mul(100) : undefined,
    onlyGeneralBudget: !hasGovFund && !hasStateCapital,
    hasGovFund, hasStateCapital,
    govFundSpending: cell(t07, '', 'expense'),
    stateCapitalSpending: cell(t08, '', 'total'),
    budget: {
      initialTotal, initialBasic: a.budget.initialBasic, initialProject: a.budget.initialProject,
      approved: shown(initialTotal.value).minus(shown(carryover)), carryover,
      basicCarryover: a.budget.basicCarryover, projectCarryover: shown(carryover).minus(shown(a.budget.basicCarryover)),
      adjustedBasic, adjustedProject, adjustedTotal,
      adjustment: shown(adjustedTotal.value).minus(shown(initialTotal.value)),
      basicAdjustment: shown(adjustedBasic.value).minus(shown(a.budget.initialBasic)),
      projectAdjustment: shown(adjustedProject.value).minus(shown(a.budget.initialProject)),
    },
    actual: {
      total: all, basic, project, personnel: t06.personnel.value, public: t06.public.value,
      projectSum: total([a.actual.business, a.actual.operating, a.actual.development]),
      basicShare: ratio(basic, all), projectShare: ratio(project, all),
      economic: a.actual.economic.map(([label, amount]) => ({ label, amount })),
      economicTotal,
    },
    basicExec: {
      personnel: exec('人员经费', adj.personnel, t06.personnel.value),
      public: exec('公用经费', adj.public, t06.public.value),
      total: exec('合计', adjustedBasic.value, basic),
    },
    threePublic: {
      budget: b, actual: x, yoy: tpYoy, reason: tpYoy.reason,
      balance: {
        total: shown(b.total.value).minus(shown(x.total.value)),
        abroad: shown(b.abroad.value).minus(shown(x.abroad.value)),
        cars: shown(b.cars.value).minus(shown(x.cars.value)),
        carPurchase: shown(b.car_purchase.value).minus(shown(x.car_purchase.value)),
        carOperation: shown(b.car_operation.value).minus(shown(x.car_operation.value)),
        reception: shown(b.reception.value).minus(shown(x.reception.value)),
      },
      noCarPurchaseBudget: shown(b.car_purchase.value).isZero(),
      noCarPurchaseActual: shown(x.car_purchase.value).isZero(),
    },
    publicYoy: yoyVerdict(t06.public.value, a.performance.publicPriorYear, new Decimal(0), {}, false),
    score: a.performance.score,
  };
}
