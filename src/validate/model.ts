/**
 * Stage 2: validate the YAML source against the schema of data.yaml and produce
 * the typed Model. Amounts become Decimals in 万元 (data in 元 is divided by
 * 10000 exactly); every key path's location is kept for later findings.
 */
import Decimal from 'decimal.js';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, Location } from '../errors';
import { loadSource, nodeLoc, Source } from '../source/load';
import { projectFile } from '../paths';
import { readStore, sha, storeKey, writeStore } from '../cache/store';
import { checkVehicleCategories } from './profile-data';
import { defaultProfile, loadProfile, Profile, resolveProfileDir } from '../profile/load';
import { Attachment, attachmentSchema } from './attachment';
import {
  codeKey, Ctx, deref, editDistance, entries, fail, int, isoDate, list, money, obj, oneOf, opt, percent, req, schemaOf, str, text, V, withSchema,
} from './schema';

Decimal.set({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export type Unit = '万元' | '元';


/** Column keys of the code tables, in 栏次 order (after the total column). */
export const T02_COLS = ['fiscal', 'superior', 'business', 'operating', 'affiliated', 'other'] as const;
export const T03_COLS = ['basic', 'project', 'remit', 'operating', 'subsidy'] as const;
export const T05_COLS = ['basic', 'project'] as const;
export const T07_COLS = ['opening', 'income', 'basic', 'project'] as const;
export const T08_COLS = ['basic', 'project'] as const;
export const FUND_KINDS = ['general', 'gov_fund', 'state_capital'] as const;
export const THREE_PUBLIC = ['abroad', 'car_purchase', 'car_operation', 'reception'] as const;

export type ThreePublicKey = (typeof THREE_PUBLIC)[number];
export type Amounts<K extends string> = Record<K, Decimal>;

export interface CodeRow<K extends string> {
  code: string;
  amounts: Amounts<K>;
  path: string;
}

/** Per-项 explanation data: 年初预算, the reason for each direction, what the money was used for (主要用于). */
export interface ItemNotes {
  budget?: Decimal;
  overReason?: string;
  underReason?: string;
  purpose?: string;
}

export interface T05Row extends CodeRow<(typeof T05_COLS)[number]>, ItemNotes {}

/** 年初结转和结余 and 本年收入 of a fund table's 项 (the 国有资本经营 table of formats that print them). */
export const FUND_BALANCE_COLS = ['opening', 'income'] as const;
export type FundRow<K extends string> = CodeRow<K> & ItemNotes & { balance: Amounts<(typeof FUND_BALANCE_COLS)[number]> };

export interface EconomicClass {
  code: string;
  name: string;
  group: 'personnel' | 'public';
  column: 1 | 2 | 3;
  items: Array<{ code: string; name: string }>;
}

export interface Catalog {
  /** The catalog file as shown in messages. */
  file?: string;
  functionClasses: Array<{ code: string; name: string }>;
  economic: EconomicClass[];
  /** Economic classes not listed in 06表 (e.g. 309 资本性支出（基本建设）), by code. */
  otherClasses: Array<{ code: string; name: string }>;
}

export interface Model {
  file: string;
  report: { department: string; selfName: string; year: number; date: string; unit: Unit };
  /** The report format (report.profile; default the shipped hunan profile). */
  profile: Profile;
  /** explainEveryDifference: from the profile (variance.explain_every_difference). */
  policy: { budgetVarianceThreshold: Decimal; yoyFlatThreshold: Decimal; explainEveryDifference: boolean };
  catalog: Catalog;
  overview: { duties: string[]; internalBodies: string[]; units: string[] };
  /** 款/项 names by code. */
  subjects: Map<string, string>;
  t01: { nonfiscalBalanceUsed: Decimal; openingBalance: Decimal; surplusDistribution: Decimal; closingBalance: Decimal; printedGrandTotal?: Decimal };
  t02: { rows: CodeRow<(typeof T02_COLS)[number]>[]; printed: Map<string, Partial<Record<string, Decimal>>> };
  t03: { rows: CodeRow<(typeof T03_COLS)[number]>[]; printed: Map<string, Partial<Record<string, Decimal>>> };
  t04: {
    income: Amounts<(typeof FUND_KINDS)[number]>;
    opening: Amounts<(typeof FUND_KINDS)[number]>;
    closing: Amounts<(typeof FUND_KINDS)[number]>;
    printedIncomeTotal?: Decimal;
  };
  t05: { rows: T05Row[]; printed: Map<string, Partial<Record<string, Decimal>>> };
  t06: { amounts: Map<string, Decimal>; printed: Map<string, Decimal> };
  t07: { rows: FundRow<(typeof T07_COLS)[number]>[]; printed: Map<string, Partial<Record<string, Decimal>>>; emptyNote?: string };
  t08: { rows: FundRow<(typeof T08_COLS)[number]>[]; printed: Map<string, Partial<Record<string, Decimal>>>; emptyNote?: string };
  t09: { budget: Amounts<ThreePublicKey>; actual: Amounts<ThreePublicKey>; printedActualTotal?: Decimal; printedBudgetTotal?: Decimal };
  explanations: Explanations;
  glossary: {
    before: Array<[string, string]>; items: Map<string, string>; after: Array<[string, string]>;
    /** What the unit's 事业收入 / 经营收入 / 其他收入 mainly are (formats whose glossary names them). */
    incomeExamples: { business?: string; operating?: string; other?: string };
  };
  attachment?: Attachment;
  /** Output settings: user font files for the PDF (absolute paths, resolved against data.yaml's folder). */
  output: { pdfFonts: { serif?: string; sans?: string } };
  /** Source location of every key path. */
  locs: Map<string, Location>;
  /** Prior-year figures read from last year's data file, and the typed ones that were compared with it. */
  priorYearFile?: { file: string; checks: Array<{ path: string; label: string; typed: Decimal; fromFile: Decimal }> };
}

export interface DirectionReasons {
  overReason?: string;
  underReason?: string;
  increaseReason?: string;
  decreaseReason?: string;
}

export interface Explanations {
  priorYear: { total: Decimal; fiscalTotal: Decimal; generalSpending: Decimal };
  totalYoy: DirectionReasons;
  fiscalTotalYoy: DirectionReasons;
  generalSpendingYoy: DirectionReasons;
  /** Why the 一般公共预算财政拨款支出 as a whole differs from its 年初预算. */
  generalBudget: DirectionReasons;
  threePublic: {
    priorYear: Amounts<ThreePublicKey>;
    priorYearPrintedTotal?: Decimal;
    total: DirectionReasons;
    items: Record<ThreePublicKey, DirectionReasons>;
    trips: { groups: number; people: number };
    receptions: { groups: number; guests: number; description?: string; foreign?: { amount: Decimal; groups: number; guests: number } };
    carsPurchased: number;
    carOperationDescription?: string;
    fleetSize: number;
    /** Reasons for 公务用车购置及运行维护费 as one item (formats that explain the pair together). */
    cars: DirectionReasons;
    abroadDescription?: string;
    carPurchaseDescription?: string;
  };
  governmentFundNote?: string;
  /** 机关运行经费: budget, the previous year's figure and, where it is not the 06表 公用经费合计, the amount. */
  adminOperating: {
    budget: Decimal; priorYear?: Decimal; amount?: Decimal;
    /** Reasons for the comparison with the previous year, where they differ from those against the 年初预算. */
    priorYearReasons?: DirectionReasons;
  } & DirectionReasons;
  generalExpenses: {
    meetings: Expense;
    training: Expense;
    events: string;
  };
  procurement: {
    goods: Decimal; works: Decimal; services: Decimal; printedTotal?: Decimal;
    sme: { goods: Decimal; works: Decimal; services: Decimal };
    smallMicro: Decimal;
    /** 面向中小企业 / 小微企业预留的采购项目预算金额. */
    reserved?: { sme: Decimal; smallMicro: Decimal };
    /** 中标或成交金额: in SME-reserved, in small/micro-reserved, and SMEs in other projects. */
    awarded?: { smeReserved: Decimal; smallMicroReserved: Decimal; otherSme: Decimal };
  };
  assets: { vehicles: Array<[string, number]>; equipmentOver1m: number };
  performance: { management: string; basis: string; results: string; problems: string } & PerformanceCounts;
}

/** 预算绩效管理: systems, and the counts and amounts of the whole-process performance management. */
export interface PerformanceCounts {
  systems?: string[];
  mechanism?: string;
  goals?: { projects: number; amount: Decimal };
  monitoring?: { projects: number; amount: Decimal };
  selfEvaluation?: {
    amount: Decimal; averageScore: Decimal;
    ratings: { excellent: number; good: number; pass: number; fail: number };
    problems: { fixed: number; fixing: number };
  };
}

export interface Expense {
  amount: Decimal;
  purpose?: string;
  people?: number;
  content?: string;
}

// ───────────────────────── schema ─────────────────────────

const FUNC_ITEM = /^\d{7}$/;

function moneyFor(unit: Unit): V<Decimal> {
  const m = money(2, unit);
  return withSchema<V<Decimal>>((node, p, ctx) => {
    const d = m(node, p, ctx);
    if (d === undefined) return undefined;
    if (d.isNegative()) return fail(ctx, node, p, `金额不能为负数，实际为 ${d.toString()}`);
    return unit === '元' ? d.div(10000) : d;
  }, { ...schemaOf(m), description: `金额（单位见 report.unit；不能为负数，可带千分位逗号，带逗号时加引号，如 "20,624.94"）`, anyOf: [{ type: 'number', minimum: 0 }, (schemaOf(m).anyOf as object[])[1]] });
}

function amountsOf<K extends string>(cols: readonly K[], m: V<Decimal>): V<Amounts<K>> {
  const fields = Object.fromEntries(cols.map((c) => [c, opt(m)])) as Record<K, ReturnType<typeof opt<Decimal>>>;
  const o = obj(fields);
  return withSchema<V<Amounts<K>>>((node, p, ctx) => {
    const v = o(node, p, ctx);
    if (!v) return undefined;
    const out = {} as Amounts<K>;
    for (const c of cols) out[c] = (v as Record<string, Decimal | undefined>)[c] ?? new Decimal(0);
    return out;
  }, schemaOf(o));
}

function reasonsSchema() {
  return {
    over_reason: opt(text, '决算数大于预算数的原因'),
    under_reason: opt(text, '决算数小于预算数的原因'),
    increase_reason: opt(text, '比上年增加的原因'),
    decrease_reason: opt(text, '比上年减少的原因'),
  };
}
function toReasons(r: { over_reason?: string; under_reason?: string; increase_reason?: string; decrease_reason?: string } | undefined): DirectionReasons {
  return { overReason: r?.over_reason, underReason: r?.under_reason, increaseReason: r?.increase_reason, decreaseReason: r?.decrease_reason };
}

function printedMap(m: V<Decimal>, cols: readonly string[], what: string) {
  return entries(codeKey(/^(\d{3}|\d{5}|\d{7}|合计)$/, `${what}的科目代码（3、5 或 7 位）或“合计”`),
    obj(Object.fromEntries(['total', ...cols].map((c) => [c, opt(m)]))));
}

function toPrinted(e: Array<{ key: string; value: Record<string, unknown> }> | undefined): Map<string, Partial<Record<string, Decimal>>> {
  return new Map((e ?? []).map((x) => [x.key, x.value as Partial<Record<string, Decimal>>]));
}

/**
 * The year's classification catalog: data.yaml's own (report.catalog, relative to
 * data.yaml), else the profile's own file, else the toolkit's catalog/<year>.yaml.
 */
function catalogFor(year: number, ctx: Ctx, profile: Profile, own?: string): Catalog | undefined {
  const file = own ? path.resolve(path.dirname(ctx.src.file), own) : !profile.catalog.byYear ? profile.catalog.file.replace(/\{year\}/g, String(year)) : projectFile('catalog', `${year}.yaml`);
  // A catalog that checked clean is kept on disk by its exact bytes (src/cache/store.ts).
  let bytes: Buffer | undefined;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    bytes = undefined;
  }
  const key = bytes && storeKey('catalog', () => [file, process.cwd(), sha(bytes!)]);
  const stored = key === undefined ? undefined : readStore<Catalog>('catalog', key);
  if (stored) return stored;
  const n0 = ctx.problems.length;
  const catalog = catalogNow(file, year, ctx, profile, own);
  if (catalog && key !== undefined && ctx.problems.length === n0) writeStore('catalog', key, catalog);
  return catalog;
}

function catalogNow(file: string, year: number, ctx: Ctx, profile: Profile, own?: string): Catalog | undefined {
  let src: Source;
  try {
    src = loadSource(file);
  } catch (e) {
    if (e instanceof InputError) {
      if (own) ctx.problems.push({ path: 'report.catalog', loc: ctx.locs.get('report.catalog'), message: `找不到科目表文件“${own}”（按数据文件所在目录解析为 ${file}）` });
      else if (!profile.catalog.byYear) ctx.problems.push({ path: 'report.year', loc: ctx.locs.get('report.year'), message: `报告格式“${profile.name}”没有 ${year} 年度的科目表 ${path.relative(process.cwd(), file) || file}（见 ${profile.file} 的 catalog）` });
      else ctx.problems.push({ path: 'report.year', loc: ctx.locs.get('report.year'), message: `找不到 ${year} 年度的科目表 catalog/${year}.yaml（可复制上一年度的文件后按当年科目修改）` });
      return undefined;
    }
    throw e;
  }
  const cctx: Ctx = { src, problems: ctx.problems, locs: new Map() };
  const schema = obj({
    function_classes: req(entries(codeKey(/^\d{3}$/, '3 位类级科目代码'), str)),
    economic: req(list(obj({
      code: req(str), name: req(str), group: req(oneOf(['personnel', 'public'] as const)),
      column: req(oneOf(['1', '2', '3'] as const)),
      items: req(entries(codeKey(/^\d{5}$/, '5 位经济分类款级代码'), str)),
    }))),
    other_classes: opt(entries(codeKey(/^\d{3}$/, '3 位经济分类类级代码'), str)),
  });
  const v = schema(src.doc.contents, '', cctx);
  if (!v) return undefined;
  return {
    file: src.file,
    functionClasses: v.function_classes.map((e) => ({ code: e.key, name: e.value })),
    economic: v.economic.map((c) => ({
      code: c.code, name: c.name, group: c.group, column: Number(c.column) as 1 | 2 | 3,
      items: c.items.map((i) => ({ code: i.key, name: i.value })),
    })),
    otherClasses: (v.other_classes ?? []).map((e) => ({ code: e.key, name: e.value })),
  };
}

const reportV = obj({
  department: req(str, '部门全称'), self_name: req(str, '单位在正文中的自称'), year: req(int, '决算年度'),
  date: req(isoDate, '报告日期'), unit: req(oneOf(['万元', '元'] as const), '金额单位'),
  profile: opt(str, '报告格式：格式编号（如 hunan）或格式文件夹的路径'),
  catalog: opt(str, '本单位自己的科目表文件（相对于数据文件所在目录）'),
});

/** The validator of a whole data file whose amounts are in `unit` (also the source of data.schema.json). */
export function dataSchema(unit: Unit) {
  const m = moneyFor(unit);
  const codeRows = <K extends string>(cols: readonly K[], extra: Record<string, ReturnType<typeof opt>> = {}) =>
    entries(codeKey(FUNC_ITEM, '7 位“项”级功能分类科目代码'), obj({ ...Object.fromEntries(cols.map((c) => [c, opt(m)])), ...extra }));
  const fundAmounts = amountsOf(FUND_KINDS, m);
  const tp = amountsOf(THREE_PUBLIC, m);
  const expense = obj({ amount: req(m), purpose: opt(text), people: opt(int), content: opt(text) });
  const itemNotes = { budget: opt(m, '年初预算数'), over_reason: opt(text), under_reason: opt(text), purpose: opt(text, '主要用于') };
  const projectsAmount = obj({ projects: req(int, '项目个数'), amount: req(m, '涉及预算金额') });

  const schema = obj({
    report: req(reportV),
    policy: opt(obj({ budget_variance_threshold: opt(percent), yoy_flat_threshold: opt(percent) })),
    overview: req(obj({ duties: req(list(text, { min: 1 })), internal_bodies: req(list(str)), units: req(list(str, { min: 1 })) })),
    subjects: req(entries(codeKey(/^(\d{5}|\d{7})$/, '5 位款级或 7 位项级科目代码'), str)),
    tables: req(obj({
      t01: req(obj({
        nonfiscal_balance_used: req(m), opening_balance: req(m), surplus_distribution: req(m), closing_balance: req(m),
        printed: opt(obj({ grand_total: opt(m, '打印的总计（收支两方相同）') })),
      })),
      t02: req(obj({ rows: req(codeRows(T02_COLS)), printed: opt(printedMap(m, T02_COLS, '02表')) })),
      t03: req(obj({ rows: req(codeRows(T03_COLS)), printed: opt(printedMap(m, T03_COLS, '03表')) })),
      t04: req(obj({ income: req(fundAmounts), opening_balance: req(fundAmounts), closing_balance: req(fundAmounts), printed: opt(obj({ income_total: opt(m) })) })),
      t05: req(obj({
        rows: req(codeRows(T05_COLS, { budget: opt(m), over_reason: opt(text), under_reason: opt(text), purpose: opt(text, '主要用于') })),
        printed: opt(printedMap(m, [...T05_COLS, 'budget'], '05表')),
      })),
      t06: req(obj({ rows: req(entries(codeKey(/^\d{5}$/, '5 位经济分类款级代码'), m)), printed: opt(entries(codeKey(/^\d{3}$/, '3 位经济分类类级代码'), m)) })),
      t07: req(obj({ rows: req(codeRows(T07_COLS, itemNotes)), printed: opt(printedMap(m, [...T07_COLS, 'expense', 'closing'], '07表')), empty_note: opt(text) })),
      t08: req(obj({
        rows: req(codeRows(T08_COLS, { opening: opt(m, '年初结转和结余'), income: opt(m, '本年收入'), ...itemNotes })),
        printed: opt(printedMap(m, [...T08_COLS, ...FUND_BALANCE_COLS, 'expense', 'closing'], '08表')), empty_note: opt(text),
      })),
      t09: req(obj({ budget: req(tp), actual: req(tp), printed: opt(obj({ actual_total: opt(m), budget_total: opt(m) })) })),
    })),
    explanations: req(obj({
      prior_year_file: opt(str, '上年的数据文件（相对于本文件的路径，如 ../2023/data.yaml）：上年数从中读取，不必再填 prior_year'),
      prior_year: opt(obj({ total: opt(m, '上年收、支总计'), fiscal_total: opt(m, '上年财政拨款收、支总计'), general_spending: opt(m, '上年一般公共预算财政拨款支出') })),
      total_yoy: opt(obj(reasonsSchema())),
      fiscal_total_yoy: opt(obj(reasonsSchema())),
      general_spending_yoy: opt(obj(reasonsSchema())),
      general_budget: opt(obj(reasonsSchema()), '一般公共预算财政拨款支出决算数与年初预算数不同的原因'),
      three_public: req(obj({
        prior_year: opt(tp), prior_year_printed_total: opt(m),
        total: opt(obj(reasonsSchema())), abroad: opt(obj(reasonsSchema())), car_purchase: opt(obj(reasonsSchema())),
        car_operation: opt(obj(reasonsSchema())), reception: opt(obj(reasonsSchema())),
        trips: req(obj({ groups: req(int), people: req(int) })),
        receptions: req(obj({
          groups: req(int), guests: req(int), description: opt(text),
          foreign: opt(obj({ amount: req(m, '外宾接待支出'), groups: req(int, '接待外宾批次'), guests: req(int, '接待外宾人次') })),
        })),
        cars_purchased: req(int), car_operation_description: opt(text), fleet_size: req(int),
        cars: opt(obj(reasonsSchema())), abroad_description: opt(text, '因公出国（境）费开支内容'),
        car_purchase_description: opt(text, '公务用车购置费主要用途'),
      })),
      government_fund_note: opt(text),
      admin_operating: req(obj({
        budget: req(m), prior_year: opt(m, '上年机关运行经费支出'), amount: opt(m, '机关运行经费支出（不填时取06表公用经费合计）'), ...reasonsSchema(),
        prior_year_reasons: opt(obj({ increase_reason: opt(text, '比上年增加的原因'), decrease_reason: opt(text, '比上年减少的原因') }), '与上年比较的原因：与年初预算比较和与上年比较方向不同时，在此填写与上年比较的原因'),
      })),
      general_expenses: req(obj({ meetings: req(expense), training: req(expense), events: req(text) })),
      procurement: req(obj({
        goods: req(m), works: req(m), services: req(m), printed_total: opt(m),
        sme: req(obj({ goods: req(m), works: req(m), services: req(m) })), small_micro: req(m),
        reserved: opt(obj({ sme: req(m, '面向中小企业预留项目预算金额'), small_micro: req(m, '面向小微企业预留项目预算金额') })),
        awarded: opt(obj({
          sme_reserved: req(m, '中小企业预留项目中由中小企业中标或成交的金额'),
          small_micro_reserved: req(m, '小微企业预留项目中由小微企业中标或成交的金额'),
          other_sme: req(m, '其他采购项目中由中小企业中标或成交的金额'),
        })),
      })),
      assets: req(obj({ vehicles: req(entries(() => true, int)), equipment_over_1m: req(int) })),
      performance: req(obj({
        management: req(text), basis: req(text), results: req(text), problems: req(text),
        systems: opt(list(str, { min: 1 }), '预算绩效管理制度名称'), mechanism: opt(text, '预算绩效管理工作机制'),
        goals: opt(projectsAmount), monitoring: opt(projectsAmount),
        self_evaluation: opt(obj({
          amount: req(m, '绩效自评项目涉及预算金额'), average_score: req(percent, '平均得分'),
          ratings: req(obj({ excellent: req(int, '评级为“优”的项目数'), good: req(int, '评级为“良”的项目数'), pass: req(int, '评级为“合格”的项目数'), fail: req(int, '评级为“不合格”的项目数') })),
          problems: req(obj({ fixed: req(int, '已完成整改的问题数'), fixing: req(int, '正在整改的问题数') })),
        })),
      })),
    })),
    glossary: req(obj({
      before_items: req(entries(() => true, text)),
      items: req(entries(codeKey(FUNC_ITEM, '7 位“项”级科目代码'), text)),
      after_items: req(entries(() => true, text)),
      income_examples: opt(obj({ business: opt(text, '事业收入主要是'), operating: opt(text, '经营收入主要是'), other: opt(text, '其他收入主要是') })),
    })),
    attachment: opt(attachmentSchema(m)),
    output: opt(obj({ pdf_fonts: opt(obj({ serif: opt(str, '正文字体文件路径（TTF/OTF）'), sans: opt(str, '标题字体文件路径（TTF/OTF）') })) })),
  });
  return schema;
}

export function validateSource(src: Source): Model {
  const ctx: Ctx = { src, problems: [], locs: new Map() };
  const root = src.doc.contents;
  // The unit decides how amounts parse, so read it first.
  const reportNode = deref((root as { get?: (k: string, keep: boolean) => unknown })?.get?.('report', true), 'report', ctx);
  if (!reportNode) {
    ctx.problems.push({ path: 'report', loc: nodeLoc(src, root), message: '缺少必填项“report”（部门名称、年度、日期、金额单位）' });
    throw new InputError(ctx.problems);
  }
  const report = reportV(reportNode, 'report', ctx);
  if (!report) throw new InputError(ctx.problems);
  const unit = report.unit;
  const profile = profileFor(report.profile, ctx);
  const schema = dataSchema(unit);
  const v = schema(root, '', ctx);
  if (!v || ctx.problems.length) throw new InputError(ctx.problems);
  for (const need of profile.data.required) {
    if (!ctx.locs.has(need)) {
      ctx.problems.push({ path: need, loc: ctx.locs.get('report.profile') ?? ctx.locs.get('report'), message: `报告格式“${profile.name}”要求填写“${need}”，数据文件中没有此项` });
    }
  }
  checkVehicleCategories(profile, v.explanations.assets.vehicles.map((e) => [e.key, e.value]), ctx.locs, ctx.problems);
  if (ctx.problems.length) throw new InputError(ctx.problems);
  const catalog = catalogFor(v.report.year, ctx, profile, v.report.catalog);
  if (!catalog || ctx.problems.length) throw new InputError(ctx.problems);

  const rowsOf = <K extends string>(cols: readonly K[], e: Array<{ key: string; value: Record<string, unknown> }>, base: string) =>
    e.map((r) => ({
      code: r.key,
      path: `${base}.${r.key}`,
      amounts: Object.fromEntries(cols.map((c) => [c, (r.value[c] as Decimal | undefined) ?? new Decimal(0)])) as Amounts<K>,
      raw: r.value,
    }));
  const notesOf = (raw: Record<string, unknown>): ItemNotes => ({
    budget: raw.budget as Decimal | undefined, overReason: raw.over_reason as string | undefined,
    underReason: raw.under_reason as string | undefined, purpose: raw.purpose as string | undefined,
  });
  const fundRowsOf = <K extends string>(cols: readonly K[], e: Array<{ key: string; value: Record<string, unknown> }>, base: string): FundRow<K>[] =>
    rowsOf(cols, e, base).map((r) => ({
      code: r.code, path: r.path, amounts: r.amounts, ...notesOf(r.raw),
      balance: { opening: (r.raw.opening as Decimal | undefined) ?? new Decimal(0), income: (r.raw.income as Decimal | undefined) ?? new Decimal(0) },
    }));
  const t = v.tables;
  const ex = v.explanations;
  const prior = priorYearOf(src.file, ex, v.report.year, unit, ctx);
  checkReportDate(v.report.year, v.report.date, ctx);
  if (ctx.problems.length) throw new InputError(ctx.problems);
  const model: Model = {
    file: src.file,
    report: { department: v.report.department, selfName: v.report.self_name, year: v.report.year, date: v.report.date, unit },
    profile,
    policy: {
      budgetVarianceThreshold: v.policy?.budget_variance_threshold ?? profile.variance.budgetThreshold,
      yoyFlatThreshold: v.policy?.yoy_flat_threshold ?? profile.variance.yoyFlatThreshold,
      explainEveryDifference: profile.variance.explainEveryDifference,
    },
    catalog,
    overview: { duties: v.overview.duties, internalBodies: v.overview.internal_bodies, units: v.overview.units },
    subjects: new Map(v.subjects.map((e) => [e.key, e.value])),
    t01: {
      nonfiscalBalanceUsed: t.t01.nonfiscal_balance_used, openingBalance: t.t01.opening_balance,
      surplusDistribution: t.t01.surplus_distribution, closingBalance: t.t01.closing_balance, printedGrandTotal: t.t01.printed?.grand_total,
    },
    t02: { rows: rowsOf(T02_COLS, t.t02.rows, 'tables.t02.rows'), printed: toPrinted(t.t02.printed as never) },
    t03: { rows: rowsOf(T03_COLS, t.t03.rows, 'tables.t03.rows'), printed: toPrinted(t.t03.printed as never) },
    t04: { income: t.t04.income, opening: t.t04.opening_balance, closing: t.t04.closing_balance, printedIncomeTotal: t.t04.printed?.income_total },
    t05: {
      rows: rowsOf(T05_COLS, t.t05.rows, 'tables.t05.rows').map((r) => ({
        code: r.code, path: r.path, amounts: r.amounts,
        ...notesOf(r.raw),
      })),
      printed: toPrinted(t.t05.printed as never),
    },
    t06: { amounts: new Map(t.t06.rows.map((e) => [e.key, e.value])), printed: new Map((t.t06.printed ?? []).map((e) => [e.key, e.value])) },
    t07: { rows: fundRowsOf(T07_COLS, t.t07.rows, 'tables.t07.rows'), printed: toPrinted(t.t07.printed as never), emptyNote: t.t07.empty_note },
    t08: { rows: fundRowsOf(T08_COLS, t.t08.rows, 'tables.t08.rows'), printed: toPrinted(t.t08.printed as never), emptyNote: t.t08.empty_note },
    t09: { budget: t.t09.budget, actual: t.t09.actual, printedActualTotal: t.t09.printed?.actual_total, printedBudgetTotal: t.t09.printed?.budget_total },
    explanations: {
      priorYear: prior.priorYear,
      totalYoy: toReasons(ex.total_yoy), fiscalTotalYoy: toReasons(ex.fiscal_total_yoy), generalSpendingYoy: toReasons(ex.general_spending_yoy),
      generalBudget: toReasons(ex.general_budget),
      threePublic: {
        priorYear: prior.threePublic,
        priorYearPrintedTotal: prior.threePublicPrintedTotal,
        total: toReasons(ex.three_public.total),
        items: {
          abroad: toReasons(ex.three_public.abroad), car_purchase: toReasons(ex.three_public.car_purchase),
          car_operation: toReasons(ex.three_public.car_operation), reception: toReasons(ex.three_public.reception),
        },
        trips: ex.three_public.trips,
        receptions: ex.three_public.receptions,
        carsPurchased: ex.three_public.cars_purchased,
        carOperationDescription: ex.three_public.car_operation_description,
        fleetSize: ex.three_public.fleet_size,
        cars: toReasons(ex.three_public.cars),
        abroadDescription: ex.three_public.abroad_description,
        carPurchaseDescription: ex.three_public.car_purchase_description,
      },
      governmentFundNote: ex.government_fund_note,
      adminOperating: {
        budget: ex.admin_operating.budget, priorYear: ex.admin_operating.prior_year, amount: ex.admin_operating.amount, ...toReasons(ex.admin_operating),
        ...(ex.admin_operating.prior_year_reasons ? { priorYearReasons: toReasons(ex.admin_operating.prior_year_reasons) } : {}),
      },
      generalExpenses: ex.general_expenses,
      procurement: {
        goods: ex.procurement.goods, works: ex.procurement.works, services: ex.procurement.services, printedTotal: ex.procurement.printed_total,
        sme: ex.procurement.sme, smallMicro: ex.procurement.small_micro,
        reserved: ex.procurement.reserved && { sme: ex.procurement.reserved.sme, smallMicro: ex.procurement.reserved.small_micro },
        awarded: ex.procurement.awarded && {
          smeReserved: ex.procurement.awarded.sme_reserved, smallMicroReserved: ex.procurement.awarded.small_micro_reserved, otherSme: ex.procurement.awarded.other_sme,
        },
      },
      assets: { vehicles: ex.assets.vehicles.map((e) => [e.key, e.value]), equipmentOver1m: ex.assets.equipment_over_1m },
      performance: {
        management: ex.performance.management, basis: ex.performance.basis, results: ex.performance.results, problems: ex.performance.problems,
        systems: ex.performance.systems, mechanism: ex.performance.mechanism, goals: ex.performance.goals, monitoring: ex.performance.monitoring,
        selfEvaluation: ex.performance.self_evaluation && {
          amount: ex.performance.self_evaluation.amount, averageScore: ex.performance.self_evaluation.average_score,
          ratings: ex.performance.self_evaluation.ratings, problems: ex.performance.self_evaluation.problems,
        },
      },
    },
    glossary: {
      before: v.glossary.before_items.map((e) => [e.key, e.value]),
      items: new Map(v.glossary.items.map((e) => [e.key, e.value])),
      after: v.glossary.after_items.map((e) => [e.key, e.value]),
      incomeExamples: v.glossary.income_examples ?? {},
    },
    attachment: v.attachment,
    output: { pdfFonts: resolveFonts(src.file, v.output?.pdf_fonts, ctx) },
    locs: ctx.locs,
    priorYearFile: prior.file,
  };
  checkReferences(model, ctx);
  if (ctx.problems.length) throw new InputError(ctx.problems);
  return model;
}

/** The profile data.yaml names (an id of a shipped profile or a folder relative to data.yaml); problems are located in the profile's files. */
function profileFor(ref: string | undefined, ctx: Ctx): Profile {
  try {
    if (!ref) return defaultProfile();
    const dir = resolveProfileDir(ref, path.dirname(path.resolve(ctx.src.file)));
    if (!fs.existsSync(path.join(dir, 'profile.yaml'))) {
      const shipped = fs.readdirSync(projectFile('profiles')).filter((d) => fs.existsSync(projectFile('profiles', d, 'profile.yaml'))).sort();
      throw new InputError([{
        loc: ctx.locs.get('report.profile'), path: 'report.profile',
        message: `找不到报告格式“${ref}”：应为工具自带的格式编号（${shipped.join('、')}）或含 profile.yaml 的格式文件夹路径（相对于数据文件所在目录，解析为 ${dir}）`,
      }]);
    }
    return loadProfile(dir, ctx.locs.get('report.profile'));
  } catch (e) {
    if (e instanceof InputError) throw new InputError(e.problems.map((p) => (p.loc ? p : { ...p, loc: ctx.locs.get('report.profile'), path: p.path || 'report.profile' })));
    throw e;
  }
}

type PriorInput = {
  prior_year_file?: string;
  prior_year?: { total?: Decimal; fiscal_total?: Decimal; general_spending?: Decimal };
  three_public: { prior_year?: Amounts<ThreePublicKey>; prior_year_printed_total?: Decimal };
};

/** Prior-year figures: typed in data.yaml, or read from last year's file (src/review/prior-year.ts), or both and compared. */
function priorYearOf(file: string, ex: PriorInput, year: number, unit: Unit, ctx: Ctx) {
  // lazy: that module validates last year's file with this one
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { loadPriorYear, priorState } = require('../review/prior-year') as typeof import('../review/prior-year');
  const nested = priorState.depth > 0; // last year's own prior figures are not needed
  const got = ex.prior_year_file && !nested ? loadPriorYear(file, ex.prior_year_file, year, ctx.locs.get('explanations.prior_year_file')) : undefined;
  if (got?.problem) ctx.problems.push(got.problem);
  const last = got?.figures;
  const checks: NonNullable<Model['priorYearFile']>['checks'] = [];
  const pick = (key: string, label: string, typed: Decimal | undefined, fromFile: Decimal | undefined): Decimal => {
    if (typed !== undefined && fromFile !== undefined) checks.push({ path: key, label, typed, fromFile });
    if (typed !== undefined) return typed;
    if (fromFile !== undefined) return fromFile;
    if (!nested && !got?.problem) ctx.problems.push({ path: key, loc: ctx.locs.get(key.replace(/\.[^.]+$/, '')), message: `缺少${label}：请填写，或在 explanations.prior_year_file 中给出上年的数据文件` });
    return new Decimal(0);
  };
  const py = ex.prior_year;
  const priorYear = {
    total: pick('explanations.prior_year.total', '上年收、支总计', py?.total, last?.total),
    fiscalTotal: pick('explanations.prior_year.fiscal_total', '上年财政拨款收、支总计', py?.fiscal_total, last?.fiscalTotal),
    generalSpending: pick('explanations.prior_year.general_spending', '上年一般公共预算财政拨款支出', py?.general_spending, last?.generalSpending),
  };
  const names: Record<ThreePublicKey, string> = { abroad: '因公出国（境）费', car_purchase: '公务用车购置费', car_operation: '公务用车运行维护费', reception: '公务接待费' };
  const tpTyped = ex.three_public.prior_year;
  const threePublic = Object.fromEntries(THREE_PUBLIC.map((k) => [k, pick(`explanations.three_public.prior_year.${k}`, `上年“三公”经费${names[k]}`, tpTyped?.[k], last?.threePublic[k])])) as Amounts<ThreePublicKey>;
  let threePublicPrintedTotal = ex.three_public.prior_year_printed_total;
  if (!tpTyped && last && threePublicPrintedTotal === undefined && unit === '万元') {
    // last year's printed 09表 total, when it differs from the sum of its items (the 万元 tail)
    const sum = THREE_PUBLIC.reduce((a, k) => a.plus(last.threePublic[k].toDecimalPlaces(2, Decimal.ROUND_HALF_UP)), new Decimal(0));
    if (!sum.equals(last.threePublicTotal.toDecimalPlaces(2, Decimal.ROUND_HALF_UP))) threePublicPrintedTotal = last.threePublicTotal;
  }
  return { priorYear, threePublic, threePublicPrintedTotal, file: last ? { file: last.file, checks } : undefined };
}

/**
 * The report of a year's final accounts is dated after that year ends; and
 * the Word and Excel files record dates from 1980 to 2107 only (zip dates).
 */
function checkReportDate(year: number, date: string, ctx: Ctx): void {
  const y = Number(date.slice(0, 4));
  const problem = (message: string) => ctx.problems.push({ path: 'report.date', loc: ctx.locs.get('report.date'), message });
  if (y < 1980 || y > 2107) problem(`报告日期的年份应在 1980 到 2107 之间，实际为“${date}”`);
  else if (y <= year) problem(`报告日期应在决算年度（${year} 年）结束之后，实际为“${date}”`);
}

function resolveFonts(dataFile: string, f: { serif?: string; sans?: string } | undefined, ctx: Ctx): { serif?: string; sans?: string } {
  const out: { serif?: string; sans?: string } = {};
  for (const k of ['serif', 'sans'] as const) {
    const p = f?.[k];
    if (!p) continue;
    const abs = path.resolve(path.dirname(dataFile), p);
    const key = `output.pdf_fonts.${k}`;
    const problem = (message: string) => ctx.problems.push({ path: key, loc: ctx.locs.get(key), message });
    if (!fs.existsSync(abs)) problem(`找不到字体文件“${p}”（按数据文件所在目录解析为 ${abs}）`);
    else if (!isFontFile(abs)) problem(`“${p}”不是字体文件（应为 .ttf、.otf、.ttc、.woff 或 .woff2 字体，如 C:/Windows/Fonts/simfang.ttf）`);
    else out[k] = abs;
  }
  return out;
}

/** Whether a file starts as a TrueType/OpenType font, a collection or a WOFF/WOFF2 font does. */
function isFontFile(file: string): boolean {
  const head = Buffer.alloc(4);
  try {
    const fd = fs.openSync(file, 'r');
    try {
      if (fs.readSync(fd, head, 0, 4, 0) < 4) return false;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
  const tag = head.toString('latin1');
  return head.readUInt32BE(0) === 0x00010000 || ['OTTO', 'true', 'ttcf', 'wOFF', 'wOF2'].includes(tag);
}

/** Cross-reference checks that need the whole model: codes resolve, printed values are allowed. */
function checkReferences(m: Model, ctx: Ctx): void {
  const problem = (p: string, message: string) => ctx.problems.push({ path: p, loc: ctx.locs.get(p), message });
  const classes = new Set(m.catalog.functionClasses.map((c) => c.code));
  const needName = (code: string, p: string) => {
    if (!classes.has(code.slice(0, 3))) problem(p, `科目代码 ${code} 的类级代码 ${code.slice(0, 3)} 不在 ${m.report.year} 年度科目表（${m.catalog.file ?? `catalog/${m.report.year}.yaml`}）中`);
    for (const c of [code.slice(0, 5), code]) if (!m.subjects.has(c)) problem(p, `科目代码 ${c} 没有名称：请在 subjects 中添加“"${c}": 科目名称”`);
  };
  for (const t of ['t02', 't03', 't05', 't07', 't08'] as const) for (const r of m[t].rows) needName(r.code, r.path);
  const econ = new Set(m.catalog.economic.flatMap((c) => c.items.map((i) => i.code)));
  for (const [code] of m.t06.amounts) if (!econ.has(code)) problem(`tables.t06.rows.${code}`, `经济分类款级代码 ${code} 不在 ${m.report.year} 年度科目表（${m.catalog.file ?? `catalog/${m.report.year}.yaml`}）中`);
  for (const code of econ) if (!m.t06.amounts.has(code)) problem('tables.t06.rows', `缺少经济分类款 ${code}：06表列示全部款，本年为 0 的请填 0`);
  if (m.report.unit === '元') {
    for (const [p, has] of [
      ['tables.t03.printed', m.t03.printed.size], ['tables.t02.printed', m.t02.printed.size], ['tables.t05.printed', m.t05.printed.size],
      ['tables.t06.printed', m.t06.printed.size], ['tables.t04.printed', m.t04.printedIncomeTotal ? 1 : 0],
      ['tables.t01.printed', m.t01.printedGrandTotal ? 1 : 0],
      ['tables.t07.printed', m.t07.printed.size], ['tables.t08.printed', m.t08.printed.size],
      ['attachment.budget.printed_adjusted_project', m.attachment?.budget.printedAdjustedProject ? 1 : 0],
      ['tables.t09.printed', m.t09.printedActualTotal || m.t09.printedBudgetTotal ? 1 : 0],
      ['explanations.procurement.printed_total', m.explanations.procurement.printedTotal ? 1 : 0],
      ['explanations.three_public.prior_year_printed_total', m.explanations.threePublic.priorYearPrintedTotal ? 1 : 0],
    ] as Array<[string, number]>) {
      if (has) problem(p, '金额单位为“元”时合计数全部由程序计算，不能填写打印数（printed）；请删除此项');
    }
  }
  for (const [code, pr] of m.t05.printed) {
    if (code !== '合计' && pr.budget) problem(`tables.t05.printed.${code}.budget`, '年初预算的打印数只能填在“合计”行（各科目的年初预算填在 rows 中）');
  }
  // Names of economic classes are the catalog's, never typed anew (a typo would be printed).
  const econNames = [...m.catalog.economic.map((c) => c.name), ...m.catalog.otherClasses.map((c) => c.name)];
  for (const [name] of m.attachment?.actual.economic ?? []) {
    if (econNames.includes(name)) continue;
    const near = [...econNames].sort((a, b) => editDistance(a, name) - editDistance(b, name))[0];
    const hint = near && editDistance(near, name) <= Math.max(2, Math.floor(near.length / 3)) ? `是否应为“${near}”？` : `可用的名称：${econNames.join('、')}；`;
    problem(`attachment.actual.economic.${name}`, `经济分类“${name}”不在 ${m.report.year} 年度科目表（${m.catalog.file ?? `catalog/${m.report.year}.yaml`}）中：${hint}名称须与科目表一致`);
  }
  for (const [code] of m.glossary.items) {
    if (!m.t05.rows.some((r) => r.code === code)) problem(`glossary.items.${code}`, `名词解释中的科目 ${code} 不在05表中：请删除或核对代码`);
  }
}

export function loadModel(file: string): Model {
  return validateSource(loadSource(file));
}
