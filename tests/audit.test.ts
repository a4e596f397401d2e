/**
 * Audits: the named rules find the sample report's own errors by rule. The tails
 * are in data.yaml as printed (warnings); the seed's outright errors are put
 * back into a copy of data.yaml exactly as the seed printed them, and the audits
 * must reject that copy at those places.
 */
import { AuditError } from '../src/pipeline';
import { RULES } from '../src/audit/rules';
import { build, dataText, edit } from './helpers/build';

function auditError(text: string): AuditError {
  try {
    build(text);
  } catch (e) {
    if (e instanceof AuditError) return e;
    throw e;
  }
  throw new Error('expected the audits to stop the build');
}

test('at least 30 named rules, each with an id and a one-line statement', () => {
  expect(RULES.length).toBeGreaterThanOrEqual(30);
  const ids = new Set(RULES.map((r) => r.id));
  expect(ids.size).toBe(RULES.length);
  for (const r of RULES) {
    expect(r.statement).not.toMatch(/\n/);
    expect(r.statement.length).toBeGreaterThan(6);
  }
});

test('the bundled data audits with no error, and the conversion tails of the seed are kept as warnings with both figures', () => {
  const b = build();
  expect(b.audit.errors).toEqual([]);
  const w = b.audit.warnings.map((f) => `${f.rule} ${f.message}`);
  const expectWarning = (rule: string, printed: string, computed: string) =>
    expect(w.some((x) => x.startsWith(rule) && x.includes(`报表数 ${printed}`) && x.includes(`计算为 ${computed}`))).toBe(true);
  expectWarning('T03-02', '550.14', '550.15'); // 类 208 = 506.62 + 43.53
  expectWarning('T06-01', '1778.47', '1778.48'); // 301 款
  expectWarning('T04-03', '21306.09', '21306.08'); // 04 总计 = 20624.94 + 681.14
  expectWarning('T09-02', '26.73', '26.74'); // 三公 决算 = 0.92 + 25.82
  expectWarning('T05-04', '2617.13', '2617.14'); // 05 基本支出 vs 06 人员 + 公用
  expectWarning('EXP-02', '12957.43', '12957.44'); // 政府采购 总额
  expectWarning('ATT-04', '13420.83', '13420.82'); // 附件 项目支出三类
  // every warning points at the line of data.yaml that holds the printed figure
  for (const f of b.audit.warnings) expect(f.loc?.line).toBeGreaterThan(0);
});

test('the seed’s own errors, typed in as printed, are caught by rule at their place in data.yaml', () => {
  let text = dataText();
  // “于 2024年3月至2023年5月” — a period that ends before it starts
  text = edit(text, 'period: { from: 2024-03, to: 2024-05 }', 'period: { from: 2024-03, to: 2023-05 }');
  // the figures the 附件 printed, entered as printed values to be checked
  text = edit(text, '  results_use: 根据统一要求', [
    '  printed:',
    '    adjustment: 14318.35',
    '    basic_adjustment: 166.26',
    '    project_adjustment: 14152.09',
    '    personnel_balance: 27.88',
    '    three_public_actual: 26.74',
    '    three_public_balance: 34.26',
    '  results_use: 根据统一要求',
  ].join('\n'));
  const e = auditError(text);
  const by = (rule: string, needle: string) => e.result.findings.find((f) => f.rule === rule && f.message.includes(needle));

  const period = by('ATT-01', '结束早于开始');
  expect(period?.severity).toBe('error');
  expect(period?.loc?.line).toBe(text.split('\n').findIndex((l) => l.includes('to: 2023-05')) + 1);

  const balance = by('ATT-07', '人员经费指标结转结余');
  expect(balance?.severity).toBe('error');
  expect(balance?.message).toContain('报表数 27.88，按规则计算为 127.88');

  expect(by('ATT-07', '追加基本支出')?.message).toContain('报表数 166.26，按规则计算为 146.26');
  expect(by('ATT-07', '追加基本支出')?.severity).toBe('error');
  expect(by('ATT-07', '追加项目支出')?.severity).toBe('error');
  // 14318.35 vs 14318.36, 26.74 vs 26.73, 34.26 vs 34.27: one fen — conversion tails
  expect(by('ATT-07', '年中预算调整')?.severity).toBe('warning');
  expect(by('ATT-07', '“三公”经费决算支出')?.message).toContain('报表数 26.74，按规则计算为 26.73');
  expect(by('ATT-07', '“三公”经费预算结余')?.severity).toBe('warning');
  expect(e.result.errors.map((f) => f.rule).sort()).toEqual(['ATT-01', 'ATT-07', 'ATT-07', 'ATT-07']);
});

