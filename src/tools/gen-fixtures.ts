/**
 * `npm run gen-fixtures -- N [--out dir] [--seed S] [--profile hunan]`:
 * N synthetic departments, one data file each, for the batch build and the
 * benchmark. Deterministic: the same N, seed and profile give the same files.
 *
 * Every amount is generated as an integer number of hundredths of the data
 * unit (0.01 万元 or 0.01 元) and every dependent figure is computed from the
 * generated ones by the identities the audit checks (table totals, balances,
 * 04表 = 05表, 05表基本支出 = 06表, 附件 = 04/05表 …), so every file is
 * audit-clean; the direction reasons (大于/小于, 增加/减少) are written for the
 * direction the figures take. Sizes, 科目, units (元 and 万元) and empty parts
 * vary from file to file. Texts come from the profile's base data file.
 *
 * A profile (bench/fixtures/<name>.yaml) gives the base file, the regions and
 * kinds of units and the 款/项 subjects; optionally its catalog, 下属单位 names
 * and 政府性基金 / 国有资本经营 subjects (then files vary: with and without fund
 * tables, 下属单位, 三公). Optional data sections (用途, 机关运行经费上年数, 预留采购,
 * 绩效自评, 外宾接待 …) are generated where the base file has them, i.e. where
 * the profile prints them. A profile whose data files have another shape adds
 * its own `emit` in PROFILES below.
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML from 'yaml';
import { projectFile } from '../paths';

interface ProfileData {
  base: string;
  year: number;
  date: string;
  regions: Array<{ name: string; approver: string }>;
  kinds: Array<{ name: string; self: string; business: string[] }>;
  subjects: Record<string, { name: string; items: Record<string, [string, 'basic' | 'project']> }>;
  personnel: string[];
  /** The profile's 科目表 (default catalog/<year>.yaml). */
  catalog?: string;
  /** Names of 下属单位 (department name + one of these); without them every unit is 本级 only. */
  subunits?: string[];
  /** 政府性基金 / 国有资本经营 款 and 项: present, the unit may have such income and spending (表 07 / 08 rows). */
  gov_fund?: ProfileData['subjects'];
  state_capital?: ProfileData['subjects'];
}

/** Pseudo-random numbers from a seed (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Gen {
  constructor(readonly r: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(xs: T[]): T {
    return xs[Math.floor(this.r() * xs.length)];
  }
  /** x × a random factor in [lo, hi], as an integer. */
  vary(x: number, lo: number, hi: number): number {
    return Math.round(x * (lo + (hi - lo) * this.r()));
  }
  /** Split an integer total into n non-negative integers (random weights). */
  split(total: number, n: number, weights?: number[]): number[] {
    if (n === 0) return [];
    const w = weights ?? Array.from({ length: n }, () => 0.2 + this.r());
    const W = w.reduce((a, b) => a + b, 0);
    const parts = w.map((x) => Math.floor((total * x) / W));
    parts[parts.indexOf(Math.max(...parts))] += total - parts.reduce((a, b) => a + b, 0);
    return parts;
  }
}

const OVER = ['年中追加的项目经费支出', '年中调整的人员经费', '年中追加专项任务经费', '上年结转资金在本年支出'];
const UNDER = ['部分项目未按计划实施', '厉行节约，压减一般性支出', '部分采购项目尚未完成验收支付', '人员变动，相关支出减少'];
const INCREASE = ['业务工作量增加，相关支出相应增加', '年中追加专项任务，收支规模扩大', '人员增加，人员经费相应增加'];
const TP_OVER = ['年中公务活动任务增加，相关支出相应增加', '部分公务用车使用年限较长，维修费用增加'];
const TP_UNDER = ['严格执行“三公”经费管理规定，厉行节约', '压减公务活动规模，从严控制开支标准'];
const TP_INCREASE = ['公务活动任务较上年增加', '部分公务用车使用年限较长，维修费用增加'];
const TP_DECREASE = ['厉行节约，压减“三公”经费支出', '公务活动较上年减少'];
const DECREASE = ['部分项目完成，支出相应减少', '厉行节约，压减一般性支出', '上年一次性项目本年未安排'];

