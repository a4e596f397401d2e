/**
 * Stage 4: audits — the 表内/表间审核 of the 决算 software, as small named rules.
 * Each rule has an id, a one-line identity in the finance officer's words, and a
 * check returning findings located at the data that caused them.
 *
 * Severity: an identity that fails by more than the 万元 conversion tail is an
 * error and stops the build; a difference within the tail (data in 万元 only) is a
 * warning, printed with both figures and kept in the findings list.
 */
import Decimal from 'decimal.js';
import { Location } from '../errors';
import { Facts } from '../derive/facts';
import { cell, CodeTable, Figure } from '../derive/tables';
import { plain, shown, ZERO } from '../format/number';
import { BudgetVerdict, YoyVerdict } from '../derive/verdicts';
import { PRINTED_KEYS, PrintedKey } from '../validate/attachment';

export interface Finding {
  rule: string;
  severity: 'error' | 'warning';
  message: string;
  path?: string;
  loc?: Location;
}

export interface Rule {
  id: string;
  /** The identity or requirement, in finance words. */
  statement: string;
  check(f: Facts, out: Out): void;
}

export interface Out {
  /** Compare a figure used in the report with what its parts imply. */
  equal(label: string, found: Decimal, expected: Decimal, parts: number, path?: string): void;
  error(message: string, path?: string): void;
  warning(message: string, path?: string): void;
}


/** Check every printed total of a code table against its parts: col 1 vs columns, parents vs children. */
function hierarchy(t: CodeTable, name: string, out: Out): void {
  for (const r of t.rows) {
    if (r.level === 3) continue;
    const label = r.code === '' ? '合计' : `${r.code} ${r.name}`;
    const offset = t.hasTotalColumn ? 1 : 0;
    const children = t.rows.filter((x) => x.level === r.level + 1 && x.code.startsWith(r.code));
    if (t.hasTotalColumn && children.length) {
      const sum = children.reduce((a, x) => a.plus(x.cols[0].value), ZERO);
      out.equal(`${name} ${label}「合计栏」（与下级科目之和比较）`, r.cols[0].value, sum, children.length, r.cols[0].path);
    }
    t.keys.forEach((k, i) => {
      const c = r.cols[i + offset];
      const kids = t.rows.filter((x) => x.level === r.level + 1 && x.code.startsWith(r.code));
      if (c.sum !== undefined) out.equal(`${name} ${label}「${colName(k)}」`, c.value, c.sum, Math.max(kids.length, 1), c.path);
    });
  }
}

function rowTotals(t: CodeTable, name: string, out: Out): void {
  if (!t.hasTotalColumn) return;
  for (const r of t.rows) {
    const c = r.cols[0];
    if (c.sum !== undefined) out.equal(`${name} ${r.code === '' ? '合计' : `${r.code} ${r.name}`}「合计栏」`, c.value, c.sum, t.keys.length, c.path);
  }
}

const COL_NAMES: Record<string, string> = {
  fiscal: '财政拨款收入', superior: '上级补助收入', business: '事业收入', operating: '经营收入', affiliated: '附属单位上缴收入', other: '其他收入',
  basic: '基本支出', project: '项目支出', remit: '上缴上级支出', subsidy: '对附属单位补助支出', opening: '年初结转和结余', income: '本年收入',
  expense: '本年支出小计', closing: '年末结转和结余', total: '合计',
};
const colName = (k: string) => COL_NAMES[k] ?? k;

function checkFigure(label: string, f: Figure, parts: number, out: Out): void {
  if (f.sum !== undefined) out.equal(label, f.value, f.sum, parts, f.path);
}