test('a table that does not add up beyond the tail is an error located at the figure', () => {
  const text = edit(dataText(), 'closing_balance: 5362.51', 'closing_balance: 5372.51');
  const e = auditError(text);
  const f = e.result.errors.find((x) => x.rule === 'T01-06');
  expect(f?.message).toContain('报表数 5372.51，按规则计算为 5362.51');
  expect(f?.loc?.line).toBe(text.split('\n').findIndex((l) => l.includes('closing_balance: 5372.51')) + 1);
  // 总计 is one figure on both sides; the expenditure side's parts no longer reach it: an error at the same figure
  const g = e.result.errors.find((x) => x.rule === 'T01-04');
  expect(g?.message).toContain('01表 支出总计：报表数 21439.60，按规则计算为 21449.60');
  expect(g?.loc?.line).toBe(f?.loc?.line);
});

test('05 may not exceed 03 for the same subject', () => {
  const text = edit(dataText(), '"2010602": { project: 36.59, budget: 30', '"2010602": { project: 46.59, budget: 30');
  const e = auditError(text);
  expect(e.result.errors.some((f) => f.rule === 'T05-03' && f.message.includes('2010602'))).toBe(true);
});

describe('reasons are required and tied to their direction', () => {
  test('a variance beyond the threshold without a reason stops the build', () => {
    const text = edit(dataText(), '      "2010602": { project: 36.59, budget: 30, over_reason: 年中追加的项目经费支出 }\n', '      "2010602": { project: 36.59, budget: 30 }\n');
    const e = auditError(text);
    const f = e.result.errors.find((x) => x.rule === 'EXP-04');
    expect(f?.message).toContain('2010602');
    expect(f?.message).toContain('over_reason');
  });

  test('a late adjustment that flips the direction does not print the old reason', () => {
    // 2080502: budget 336.62, actual 344.38 (大于, with a reason). Raise the budget so the actual is below it
    // and within the threshold: the 大于 reason must not be printed and the verdict becomes 基本持平.
    // (the 附件's year-start budget must move with it, or ATT-02 rightly stops the build)
    let text = edit(dataText(), '"2080502": { basic: 344.38, budget: 336.62', '"2080502": { basic: 344.38, budget: 356.62');
    text = edit(text, 'initial_basic: 2659.79', 'initial_basic: 2679.79');
    const b = build(text);
    expect(b.md).toContain('年初预算为356.62万元，支出决算为344.38万元，完成年初预算的96.57%，决算数与年初预算数基本持平。');
    expect(b.md).not.toContain('年中调整的人员经费');
    expect(b.audit.warnings.some((f) => f.rule === 'EXP-04' && f.message.includes('年中调整的人员经费'))).toBe(true);
  });

  test('a flipped direction beyond the threshold needs the new direction’s reason', () => {
    const text = edit(dataText(), '"2080502": { basic: 344.38, budget: 336.62', '"2080502": { basic: 344.38, budget: 436.62');
    const e = auditError(text);
    expect(e.result.errors.some((f) => f.rule === 'EXP-04' && f.message.includes('under_reason'))).toBe(true);
  });

  test('without a policy section the default threshold is ±10%', () => {
    const text = edit(edit(dataText(), '  budget_variance_threshold: 10\n', ''), '  yoy_flat_threshold: 5\n', '');
    const b = build(text.replace(/^policy:\n(  #.*\n)*/m, ''));
    expect(b.model.policy.budgetVarianceThreshold.toString()).toBe('10');
    expect(b.md).toContain('完成年初预算的96.53%，决算数与年初预算数基本持平。');
  });

  test('the threshold is configurable', () => {
    // with a 2% threshold, 96.53% (行政运行) is no longer 基本持平 and needs a reason
    const text = edit(dataText(), 'budget_variance_threshold: 10', 'budget_variance_threshold: 2');
    const e = auditError(text);
    expect(e.result.errors.some((f) => f.rule === 'EXP-04' && f.message.includes('2010301'))).toBe(true);
  });
});