/** One generated department: the data.yaml object (amounts as numbers of the data unit). */
function department(p: ProfileData, base: Record<string, unknown>, index: number, seed: number): { name: string; doc: Record<string, unknown> } {
  const g = new Gen(rng(seed * 1000003 + index * 7919 + 17));
  const kind = p.kinds[index % p.kinds.length];
  const round = Math.floor(index / p.kinds.length);
  const region = p.regions[round % p.regions.length];
  const lap = Math.floor(round / p.regions.length);
  const department = `${region.name}${kind.name}${lap ? `（第${lap + 1}分${kind.name.slice(-1)}）` : ''}`;
  const unit: '万元' | '元' = index % 3 === 2 ? '元' : '万元';
  // Minor units: 0.01 of the data unit. K = minor units per 0.01 万元 (the shown precision).
  const K = unit === '元' ? 10000 : 1;
  const shown = (x: number) => (K === 1 ? x : Math.floor((x + K / 2) / K));
  const amt = (x: number) => x / 100;
  const dir = (a: number, b: number) => Math.sign(shown(a) - shown(b));
  const bx = base as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  // Optional sections are generated where the profile's base file has them (the profile prints them).
  const baseT05 = Object.values((bx.tables?.t05?.rows ?? {}) as Record<string, Record<string, unknown>>);
  const withPurpose = baseT05.some((r) => r.purpose !== undefined);
  // Variants a profile with fund tables cycles through, so that a few files cover them all:
  // 政府性基金 on even files, 国有资本经营 on the first and third of every five, no 三公 on the fourth of every five.
  const funds = p.gov_fund !== undefined || p.state_capital !== undefined;
  const hasGovFund = p.gov_fund !== undefined && index % 2 === 0;
  const hasStateCapital = p.state_capital !== undefined && (index % 5 === 0 || index % 5 === 2);
  const noThreePublic = funds && index % 5 === 3;
  const multiUnit = p.subunits !== undefined && Math.floor(index / 2) % 2 === 1;

  // ── 科目 ──
  const codes: Array<{ code: string; name: string; kuan: string; type: 'basic' | 'project' }> = [];
  const add = (code: string) => {
    const kuan = code.slice(0, 5);
    const s = p.subjects[kuan]?.items[code];
    if (!s) throw new Error(`profile: unknown subject ${code}`);
    if (!codes.some((c) => c.code === code)) codes.push({ code, name: s[0], kuan, type: s[1] });
  };
  for (const kuan of kind.business) {
    const items = Object.keys(p.subjects[kuan].items);
    const chosen = items.filter(() => g.chance(0.7));
    for (const c of chosen.length ? chosen : [items[0]]) add(c);
  }
  const basicOnly = g.chance(0.1); // a unit with no 项目支出 at all
  if (basicOnly) for (let i = codes.length - 1; i >= 0; i--) if (codes[i].type === 'project' && codes.length > 1) codes.splice(i, 1);
  for (const c of p.personnel) if (g.chance(0.6) || c === '2080505' || c === '2210201') add(c);
  codes.sort((a, b) => a.code.localeCompare(b.code));
  const basicRows = codes.filter((c) => c.type === 'basic');
  const projectRows = codes.filter((c) => c.type === 'project');

  // ── 05表: 一般公共预算财政拨款支出 ──
  const total = Math.round(Math.exp(Math.log(200) + g.r() * Math.log(40000 / 200)) * 100) * K; // 200 – 40000 万元
  const basicTotal = projectRows.length && !basicOnly ? g.vary(total, 0.15, 0.6) : total;
  const projectTotal = total - basicTotal;
  const basicParts = g.split(basicTotal, basicRows.length, basicRows.map((c) => (p.personnel.includes(c.code) ? 0.15 + g.r() * 0.3 : 1 + g.r())));
  const projectParts = g.split(projectTotal, projectRows.length);
  const t05 = new Map<string, { basic: number; project: number; budget?: number }>();
  basicRows.forEach((c, i) => t05.set(c.code, { basic: basicParts[i], project: 0 }));
  projectRows.forEach((c, i) => t05.set(c.code, { basic: 0, project: projectParts[i] }));
  const t05Rows = new Map<string, Record<string, unknown>>();
  let budgetBasic = 0;
  let budgetProject = 0;
  for (const c of codes) {
    const v = t05.get(c.code)!;
    const actual = v.basic + v.project;
    const row: Record<string, unknown> = {};
    if (v.basic) row.basic = amt(v.basic);
    if (v.project) row.project = amt(v.project);
    const budget = g.chance(0.85) ? g.vary(actual, 0.6, 1.4) : 0;
    if (budget) {
      row.budget = amt(budget);
      if (c.type === 'basic') budgetBasic += budget;
      else budgetProject += budget;
    }
    if (withPurpose) row.purpose = `${c.name}方面的支出`;
    const d = dir(actual, budget);
    if (d > 0) row.over_reason = g.pick(OVER);
    if (d < 0) row.under_reason = g.pick(UNDER);
    t05Rows.set(c.code, row);
  }

  // ── 03表 (all funds ≥ 05表) and 02表 ──
  const t03Rows = new Map<string, Record<string, unknown>>();
  let nonfiscalSpending = 0;
  const extraOf = new Map<string, number>();
  for (const c of codes) {
    const v = t05.get(c.code)!;
    const extra = g.chance(0.3) ? g.vary(v.basic + v.project, 0.02, 0.3) : 0;
    nonfiscalSpending += extra;
    extraOf.set(c.code, extra);
    const row: Record<string, unknown> = {};
    if (c.type === 'basic') row.basic = amt(v.basic + extra);
    else row.project = amt(v.project + extra);
    t03Rows.set(c.code, row);
  }
  const openingG = g.chance(0.8) ? g.vary(total, 0, 0.15) : 0;
  let closingG = g.chance(0.85) ? g.vary(total, 0, 0.2) : 0;
  const largest = codes.reduce((a, c) => (t05.get(c.code)!.basic + t05.get(c.code)!.project > t05.get(a.code)!.basic + t05.get(a.code)!.project ? c : a), codes[0]);
  const largestFiscal = t05.get(largest.code)!.basic + t05.get(largest.code)!.project;
  if (closingG - openingG < -largestFiscal) closingG = openingG;
  // Without 项目支出 the project budget is all carry-over: keep it above zero (the 附件 prints its execution rate).
  if (!projectTotal) closingG = Math.max(closingG, g.vary(total, 0.02, 0.1));
  const generalIncome = total + closingG - openingG;
  const nonfiscalKeep = nonfiscalSpending ? g.vary(nonfiscalSpending, 0, 0.1) : 0;
  const t02Rows = new Map<string, Record<string, unknown>>();
  for (const c of codes) {
    const v = t05.get(c.code)!;
    const fiscal = v.basic + v.project + (c.code === largest.code ? closingG - openingG : 0);
    const row: Record<string, unknown> = {};
    if (fiscal) row.fiscal = amt(fiscal);
    let nf = extraOf.get(c.code)!;
    if (c.code === largest.code) nf += nonfiscalKeep;
    if (nf) row[g.chance(0.5) ? 'business' : 'other'] = amt(nf);
    if (Object.keys(row).length) t02Rows.set(c.code, row);
  }
  // ── 政府性基金 (07表 rows) and 国有资本经营 (08表 rows): each 项 income, opening, spending, budget ──
  const fundSubjects = new Map<string, string>();
  const fund = (subjects: ProfileData['subjects'] | undefined, on: boolean, what: 'gov' | 'state') => {
    const rows = new Map<string, Record<string, unknown>>();
    const sums = { opening: 0, income: 0, spend: 0, closing: 0 };
    if (!subjects || !on) return { rows, ...sums };
    const all = Object.entries(subjects).flatMap(([kuan, s]) => Object.entries(s.items).map(([code, [name]]) => ({ kuan, kuanName: s.name, code, name })));
    const chosen = all.filter(() => g.chance(0.5));
    for (const c of chosen.length ? chosen : [g.pick(all)]) {
      fundSubjects.set(c.kuan, c.kuanName);
      fundSubjects.set(c.code, c.name);
      const income = g.vary(total, 0.01, 0.08);
      const opening = g.chance(0.5) ? g.vary(income, 0, 0.3) : 0;
      const closing = g.chance(0.5) ? g.vary(opening + income, 0, 0.3) : 0;
      const spend = opening + income - closing;
      const budget = g.chance(0.9) ? g.vary(spend, 0.7, 1.3) : 0;
      const row: Record<string, unknown> = {};
      if (opening) row.opening = amt(opening);
      row.income = amt(income);
      row.project = amt(spend);
      if (budget) row.budget = amt(budget);
      row.purpose = `${c.name}`;
      const d = dir(spend, budget);
      if (d > 0) row.over_reason = g.pick(OVER);
      if (d < 0) row.under_reason = g.pick(UNDER);
      rows.set(c.code, row);
      t02Rows.set(c.code, { fiscal: amt(income) });
      t03Rows.set(c.code, { project: amt(spend) });
      sums.opening += opening;
      sums.income += income;
      sums.spend += spend;
      sums.closing += closing;
    }
    void what;
    return { rows, ...sums };
  };
  const govFund = fund(p.gov_fund, hasGovFund, 'gov');
  const stateCapital = fund(p.state_capital, hasStateCapital, 'state');
  const fundIncome = govFund.income + stateCapital.income;
  const fundOpening = govFund.opening + stateCapital.opening;
  const fundSpend = govFund.spend + stateCapital.spend;
  const incomeAll = generalIncome + nonfiscalSpending + nonfiscalKeep + fundIncome;
  const spendingAll = total + nonfiscalSpending + fundSpend;
  const openingNf = g.chance(0.5) ? g.vary(total, 0, 0.05) : 0;
  const openingAll = openingG + openingNf + fundOpening;
  const closingAll = openingAll + incomeAll - spendingAll;

  // ── 06表 ──
  const catalog = YAML.parse(fs.readFileSync(projectFile(p.catalog ?? path.join('catalog', `${p.year}.yaml`)), 'utf8')) as {
    economic: Array<{ code: string; group: string; items: Record<string, string> }>;
  };
  const personnel = g.vary(basicTotal, 0.72, 0.9);
  const publicTotal = basicTotal - personnel;
  const hasCars = !noThreePublic && g.chance(0.75);
  const carOperation = hasCars ? g.vary(publicTotal, 0.03, 0.12) : 0;
  const reception = !noThreePublic && g.chance(0.8) ? g.vary(publicTotal, 0, 0.03) : 0;
  const t06 = new Map<string, number>();
  for (const cls of catalog.economic) for (const code of Object.keys(cls.items)) t06.set(code, 0);
  const c301 = ['30101', '30102', '30103', '30107', '30108', '30109', '30110', '30112', '30113', '30199'].filter((c) => t06.has(c));
  const c303 = ['30302', '30305', '30309'].filter((c) => t06.has(c));
  const c302 = ['30201', '30202', '30205', '30206', '30207', '30211', '30213', '30226', '30228', '30229', '30239', '30299'].filter((c) => t06.has(c));
  const p303 = g.vary(personnel, 0.03, 0.2);
  g.split(personnel - p303, c301.length).forEach((x, i) => t06.set(c301[i], x));
  g.split(p303, c303.length).forEach((x, i) => t06.set(c303[i], x));
  const rest = publicTotal - carOperation - reception;
  g.split(rest, c302.length).forEach((x, i) => t06.set(c302[i], x));
  t06.set('30217', reception);
  t06.set('30231', carOperation);
  const sumOf = (prefix: string) => [...t06].filter(([c]) => c.startsWith(prefix)).reduce((a, [, x]) => a + x, 0);

  // ── 09表 and 三公 explanations ──
  const abroad = !noThreePublic && g.chance(funds ? 0.4 : 0.15) ? g.vary(publicTotal, 0.005, 0.03) : 0;
  // 公务用车购置费 (from 项目支出) where the base file describes it
  const carPurchase = bx.explanations?.three_public?.car_purchase_description !== undefined && hasCars && projectTotal && g.chance(0.4) ? g.vary(publicTotal, 0.02, 0.1) : 0;
  const actual = { abroad, car_purchase: carPurchase, car_operation: carOperation, reception };
  const keys = ['abroad', 'car_purchase', 'car_operation', 'reception'] as const;
  const budget = Object.fromEntries(keys.map((k) => [k, noThreePublic || (k === 'car_purchase' && !carPurchase) ? 0 : actual[k] ? g.vary(actual[k], 0.8, 1.4) : g.chance(0.3) ? g.vary(publicTotal, 0, 0.02) : 0])) as Record<(typeof keys)[number], number>;
  const prior = Object.fromEntries(keys.map((k) => [k, noThreePublic || (k === 'car_purchase' && !carPurchase) ? 0 : g.vary(actual[k] || budget[k], 0.7, 1.3)])) as Record<(typeof keys)[number], number>;
  const reasons = (a: number, b: number, pr: number) => {
    const o: Record<string, string> = {};
    const d = dir(a, b);
    if (d > 0) o.over_reason = g.pick(TP_OVER);
    if (d < 0) o.under_reason = g.pick(TP_UNDER);
    const y = dir(a, pr);
    if (y > 0) o.increase_reason = g.pick(TP_INCREASE);
    if (y < 0) o.decrease_reason = g.pick(TP_DECREASE);
    return o;
  };
  const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
  const tpActual = sum(actual);
  const tpPrior = sum(prior);

  // ── explanations ──
  // The base file's texts name its own department (and call it 本局 …): name the generated one instead.
  const baseName = String(bx.report?.department ?? '');
  const baseSelf = String(bx.report?.self_name ?? '');
  const rename = (x: unknown): unknown =>
    typeof x === 'string' ? (baseName ? x.split(baseName).join(department) : x).split(baseSelf || '\u0000').join(kind.self)
      : Array.isArray(x) ? x.map(rename)
        : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rename(v)])) : x;
  const b = rename(JSON.parse(JSON.stringify(base))) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const yoy = (cur: number, pr: number) => {
    const y = dir(cur, pr);
    return y > 0 ? { increase_reason: g.pick(INCREASE) } : y < 0 ? { decrease_reason: g.pick(DECREASE) } : undefined;
  };
  const s1 = incomeAll + openingAll;
  const s4 = generalIncome + openingG + fundIncome + fundOpening;
  const priorTotal = g.vary(s1, 0.8, 1.2);
  const priorFiscal = g.vary(s4, 0.8, 1.2);
  const priorGeneral = g.vary(total, 0.8, 1.2);
  const ex = b.explanations;
  ex.prior_year = { total: amt(priorTotal), fiscal_total: amt(priorFiscal), general_spending: amt(priorGeneral) };
  for (const [k, v] of [['total_yoy', yoy(s1, priorTotal)], ['fiscal_total_yoy', yoy(s4, priorFiscal)], ['general_spending_yoy', yoy(total, priorGeneral)]] as const) {
    if (v) ex[k] = v;
    else delete ex[k];
  }
  const tp = ex.three_public;
  const vehicles = hasCars ? g.int(carPurchase ? 2 : 1, 9) : 0;
  ex.three_public = {
    prior_year: Object.fromEntries(keys.map((k) => [k, amt(prior[k])])),
    total: reasons(tpActual, sum(budget), tpPrior),
    ...Object.fromEntries(keys.map((k) => [k, reasons(actual[k], budget[k], prior[k])]).filter(([, v]) => Object.keys(v as object).length)),
    trips: abroad ? { groups: g.int(1, 2), people: g.int(2, 6) } : { groups: 0, people: 0 },
    receptions: reception ? { groups: g.int(2, 20), guests: g.int(10, 120), description: tp.receptions.description } : { groups: 0, guests: 0 },
    cars_purchased: carPurchase ? g.int(1, 2) : 0,
    car_operation_description: tp.car_operation_description,
    fleet_size: hasCars ? g.int(1, vehicles) : 0,
  };
  {
    const t = ex.three_public;
    const bt = bx.explanations?.three_public ?? {};
    if (bt.cars !== undefined) {
      t.cars = reasons(carPurchase + carOperation, budget.car_purchase + budget.car_operation, prior.car_purchase + prior.car_operation);
      if (!Object.keys(t.cars).length) delete t.cars;
    }
    if (bt.abroad_description !== undefined && abroad) t.abroad_description = bt.abroad_description;
    if (bt.car_purchase_description !== undefined && carPurchase) t.car_purchase_description = bt.car_purchase_description;
    if (bt.receptions?.foreign !== undefined && reception && g.chance(0.5)) {
      const r = t.receptions;
      t.receptions.foreign = { amount: amt(g.vary(reception, 0.05, 0.3)), groups: g.int(1, r.groups), guests: g.int(1, r.guests) };
    }
    if (carPurchase) t.fleet_size = Math.max(t.fleet_size, t.cars_purchased);
  }
  if (!Object.keys(ex.three_public.total).length) delete ex.three_public.total;
  const adminBudget = g.vary(publicTotal, 0.85, 1.15);
  ex.admin_operating = { budget: amt(adminBudget), ...(yoy(publicTotal, adminBudget) ?? {}) };
  if (bx.explanations?.admin_operating?.prior_year !== undefined) {
    // The previous year is drawn on the same side as the budget, so one pair of reasons serves both
    // comparisons (opposite directions take admin_operating.prior_year_reasons: tests/admin-operating.test.ts).
    const d = dir(publicTotal, adminBudget);
    let priorAo = adminBudget;
    for (let i = 0; i < 5 && d !== 0; i++) {
      const x = g.vary(publicTotal, d > 0 ? 0.8 : 1.01, d > 0 ? 0.99 : 1.2);
      if (dir(publicTotal, x) === d) {
        priorAo = x;
        break;
      }
    }
    ex.admin_operating.prior_year = amt(priorAo);
    if (bx.explanations.admin_operating.amount !== undefined) ex.admin_operating.amount = amt(publicTotal);
  }
  ex.general_expenses.meetings.amount = amt(g.vary(publicTotal, 0, 0.01));
  ex.general_expenses.training.amount = amt(g.vary(publicTotal, 0, 0.03));
  const goods = g.vary(total, 0, 0.05);
  const works = g.chance(0.3) ? g.vary(total, 0, 0.1) : 0;
  const services = g.vary(total, 0, 0.3);
  const sme = { goods: g.vary(goods, 0.3, 1), works: g.vary(works, 0.3, 1), services: g.vary(services, 0.1, 1) };
  ex.procurement = {
    goods: amt(goods), works: amt(works), services: amt(services),
    sme: { goods: amt(sme.goods), works: amt(sme.works), services: amt(sme.services) },
    small_micro: amt(g.vary(sum(sme), 0.2, 0.9)),
  };
  if (bx.explanations?.procurement?.reserved !== undefined) {
    const smeAll = sme.goods + sme.works + sme.services;
    const reservedSme = g.vary(smeAll, 0.5, 1);
    const reservedSm = g.vary(reservedSme, 0.4, 0.8);
    ex.procurement.reserved = { sme: amt(reservedSme), small_micro: amt(reservedSm) };
    ex.procurement.awarded = { sme_reserved: amt(g.vary(reservedSme, 0.85, 1)), small_micro_reserved: amt(g.vary(reservedSm, 0.85, 1)), other_sme: amt(g.vary(smeAll, 0, 0.3)) };
  }
  if (ex.general_budget !== undefined) {
    const d = dir(total, budgetBasic + budgetProject);
    ex.general_budget = d > 0 ? { over_reason: g.pick(OVER) } : d < 0 ? { under_reason: g.pick(UNDER) } : {};
  }
  if (!govFund.rows.size) delete ex.government_fund_note;
  const pf = ex.performance;
  if (pf?.goals) pf.goals = { projects: g.int(1, 30), amount: amt(g.vary(total, 0.1, 0.6)) };
  if (pf?.monitoring) pf.monitoring = { projects: g.int(1, 10), amount: amt(g.vary(total, 0.02, 0.2)) };
  if (pf?.self_evaluation) {
    const ratings = { excellent: g.int(0, 12), good: g.int(1, 8), pass: g.int(0, 3), fail: g.int(0, 1) };
    const found = g.int(0, 8);
    const fixed = g.int(0, found);
    pf.self_evaluation = { amount: amt(g.vary(total, 0.05, 0.5)), average_score: g.int(800, 990) / 10, ratings, problems: { fixed, fixing: found - fixed } };
  }
  const vehicleKinds = Object.keys(ex.assets.vehicles);
  const counts = g.split(vehicles, vehicleKinds.length, vehicleKinds.map(() => g.r()));
  ex.assets = { vehicles: Object.fromEntries(vehicleKinds.map((k, i) => [k, counts[i]])), equipment_over_1m: g.int(0, 30) };

  // ── assemble ──
  const subjects = new Map<string, string>();
  for (const c of codes) {
    subjects.set(c.kuan, p.subjects[c.kuan].name);
    subjects.set(c.code, c.name);
  }
  for (const [c, n] of fundSubjects) subjects.set(c, n);
  const sortedSubjects = new Map([...subjects].sort(([a], [b2]) => (a.slice(0, 5) === b2.slice(0, 5) ? a.length - b2.length || a.localeCompare(b2) : a.localeCompare(b2))));
  b.report = { department, self_name: kind.self, year: p.year, date: p.date, unit, ...(bx.report?.profile ? { profile: bx.report.profile } : {}) };
  if (!p.subunits) b.overview.units = [`${department}本级`];
  else if (!multiUnit) b.overview.units = [department];
  else {
    const subs = p.subunits.filter(() => g.chance(0.5));
    b.overview.units = [`${department}（本级）`, ...(subs.length ? subs : [g.pick(p.subunits)]).map((x) => `${department}${x}`)];
  }
  b.subjects = sortedSubjects;
  b.tables = {
    t01: { nonfiscal_balance_used: 0, opening_balance: amt(openingAll), surplus_distribution: 0, closing_balance: amt(closingAll) },
    t02: { rows: t02Rows },
    t03: { rows: t03Rows },
    t04: {
      income: { general: amt(generalIncome), gov_fund: amt(govFund.income), state_capital: amt(stateCapital.income) },
      opening_balance: { general: amt(openingG), gov_fund: amt(govFund.opening), state_capital: amt(stateCapital.opening) },
      closing_balance: { general: amt(closingG), gov_fund: amt(govFund.closing), state_capital: amt(stateCapital.closing) },
    },
    t05: { rows: t05Rows },
    t06: { rows: new Map([...t06].map(([c, x]) => [c, amt(x)])) },
    t07: funds ? { rows: govFund.rows } : bx.tables?.t07,
    t08: funds ? { rows: stateCapital.rows } : bx.tables?.t08,
    t09: { budget: Object.fromEntries(keys.map((k) => [k, amt(budget[k])])), actual: Object.fromEntries(keys.map((k) => [k, amt(actual[k])])) },
  };
  b.glossary.items = new Map(codes.map((c) => [c.code, `指${department}用于${c.name}方面的支出`]));

  const a = b.attachment;
  if (a) {
    a.budget.initial_basic = amt(budgetBasic);
    a.budget.initial_project = amt(budgetProject);
    a.budget.basic_carryover = 0;
    a.budget.approver = region.approver;
    delete a.budget.printed_adjusted_project;
    const slack = Math.min(g.vary(basicTotal, 0, 0.05), Math.floor(closingG / 2));
    const slackP = Math.floor(slack / 2);
    const projectActual = g.split(projectTotal, 3);
    const projectExtra = g.split(s4 - personnel - publicTotal - slack - projectTotal, 3);
    a.budget.adjusted = {
      personnel: amt(personnel + slackP), public: amt(publicTotal + slack - slackP),
      business: amt(projectActual[0] + projectExtra[0]), operating: amt(projectActual[1] + projectExtra[1]), development: amt(projectActual[2] + projectExtra[2]),
    };
    a.actual.business = amt(projectActual[0]);
    a.actual.operating = amt(projectActual[1]);
    a.actual.development = amt(projectActual[2]);
    const goodsPart = g.vary(projectTotal, 0.4, 0.9);
    a.actual.economic = { 工资福利支出: amt(sumOf('301')), 商品和服务支出: amt(sumOf('302') + goodsPart), 对个人和家庭的补助: amt(sumOf('303')), 资本性支出: amt(projectTotal - goodsPart) };
    const d = dir(tpActual, tpPrior);
    delete a.three_public.increase_reason;
    delete a.three_public.decrease_reason;
    if (d > 0) a.three_public.increase_reason = g.pick(INCREASE);
    if (d < 0) a.three_public.decrease_reason = g.pick(DECREASE);
    a.performance.score = amt(g.int(8000, 9999));
    a.performance.public_prior_year = amt(g.vary(publicTotal, 0.85, 1.15));
    for (const k of ['business', 'operating', 'development']) a.projects[k].count = projectTotal ? g.int(1, 20) : 0;
    delete a.printed;
  }
  return { name: department, doc: b };
}