function reasonRule(label: string, v: BudgetVerdict, path: string, out: Out, what = '年初预算'): void {
  if (v.missingReason)
    out.error(`${label}：决算数${v.word}${what}数（完成${plain(v.rate ?? ZERO)}%），超出允许偏离范围，必须说明原因：请填写 ${v.word === '大于' ? 'over_reason' : 'under_reason'}`, path);
  if (v.staleReason && v.staleKey) {
    // A stale explanation stops the build: it was written for one direction and the data now gives another.
    const was = v.staleKey === 'over_reason' ? '大于' : '小于';
    const rate = v.rate ? `（完成${plain(v.rate)}%）` : '';
    const now = v.isOver || v.isUnder || v.noBudget
      ? `决算数 ${plain(v.actual)} ${v.noBudget ? `大于${what}数（年初无预算）` : `${v.word}${what}数 ${plain(v.budget)}${rate}`}`
      : v.bothZero ? `${what}数与决算数均为 0`
      : v.isEqual ? `决算数 ${plain(v.actual)} 与${what}数 ${plain(v.budget)} 持平`
      : `决算数 ${plain(v.actual)} 与${what}数 ${plain(v.budget)} 基本持平${rate}`;
    const fix = v.word ? `请改写为${v.word}的原因并改填 ${v.word === '大于' ? 'over_reason' : 'under_reason'}` : '不再需要原因，请删除此项';
    out.error(`${label}：原因“${v.staleReason}”是按“决算数${was}${what}数”填写的（${v.staleKey}），但现在${now}，原因与方向不符，${fix}`, `${path}.${v.staleKey}`);
  }
}

function yoyRule(label: string, v: YoyVerdict, path: string, out: Out, base = '上年'): void {
  if (v.missingReason)
    out.error(`${label}：与上年相比${v.amountWord}${plain(v.change)}万元（${v.rateWord}${v.pct ? plain(v.pct) + '%' : ''}），必须说明原因：请填写 ${v.isIncrease ? 'increase_reason' : 'decrease_reason'}`, path);
  if (v.staleReason && v.staleKey) {
    const was = v.staleKey === 'increase_reason' ? '增加' : '减少';
    const now = v.isSame
      ? `本年 ${plain(v.current)} 与${base} ${plain(v.prior)} 持平`
      : `本年 ${plain(v.current)} 比${base} ${plain(v.prior)} ${v.amountWord}${plain(v.change)}${v.pct ? `（${v.rateWord}${plain(v.pct)}%）` : ''}`;
    const fix = v.amountWord ? `请改写为${v.amountWord}的原因并改填 ${v.isIncrease ? 'increase_reason' : 'decrease_reason'}` : '不再需要原因，请删除此项';
    out.error(`${label}：原因“${v.staleReason}”是按“比${base}${was}”填写的（${v.staleKey}），但现在${now}，原因与方向不符，${fix}`, `${path}.${v.staleKey}`);
  }
}

/** Number of 类 rows in 01/04 (the catalog's function classes): the tail tolerance of a class total. */
const nClasses = (f: Facts) => f.tables.summary.t01.expenditure.length;

