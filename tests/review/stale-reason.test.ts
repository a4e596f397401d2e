/**
 * A reason written for one direction must not survive an adjustment that gives
 * another verdict: the build stops with one message at the reason's line.
 */
import { AuditError } from '../../src/pipeline';
import { build, dataText, edit } from '../helpers/build';

function errorsOf(text: string) {
  try {
    build(text);
  } catch (e) {
    if (e instanceof AuditError) return e.result.errors;
    throw e;
  }
  throw new Error('expected the build to fail');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

test('the bundled data has no stale reason', () => {
  expect(build().audit.findings.filter((f) => f.message.includes('原因与方向不符'))).toEqual([]);
});

test('大于 → 小于 beyond the threshold: fails naming the item, both verdicts with figures, quoting the reason, at its line', () => {
  // 2019999: budget 377.44, actual 980.46 (大于) → actual 300.00 (小于, 79.48%)
  const text = edit(dataText(), '"2019999": { project: 980.46, budget: 377.44, over_reason: 年中追加的项目经费支出 }', '"2019999": { project: 300.00, budget: 377.44, over_reason: 年中追加的项目经费支出 }');
  const errs = errorsOf(text);
  const stale = errs.filter((f) => f.message.includes('原因与方向不符'));
  expect(stale).toHaveLength(1);
  const f = stale[0];
  expect(f.rule).toBe('EXP-04');
  expect(f.path).toBe('tables.t05.rows.2019999.over_reason');
  expect(f.message).toContain('2019999');
  expect(f.message).toContain('原因“年中追加的项目经费支出”是按“决算数大于年初预算数”填写的（over_reason）');
  expect(f.message).toContain('但现在决算数 300.00 小于年初预算数 377.44（完成79.48%）');
  expect(f.message).toContain('under_reason');
  expect(f.loc?.line).toBe(lineOf(text, '"2019999": { project: 300.00'));
});

test('大于 → 基本持平 (within the threshold, no reason needed) fails with exactly one message', () => {
  // 2080502: budget 336.62, actual 344.38 大于 (reason given) → budget 356.62: 96.57%, 基本持平
  let text = edit(dataText(), '"2080502": { basic: 344.38, budget: 336.62', '"2080502": { basic: 344.38, budget: 356.62');
  text = edit(text, 'initial_basic: 2659.79', 'initial_basic: 2679.79'); // the 附件 year-start budget moves with it
  const errs = errorsOf(text);
  expect(errs).toHaveLength(1);
  expect(errs[0].message).toBe(
    '05表 2080502 社会保障和就业（类）行政事业单位养老支出（款）事业单位离退休（项）：原因“年中调整的人员经费”是按“决算数大于年初预算数”填写的（over_reason），' +
    '但现在决算数 344.38 与年初预算数 356.62 基本持平（完成96.57%），原因与方向不符，不再需要原因，请删除此项',
  );
  expect(errs[0].loc?.line).toBe(lineOf(text, '"2080502": { basic: 344.38, budget: 356.62'));
});

test('减少 → 增加 year on year fails at the decrease_reason line', () => {
  // 一般公共预算财政拨款支出: prior 17237.45, current 16037.96 (减少) → prior 15000 (增加)
  const text = edit(dataText(), 'general_spending: 17237.45', 'general_spending: 15000.00');
  const stale = errorsOf(text).filter((f) => f.message.includes('原因与方向不符'));
  expect(stale).toHaveLength(1);
  expect(stale[0].path).toBe('explanations.general_spending_yoy.decrease_reason');
  expect(stale[0].message).toContain('一般公共预算财政拨款支出：原因“机构改革，支出相应减少”是按“比上年减少”填写的（decrease_reason）');
  expect(stale[0].message).toContain('但现在本年 16037.96 比上年 15000.00 增加1037.96（增长6.92%）');
  expect(stale[0].loc?.line).toBe(lineOf(text, 'decrease_reason: 机构改革，支出相应减少'));
});