interface Profile {
  /** The vocabulary file, bench/fixtures/<name>.yaml. */
  data: string;
  emit(p: ProfileData, base: Record<string, unknown>, index: number, seed: number): { name: string; doc: Record<string, unknown> };
}

/** Profiles the generator knows; add one here (and its bench/fixtures/<name>.yaml). */
export const PROFILES: Record<string, Profile> = {
  hunan: { data: 'bench/fixtures/hunan.yaml', emit: department },
  shanghai: { data: 'bench/fixtures/shanghai.yaml', emit: department },
};

export interface GenOptions {
  count: number;
  out: string;
  seed?: number;
  /** Profiles to cycle through (default: every profile). */
  profiles?: string[];
}

/** Write the files; returns their paths. */
export function generateFixtures(opts: GenOptions): string[] {
  const names = opts.profiles?.length ? opts.profiles : Object.keys(PROFILES);
  const loaded = names.map((n) => {
    const prof = PROFILES[n];
    if (!prof) throw new Error(`未知的配置“${n}”（可用：${Object.keys(PROFILES).join('、')}）`);
    const data = YAML.parse(fs.readFileSync(projectFile(prof.data), 'utf8')) as ProfileData;
    const base = YAML.parse(fs.readFileSync(projectFile(data.base), 'utf8')) as Record<string, unknown>;
    return { name: n, prof, data, base };
  });
  fs.mkdirSync(opts.out, { recursive: true });
  const files: string[] = [];
  const width = String(opts.count).length;
  for (let i = 0; i < opts.count; i++) {
    const l = loaded[i % loaded.length];
    const { name, doc } = l.prof.emit(l.data, l.base, Math.floor(i / loaded.length), opts.seed ?? 1);
    const file = path.join(opts.out, `${String(i + 1).padStart(width, '0')}-${l.name}.yaml`);
    const header = `# 模拟数据（npm run gen-fixtures 生成，配置 ${l.name}，种子 ${opts.seed ?? 1}）：${name}。不是真实单位的数据。\n`;
    fs.writeFileSync(file, header + YAML.stringify(doc, { lineWidth: 0 }));
    files.push(file);
  }
  return files;
}

function main(argv: string[]): number {
  const usage = '用法：npm run gen-fixtures -- <个数> [--out <目录>] [--seed <整数>] [--profile <配置,…>]';
  let count: number | undefined;
  let out = path.join('output', 'fixtures');
  let seed = 1;
  let profiles: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') out = argv[++i] ?? out;
    else if (a === '--seed') seed = Number(argv[++i]);
    else if (a === '--profile') profiles = (argv[++i] ?? '').split(',').filter(Boolean);
    else if (/^\d+$/.test(a)) count = Number(a);
    else {
      console.error(`无法识别的参数：${a}\n${usage}`);
      return 2;
    }
  }
  if (!count || !Number.isInteger(seed)) {
    console.error(usage);
    return 2;
  }
  try {
    const files = generateFixtures({ count, out, seed, profiles });
    console.log(`已生成 ${files.length} 个模拟单位的数据文件到 ${out}/（种子 ${seed}）。批量生成报告：npm run build-report -- --batch ${out}`);
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
}

// Run as a command (directly or through scripts/run.js, which sets argv[1]), not when imported.
if (process.argv[1] && path.resolve(process.argv[1]) === __filename) process.exitCode = main(process.argv.slice(2));