export const RULES: Rule[] = [
  // ── 公开01表 ──
  { id: 'T01-01', statement: '01表 本年收入合计 = 第1至8行之和', check: (f, o) => checkFigure('01表 本年收入合计', f.tables.summary.t01.incomeTotal, 8, o) },
  { id: 'T01-02', statement: '01表 收入总计 = 本年收入合计 + 使用非财政拨款结余和专用结余 + 年初结转和结余', check: (f, o) => checkFigure('01表 收入总计', f.tables.summary.t01.grandIncome, 3, o) },
  { id: 'T01-03', statement: '01表 本年支出合计 = 各类支出之和', check: (f, o) => checkFigure('01表 本年支出合计', f.tables.summary.t01.expenditureTotal, f.tables.summary.t01.expenditure.length, o) },
  { id: 'T01-04', statement: '01表 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余', check: (f, o) => checkFigure('01表 支出总计', f.tables.summary.t01.grandExpenditure, 3, o) },
  {
    id: 'T01-05', statement: '01表 收入总计 = 支出总计（两方印同一个总计数；支出方各项之和与它的差由 T01-04 报告）',
    check: (f, o) => o.equal('01表 支出总计（与收入总计比较）', f.tables.summary.t01.grandExpenditure.value, f.tables.summary.t01.grandIncome.value, 4, 'tables.t01.closing_balance'),
  },
  {
    id: 'T01-06', statement: '年初结转和结余 + 本年收入 + 使用非财政拨款结余 − 本年支出 − 结余分配 = 年末结转和结余',
    check: (f, o) => {
      const t = f.tables.summary.t01;
      const implied = t.opening.value.plus(t.incomeTotal.value).plus(t.nonfiscalBalanceUsed.value).minus(t.expenditureTotal.value).minus(t.surplusDistribution.value);
      o.equal('01表 年末结转和结余', t.closing.value, implied, 4, 'tables.t01.closing_balance');
    },
  },
  { id: 'T01-07', statement: '01表 本年收入合计 = 02表 合计行 本年收入合计', check: (f, o) => o.equal('01表 本年收入合计（与02表比较）', f.tables.summary.t01.incomeTotal.value, cell(f.tables.t02, '', 'total'), 8, 'tables.t02') },
  { id: 'T01-08', statement: '01表 本年支出合计 = 03表 合计行 本年支出合计', check: (f, o) => o.equal('01表 本年支出合计（与03表比较）', f.tables.summary.t01.expenditureTotal.value, cell(f.tables.t03, '', 'total'), f.tables.summary.t01.expenditure.length, 'tables.t03') },
  // ── 公开02表 ──
  { id: 'T02-01', statement: '02表 每行 本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入', check: (f, o) => rowTotals(f.tables.t02, '02表', o) },
  { id: 'T02-02', statement: '02表 合计 = 各类之和，每个类 = 其款之和，每个款 = 其项之和', check: (f, o) => hierarchy(f.tables.t02, '02表', o) },
  {
    id: 'T02-03', statement: '02表 合计行 财政拨款收入 = 04表 本年收入合计',
    check: (f, o) => o.equal('02表 财政拨款收入合计（与04表比较）', cell(f.tables.t02, '', 'fiscal'), f.tables.summary.t04.incomeTotal.value, 3, 'tables.t04.income'),
  },
  // ── 公开03表 ──
  { id: 'T03-01', statement: '03表 每行 本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出', check: (f, o) => rowTotals(f.tables.t03, '03表', o) },
  { id: 'T03-02', statement: '03表 合计 = 各类之和，每个类 = 其款之和，每个款 = 其项之和', check: (f, o) => hierarchy(f.tables.t03, '03表', o) },
  // ── 公开04表 ──
  { id: 'T04-01', statement: '04表 本年收入合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款收入', check: (f, o) => checkFigure('04表 本年收入合计', f.tables.summary.t04.incomeTotal, 3, o) },
  { id: 'T04-02', statement: '04表 年初财政拨款结转和结余 = 一般公共预算、政府性基金预算、国有资本经营预算三种之和', check: (f, o) => checkFigure('04表 年初财政拨款结转和结余', f.tables.summary.t04.opening, 3, o) },
  { id: 'T04-03', statement: '04表 收入总计 = 本年收入合计 + 年初财政拨款结转和结余', check: (f, o) => checkFigure('04表 收入总计', f.tables.summary.t04.grandIncome, 2, o) },
  {
    id: 'T04-04', statement: '04表 收入总计 = 支出总计（两方印同一个总计数；支出方各项之和与它的差由 T04-06 报告）',
    check: (f, o) => o.equal('04表 支出总计（与收入总计比较）', f.tables.summary.t04.grandExpenditure.total.value, f.tables.summary.t04.grandIncome.value, 3, 'tables.t04.closing_balance'),
  },
  {
    id: 'T04-05', statement: '04表 每种财政拨款：年初结转和结余 + 本年收入 − 本年支出 = 年末结转和结余',
    check: (f, o) => {
      const t = f.tables.summary.t04;
      (['general', 'gov_fund', 'state_capital'] as const).forEach((k, i) => {
        const implied = t.openingByKind[i].value.plus(t.income[i].value).minus(t.expenditureTotal[k].value);
        const label = { general: '一般公共预算', gov_fund: '政府性基金预算', state_capital: '国有资本经营预算' }[k];
        o.equal(`04表 ${label}财政拨款 年末结转和结余`, t.closing[k].value, implied, 3, `tables.t04.closing_balance.${k}`);
      });
    },
  },
  {
    id: 'T04-06', statement: '04表 支出方每行 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算财政拨款',
    check: (f, o) => {
      const t = f.tables.summary.t04;
      for (const e of [...t.expenditure.map((x) => x.split), t.expenditureTotal, t.closing, t.grandExpenditure]) checkFigure('04表 支出方合计栏', e.total, 3, o);
    },
  },
  {
    id: 'T04-07', statement: '04表 一般公共预算财政拨款 各类支出及本年支出合计 = 05表 对应类及合计',
    check: (f, o) => {
      const t = f.tables.summary.t04;
      o.equal('04表 一般公共预算财政拨款本年支出合计（与05表比较）', t.expenditureTotal.general.value, cell(f.tables.t05, '', 'total'), nClasses(f), 'tables.t05');
    },
  },
  { id: 'T04-08', statement: '04表 政府性基金预算财政拨款本年支出 = 07表 本年支出小计', check: (f, o) => o.equal('04表 政府性基金预算财政拨款本年支出（与07表比较）', f.tables.summary.t04.expenditureTotal.gov_fund.value, cell(f.tables.t07, '', 'expense'), nClasses(f), 'tables.t07') },
  {
    id: 'T04-11', statement: '04表 政府性基金预算财政拨款 年初结转和结余、本年收入、年末结转和结余 = 07表 合计行对应栏',
    check: (f, o) => {
      const t = f.tables.summary.t04;
      o.equal('04表 政府性基金预算财政拨款年初结转和结余（与07表比较）', t.openingByKind[1].value, cell(f.tables.t07, '', 'opening'), nClasses(f), 'tables.t04.opening_balance.gov_fund');
      o.equal('04表 政府性基金预算财政拨款收入（与07表比较）', t.income[1].value, cell(f.tables.t07, '', 'income'), nClasses(f), 'tables.t04.income.gov_fund');
      o.equal('04表 政府性基金预算财政拨款年末结转和结余（与07表比较）', t.closing.gov_fund.value, cell(f.tables.t07, '', 'closing'), nClasses(f), 'tables.t04.closing_balance.gov_fund');
    },
  },
  { id: 'T04-09', statement: '04表 国有资本经营预算财政拨款本年支出 = 08表 合计', check: (f, o) => o.equal('04表 国有资本经营预算财政拨款本年支出（与08表比较）', f.tables.summary.t04.expenditureTotal.state_capital.value, cell(f.tables.t08, '', 'total'), nClasses(f), 'tables.t08') },
  {
    id: 'T04-10', statement: '04表 年初财政拨款结转和结余 ≤ 01表 年初结转和结余；年末同理',
    check: (f, o) => {
      const a = f.tables.summary;
      if (shown(a.t04.opening.value).greaterThan(shown(a.t01.opening.value)))
        o.error(`04表 年初财政拨款结转和结余 ${plain(a.t04.opening.value)} 大于 01表 年初结转和结余 ${plain(a.t01.opening.value)}（财政拨款结转结余是全部结转结余的一部分）`, 'tables.t04.opening_balance');
      if (shown(a.t04.closing.total.value).greaterThan(shown(a.t01.closing.value)))
        o.error(`04表 年末财政拨款结转和结余 ${plain(a.t04.closing.total.value)} 大于 01表 年末结转和结余 ${plain(a.t01.closing.value)}`, 'tables.t04.closing_balance');
    },
  },
  // ── 公开05表 ──
  { id: 'T05-01', statement: '05表 每行 小计 = 基本支出 + 项目支出', check: (f, o) => rowTotals(f.tables.t05, '05表', o) },
  { id: 'T05-02', statement: '05表 合计 = 各类之和，每个类 = 其款之和，每个款 = 其项之和', check: (f, o) => hierarchy(f.tables.t05, '05表', o) },
  { id: 'T05-05', statement: '05表 年初预算合计 = 各项年初预算之和', check: (f, o) => checkFigure('05表 年初预算合计', f.tables.t05Budget, f.generalBudget.items.length, o) },
  {
    id: 'T05-03', statement: '05表 每个科目的基本支出、项目支出 ≤ 03表 同一科目（一般公共预算财政拨款是全部支出的一部分）',
    check: (f, o) => {
      for (const r of f.tables.t05.rows) {
        for (const k of ['total', 'basic', 'project']) {
          const a = cell(f.tables.t05, r.code, k);
          const b = cell(f.tables.t03, r.code, k);
          if (shown(a).greaterThan(shown(b)))
            o.error(`05表 ${r.code || '合计'} ${r.name}「${colName(k)}」${plain(a)} 大于 03表 同一科目 ${plain(b)}`, r.code ? `tables.t05.rows.${r.code}` : 'tables.t05');
        }
      }
    },
  },
  {
    id: 'T05-04', statement: '05表 基本支出合计 = 06表 人员经费合计 + 公用经费合计',
    check: (f, o) => o.equal('05表 基本支出合计（与06表人员经费合计 + 公用经费合计比较）', cell(f.tables.t05, '', 'basic'), f.tables.t06.personnel.value.plus(f.tables.t06.public.value), 2, 'tables.t06'),
  },
  // ── 公开06表 ──
  {
    id: 'T06-01', statement: '06表 每个经济分类类 = 其款之和',
    check: (f, o) => { for (const c of f.tables.t06.classes) checkFigure(`06表 ${c.code} ${c.name}`, c.value, c.items.length, o); },
  },
  {
    id: 'T06-02', statement: '06表 人员经费合计 = 工资福利支出 + 对个人和家庭的补助；公用经费合计 = 其余各类之和',
    check: (f, o) => { checkFigure('06表 人员经费合计', f.tables.t06.personnel, 2, o); checkFigure('06表 公用经费合计', f.tables.t06.public, 4, o); },
  },
  // ── 公开07、08表 ──
  { id: 'T07-01', statement: '07表 合计 = 各类之和；每个类 = 其款之和；年末结转和结余 = 年初 + 本年收入 − 本年支出', check: (f, o) => hierarchy(f.tables.t07, '07表', o) },
  { id: 'T08-01', statement: '08表 每行 合计 = 基本支出 + 项目支出；合计 = 各类之和', check: (f, o) => { rowTotals(f.tables.t08, '08表', o); hierarchy(f.tables.t08, '08表', o); } },
  // ── 公开09表 ──
  {
    id: 'T09-01', statement: '09表 预算数 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；公务用车小计 = 购置费 + 运行维护费',
    check: (f, o) => { checkFigure('09表 预算数 合计', f.tables.t09.budget.total, 3, o); checkFigure('09表 预算数 公务用车小计', f.tables.t09.budget.cars, 2, o); },
  },
  {
    id: 'T09-02', statement: '09表 决算数 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；公务用车小计 = 购置费 + 运行维护费',
    check: (f, o) => { checkFigure('09表 决算数 合计', f.tables.t09.actual.total, 3, o); checkFigure('09表 决算数 公务用车小计', f.tables.t09.actual.cars, 2, o); },
  },
  {
    id: 'T09-03', statement: '09表 公务接待费、公务用车运行维护费决算数 ≥ 06表 基本支出中的同名经济科目',
    check: (f, o) => {
      const e = (code: string) => f.tables.t06.classes.flatMap((c) => c.items).find((i) => i.code === code)?.value.value ?? ZERO;
      for (const [k, code, label] of [['reception', '30217', '公务接待费'], ['car_operation', '30231', '公务用车运行维护费'], ['abroad', '30212', '因公出国（境）费用']] as const) {
        const a = f.tables.t09.actual[k].value;
        if (shown(a).lessThan(shown(e(code)))) o.error(`09表 ${label}决算数 ${plain(a)} 小于 06表 ${code} ${label} ${plain(e(code))}（“三公”经费包括基本支出和项目支出）`, `tables.t09.actual.${k}`);
      }
    },
  },
  // ── 第三部分：说明数据 ──
  { id: 'EXP-01', statement: '“三公”经费上年决算 合计 = 各项之和', check: (f, o) => checkFigure('“三公”经费上年决算合计', f.threePublic.priorTotal, 3, o) },
  { id: 'EXP-02', statement: '政府采购支出总额 = 货物 + 工程 + 服务', check: (f, o) => checkFigure('政府采购支出总额', f.procurement.total, 3, o) },
  {
    id: 'EXP-03', statement: '授予中小企业合同金额 ≤ 对应的采购支出；授予小微企业合同金额 ≤ 授予中小企业合同金额',
    check: (f, o) => {
      const p = f.model.explanations.procurement;
      for (const k of ['goods', 'works', 'services'] as const)
        if (shown(p.sme[k]).greaterThan(shown(p[k]))) o.error(`授予中小企业的${{ goods: '货物', works: '工程', services: '服务' }[k]}合同金额 ${plain(p.sme[k])} 大于该类采购支出 ${plain(p[k])}`, `explanations.procurement.sme.${k}`);
      if (shown(p.smallMicro).greaterThan(shown(f.procurement.sme))) o.error(`授予小微企业合同金额 ${plain(p.smallMicro)} 大于授予中小企业合同金额 ${plain(f.procurement.sme)}`, 'explanations.procurement.small_micro');
    },
  },
  {
    id: 'EXP-04', statement: '05表 每个项：决算数与年初预算数偏离超过规定幅度（或年初无预算）时必须说明原因，原因须与方向一致',
    check: (f, o) => { for (const i of f.generalBudget.items) reasonRule(`05表 ${i.code} ${i.fullName}`, i.verdict, i.path, o); },
  },
  {
    id: 'EXP-05', statement: '“三公”经费合计及各项：决算数与预算数不一致时必须说明原因',
    check: (f, o) => {
      reasonRule('“三公”经费合计', f.threePublic.verdict, 'explanations.three_public.total', o, '预算');
      for (const [k, v] of Object.entries(f.threePublic.items)) reasonRule(`“三公”经费 ${v.label}`, v.verdict, `explanations.three_public.${k}`, o, '预算');
    },
  },
  {
    id: 'EXP-06', statement: '与上年相比的变动（“三公”经费任何变动；收支总计等超过“基本持平”幅度）必须说明原因',
    check: (f, o) => {
      yoyRule('收、支总计', f.totalYoy, 'explanations.total_yoy', o);
      yoyRule('财政拨款收、支总计', f.fiscalYoy, 'explanations.fiscal_total_yoy', o);
      yoyRule('一般公共预算财政拨款支出', f.generalBudget.yoy, 'explanations.general_spending_yoy', o);
      yoyRule('“三公”经费合计', f.threePublic.yoy, 'explanations.three_public.total', o);
      for (const [k, v] of Object.entries(f.threePublic.items)) yoyRule(`“三公”经费 ${v.label}`, v.yoy, `explanations.three_public.${k}`, o);
    },
  },
  {
    id: 'EXP-07', statement: '机关运行经费 决算数与年初预算数不一致时必须说明原因',
    check: (f, o) => yoyRule('机关运行经费（与年初预算比较）', f.adminOperating.yoy, 'explanations.admin_operating', o, '年初预算'),
  },
  {
    id: 'EXP-08', statement: '年末公务用车保有量 ≤ 车辆总数；本年购置车辆数为 0 时公务用车购置费为 0',
    check: (f, o) => {
      const tp = f.model.explanations.threePublic;
      if (tp.fleetSize > f.assets.vehicleTotal) o.error(`公务用车保有量 ${tp.fleetSize} 辆大于国有资产中的车辆总数 ${f.assets.vehicleTotal} 辆`, 'explanations.three_public.fleet_size');
      if (tp.carsPurchased === 0 && !shown(f.threePublic.carPurchaseActual).isZero()) o.error(`本年更新公务用车 0 辆，但公务用车购置费决算为 ${plain(f.threePublic.carPurchaseActual)} 万元`, 'explanations.three_public.cars_purchased');
    },
  },
  {
    id: 'PRI-01', statement: '填写的上年数 = 上年数据文件（explanations.prior_year_file）按规则计算的本年数',
    check: (f, o) => {
      const p = f.model.priorYearFile;
      if (!p) return;
      for (const c of p.checks) {
        const d = shown(c.typed).minus(shown(c.fromFile)).abs();
        if (!d.isZero()) o.warning(`${c.label}：填写为 ${plain(c.typed)}，上年数据文件 ${p.file} 中为 ${plain(c.fromFile)}，相差 ${plain(d)}（采用填写的数；上年数若无调整，请删除此项，改由上年文件读取）`, c.path);
      }
    },
  },
  {
    id: 'T04-12', statement: '04表 国有资本经营预算财政拨款 年初结转和结余、本年收入、年末结转和结余 = 国有资本经营预算财政拨款收入支出决算表（填了年初结转和结余、本年收入时）合计行对应栏',
    check: (f, o) => {
      const s = f.more.stateCapital;
      if (!f.model.t08.rows.some((r) => !r.balance.opening.isZero() || !r.balance.income.isZero())) return;
      const t = f.tables.summary.t04;
      o.equal('04表 国有资本经营预算财政拨款年初结转和结余（与国有资本经营预算表比较）', t.openingByKind[2].value, s.opening, 26, 'tables.t04.opening_balance.state_capital');
      o.equal('04表 国有资本经营预算财政拨款收入（与国有资本经营预算表比较）', t.income[2].value, s.income, 26, 'tables.t04.income.state_capital');
      o.equal('04表 国有资本经营预算财政拨款年末结转和结余（与国有资本经营预算表比较）', t.closing.state_capital.value, s.closing, 26, 'tables.t04.closing_balance.state_capital');
    },
  },
  {
    id: 'EXP-09', statement: '政府性基金、国有资本经营预算财政拨款每个项，公务用车购置及运行维护费，机关运行经费（与上年比较）：有差异时必须说明原因',
    check: (f, o) => { for (const x of f.reasonsNeeded) o.error(x.message, x.path); },
  },
  // ── 第五部分 附件：整体支出绩效自评报告 ──
  {
    id: 'ATT-01', statement: '附件 自评工作期间：结束年月不早于开始年月',
    check: (f, o) => {
      const a = f.att;
      if (!a) return;
      const from = a.periodFrom.year * 12 + a.periodFrom.month;
      const to = a.periodTo.year * 12 + a.periodTo.month;
      if (to < from) o.error(`自评工作期间 ${a.a.period.from} 至 ${a.a.period.to}：结束早于开始，请核对`, 'attachment.period.to');
    },
  },
  {
    id: 'ATT-02', statement: '附件 年初预算数（基本支出 + 项目支出）= 05表 各项年初预算数之和',
    check: (f, o) => { if (f.att) o.equal('附件 年初预算数（与05表各项年初预算之和比较）', f.att.budget.initialTotal.value, f.generalBudget.budgetTotal, 2, 'attachment.budget.initial_basic'); },
  },
  {
    id: 'ATT-03', statement: '附件 调整后预算（基本支出 + 项目支出）= 04表 收入总计；调整后项目支出 = 业务工作经费 + 其他运转类 + 其他事业发展资金',
    check: (f, o) => {
      if (!f.att) return;
      checkFigure('附件 调整后项目支出预算', f.att.budget.adjustedProject, 3, o);
      o.equal('附件 调整后全年预算（与04表收入总计比较）', f.att.budget.adjustedTotal.value, f.tables.summary.t04.grandIncome.value, 2, 'attachment.budget.adjusted');
    },
  },
  {
    id: 'ATT-04', statement: '附件 项目支出决算 业务工作经费 + 其他运转类 + 其他事业发展资金 = 05表 项目支出合计',
    check: (f, o) => { if (f.att) o.equal('附件 项目支出决算三类之和（与05表项目支出合计比较）', f.att.actual.project, f.att.actual.projectSum.value, 3, 'attachment.actual'); },
  },
  {
    id: 'ATT-05', statement: '附件 按经济分类的支出合计 = 05表 合计',
    check: (f, o) => { if (f.att) o.equal('附件 按经济分类的支出合计（与05表合计比较）', f.att.actual.economicTotal.value, f.att.actual.total, f.att.actual.economic.length, 'attachment.actual.economic'); },
  },
  {
    id: 'ATT-06', statement: '附件 上年结转中的基本支出部分 ≤ 04表 一般公共预算年初结转和结余',
    check: (f, o) => {
      if (f.att && shown(f.att.budget.basicCarryover).greaterThan(shown(f.att.budget.carryover)))
        o.error(`基本支出上年结转 ${plain(f.att.budget.basicCarryover)} 大于04表一般公共预算年初结转和结余 ${plain(f.att.budget.carryover)}`, 'attachment.budget.basic_carryover');
    },
  },
  {
    id: 'ATT-07', statement: '附件 另行录入的打印数（attachment.printed）= 按规则计算的数（年中调整 = 调整预算 − 年初预算；指标结转结余 = 可用预算 − 实际支出；“三公”经费决算 = 09表决算合计）',
    check: (f, o) => {
      const a = f.att;
      if (!a) return;
      const derived: Record<PrintedKey, [Decimal, number]> = {
        adjustment: [a.budget.adjustment, 2], basic_adjustment: [a.budget.basicAdjustment, 2], project_adjustment: [a.budget.projectAdjustment, 2],
        personnel_balance: [a.basicExec.personnel.balance, 2], public_balance: [a.basicExec.public.balance, 2], basic_balance: [a.basicExec.total.balance, 2],
        three_public_actual: [a.threePublic.actual.total.value, 3], three_public_balance: [a.threePublic.balance.total, 2],
      };
      for (const [k, v] of Object.entries(a.a.printed) as Array<[PrintedKey, Decimal]>) {
        o.equal(`附件 ${PRINTED_KEYS[k]}（打印数）`, v, derived[k][0], derived[k][1], `attachment.printed.${k}`);
      }
    },
  },
  {
    id: 'GLO-01', statement: '第三部分逐项说明的每个“项”在名词解释中都有一条解释',
    check: (f, o) => { for (const i of f.generalBudget.items) if (!f.model.glossary.items.has(i.code)) o.error(`名词解释缺少科目 ${i.code}（${i.fullName}）的解释：请在 glossary.items 中添加`, 'glossary.items'); },
  },
];

