/**
 * Schema of data.yaml's `attachment` (第五部分 附件: 部门整体支出绩效自评报告).
 * Narrative is data; every amount the attachment prints that can be computed
 * (execution rates, control rates, shares, adjustments, balances) is derived.
 */
import Decimal from 'decimal.js';
import { bool, Ctx, entries, fail, int, list, money, obj, opt, req, schemaOf, str, text, V, withSchema, yearMonth } from './schema';

export interface TitledSection {
  title: string;
  paragraphs: string[];
  items: Array<{ title: string; text: string }>;
}

export interface Attachment {
  title: string;
  basis: string;
  period: { from: string; to: string };
  scope: string;
  unitProfile: string;
  staff: { authorized: number; inService: number; retiredCadres: number; retirees: number; changes?: string };
  socialInsuranceFund: boolean;
  budget: {
    initialBasic: Decimal; initialProject: Decimal; basicCarryover: Decimal;
    adjusted: { personnel: Decimal; public: Decimal; business: Decimal; operating: Decimal; development: Decimal };
    printedAdjustedProject?: Decimal;
    adjustmentItems?: string;
    basicAdjustmentNote?: string;
    /** Who approved the year-start budget, e.g. 省财政厅 / 市财政局. */
    approver: string;
  };
  actual: { business: Decimal; operating: Decimal; development: Decimal; economic: Array<[string, Decimal]> };
  goals: string;
  publicSavingReason?: string;
  projects: Record<'business' | 'operating' | 'development', { count: number; narrative?: string; deviation: string[] }>;
  threePublic: { intro?: string; increaseReason?: string; decreaseReason?: string; abroadNote?: string };
  performance: {
    intro: string; score: Decimal; publicPriorYear: Decimal; threePublicNote?: string;
    management: TitledSection[]; effectiveness: TitledSection[];
  };
  problems: TitledSection[];
  improvements: TitledSection[];
  resultsUse: string;
  /**
   * Figures as printed in a source document (e.g. last year's text or a draft),
   * only to be checked against the derived figures; never printed.
   */
  printed: Partial<Record<PrintedKey, Decimal>>;
}

export const PRINTED_KEYS = {
  adjustment: '年中预算调整',
  basic_adjustment: '追加基本支出',
  project_adjustment: '追加项目支出',
  personnel_balance: '人员经费指标结转结余',
  public_balance: '公用经费指标结转结余',
  basic_balance: '基本支出指标结转结余合计',
  three_public_actual: '“三公”经费决算支出',
  three_public_balance: '“三公”经费预算结余',
} as const;
export type PrintedKey = keyof typeof PRINTED_KEYS;

export function attachmentSchema(unitMoney: V<Decimal>): V<Attachment> {
  const m = money(2);
  const section = obj({ title: req(str), paragraphs: opt(list(text)), items: opt(list(obj({ title: req(str), text: req(text) }))) });
  const sections = list(section);
  const project = obj({ count: req(int), narrative: opt(text), deviation: opt(list(text)) });
  const score: V<Decimal> = withSchema<V<Decimal>>((node, p, ctx: Ctx) => {
    const d = m(node, p, ctx);
    if (d && d.greaterThan(100)) return fail(ctx, node, p, `自评得分应在 0 到 100 之间，实际为 ${d.toString()}`);
    return d;
  }, { type: 'number', minimum: 0, maximum: 100, description: '自评得分（0 到 100）' });
  const schema = obj({
    title: req(str), basis: req(text), period: req(obj({ from: req(yearMonth), to: req(yearMonth) })), scope: req(text),
    unit_profile: req(text),
    staff: req(obj({ authorized: req(int), in_service: req(int), retired_cadres: req(int), retirees: req(int), changes: opt(text) })),
    social_insurance_fund: req(bool),
    budget: req(obj({
      initial_basic: req(unitMoney), initial_project: req(unitMoney), basic_carryover: req(unitMoney),
      adjusted: req(obj({ personnel: req(unitMoney), public: req(unitMoney), business: req(unitMoney), operating: req(unitMoney), development: req(unitMoney) })),
      printed_adjusted_project: opt(unitMoney), adjustment_items: opt(text), basic_adjustment_note: opt(text),
      approver: req(str, '批复年初预算的财政部门，如“省财政厅”'),
    })),
    actual: req(obj({ business: req(unitMoney), operating: req(unitMoney), development: req(unitMoney), economic: req(entries(() => true, unitMoney)) })),
    goals: req(text), public_saving_reason: opt(text),
    projects: req(obj({ business: req(project), operating: req(project), development: req(project) })),
    three_public: req(obj({ intro: opt(text), increase_reason: opt(text), decrease_reason: opt(text), abroad_note: opt(text) })),
    performance: req(obj({
      intro: req(text), score: req(score), public_prior_year: req(unitMoney), three_public_note: opt(text),
      management: req(sections), effectiveness: req(sections),
    })),
    problems: req(sections), improvements: req(sections), results_use: req(text),
    printed: opt(obj(Object.fromEntries(Object.keys(PRINTED_KEYS).map((k) => [k, opt(unitMoney)])) as Record<PrintedKey, ReturnType<typeof opt<Decimal>>>)),
  });
  const toSections = (xs: Array<{ title: string; paragraphs?: string[]; items?: Array<{ title: string; text: string }> }>): TitledSection[] =>
    xs.map((x) => ({ title: x.title, paragraphs: x.paragraphs ?? [], items: x.items ?? [] }));
  return withSchema<V<Attachment>>((node, p, ctx) => {
    const v = schema(node, p, ctx);
    if (!v) return undefined;
    const proj = (x: { count: number; narrative?: string; deviation?: string[] }) => ({ count: x.count, narrative: x.narrative, deviation: x.deviation ?? [] });
    return {
      title: v.title, basis: v.basis, period: v.period, scope: v.scope, unitProfile: v.unit_profile,
      staff: { authorized: v.staff.authorized, inService: v.staff.in_service, retiredCadres: v.staff.retired_cadres, retirees: v.staff.retirees, changes: v.staff.changes },
      socialInsuranceFund: v.social_insurance_fund,
      budget: {
        initialBasic: v.budget.initial_basic, initialProject: v.budget.initial_project, basicCarryover: v.budget.basic_carryover,
        adjusted: v.budget.adjusted, printedAdjustedProject: v.budget.printed_adjusted_project,
        adjustmentItems: v.budget.adjustment_items, basicAdjustmentNote: v.budget.basic_adjustment_note,
        approver: v.budget.approver,
      },
      actual: { business: v.actual.business, operating: v.actual.operating, development: v.actual.development, economic: v.actual.economic.map((e) => [e.key, e.value]) },
      goals: v.goals, publicSavingReason: v.public_saving_reason,
      projects: { business: proj(v.projects.business), operating: proj(v.projects.operating), development: proj(v.projects.development) },
      threePublic: { intro: v.three_public.intro, increaseReason: v.three_public.increase_reason, decreaseReason: v.three_public.decrease_reason, abroadNote: v.three_public.abroad_note },
      performance: {
        intro: v.performance.intro, score: v.performance.score, publicPriorYear: v.performance.public_prior_year, threePublicNote: v.performance.three_public_note,
        management: toSections(v.performance.management), effectiveness: toSections(v.performance.effectiveness),
      },
      problems: toSections(v.problems), improvements: toSections(v.improvements), resultsUse: v.results_use,
      printed: (v.printed ?? {}) as Partial<Record<PrintedKey, Decimal>>,
    };
  }, schemaOf(schema));
}