export interface AuditResult {
  findings: Finding[];
  errors: Finding[];
  warnings: Finding[];
}

export function audit(f: Facts): AuditResult {
  const findings: Finding[] = [];
  const unitTail = f.model.report.unit === '万元';
  const seen = new Set<string>();
  for (const rule of RULES) {
    const push = (severity: 'error' | 'warning', message: string, path?: string) =>
      findings.push({ rule: rule.id, severity, message, path, loc: path ? f.model.locs.get(path) : undefined });
    rule.check(f, {
      equal(label, found, expected, parts, path) {
        const d = shown(found).minus(shown(expected)).abs();
        if (d.isZero()) return;
        // one quantity printed in two tables (e.g. 03表 合计 used by 01表) is one finding, not two
        const key = `${path ?? ''}|${shown(found).toFixed(2)}|${shown(expected).toFixed(2)}`;
        if (path && seen.has(key)) return;
        seen.add(key);
        const tol = new Decimal('0.005').mul(parts + 1);
        const detail = `${label}：报表数 ${plain(found)}，按规则计算为 ${plain(expected)}，相差 ${plain(d)}`;
        if (unitTail && d.lessThanOrEqualTo(tol)) push('warning', `${detail}（在万元换算尾数误差范围内，采用报表数）`, path);
        else push('error', `${detail}（超出尾数误差范围，请核对数据）`, path);
      },
      error: (m, p) => push('error', m, p),
      warning: (m, p) => push('warning', m, p),
    });
  }
  return { findings, errors: findings.filter((x) => x.severity === 'error'), warnings: findings.filter((x) => x.severity === 'warning') };
}
