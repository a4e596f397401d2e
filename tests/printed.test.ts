/**
 * One value per quantity, also as printed. With the figures entered exactly as
 * the source tables print them (万元, with 0.01 tails between the 合计 of 03表/05表
 * and the sum of their 类 in 01表/04表, and a printed 年初预算 total), 01表 and
 * 04表 print the same 本年支出合计 as 03表/05表 and the text, both 总计 rows
 * balance, and the audits report each tail once against the sum of its parts.
 */
import { build, dataText, edit } from './helpers/build';
import { Table } from '../src/document/types';

// The sample's 03表 合计 sums to 16077.09 and its 05表 合计 to 16037.96 (年初预算 6987.73).
// Here the printed 合计 are one cent lower / higher, as 元 → 万元 rounding gives.
let text = dataText();
text = edit(text, '      "208": { total: 550.14, basic: 550.14 }\n\n  # 公开04表', '      "208": { total: 550.14, basic: 550.14 }\n      合计: { total: 16077.08 }\n\n  # 公开04表');
text = edit(text, '      "208": { total: 550.14, basic: 550.14 }\n\n  # 公开06表', '      "208": { total: 550.14, basic: 550.14 }\n      合计: { total: 16037.95, budget: 6987.74 }\n\n  # 公开06表');
const b = build(text);
const tables = new Map(b.document.parts.flatMap((p) => p.blocks).flatMap((x) => (x.kind === 'table' ? [[x.table.id, x.table] as [string, Table]] : [])));
const row = (id: string, label: string) => tables.get(id)!.body.find((r) => r.cells.some((c) => c.text === label))!;
const amounts = (id: string, label: string) => row(id, label).cells.filter((c) => c.amount).map((c) => c.text);
const warnings = b.audit.warnings.map((w) => `[${w.rule}] ${w.message}`);

test('the build passes: tails are warnings, not errors', () => {
  expect(b.audit.errors).toEqual([]);
});

test('01表 本年支出合计 is 03表’s printed 合计, in the tables and in the text', () => {
  expect(amounts('03', '合计')[0]).toBe('16,077.08');
  expect(amounts('01', '本年支出合计')[1]).toBe('16,077.08');
  expect(b.md).toContain('2023年度支出合计16077.08万元');
  expect(b.md).not.toMatch(/16,?077\.09/);
});

test('04表 一般公共预算 本年支出合计 is 05表’s printed 合计, in the tables and in the text', () => {
  expect(amounts('05', '合计')[0]).toBe('16,037.95');
  const r = amounts('04', '本年支出合计'); // [收入合计, 合计, 一般公共预算, 基金, 国资]
  expect(r[2]).toBe('16,037.95');
  expect(r[1]).toBe('16,037.95');
  expect(b.md).toContain('2023年度一般公共预算财政拨款支出16037.95万元');
  expect(b.md).not.toMatch(/16,?037\.96/);
});

test('the printed 年初预算 total is used in the text and audited against the sum of the 项', () => {
  expect(b.md).toContain('年初预算数为6987.74万元，支出决算数为16037.95万元');
  expect(warnings).toContainEqual(expect.stringMatching(/^\[T05-05\] 05表 年初预算合计：报表数 6987\.74，按规则计算为 6987\.73，相差 0\.01/));
});

test('both 总计 rows balance as printed', () => {
  const g01 = amounts('01', '总计');
  expect(g01[0]).toBe(g01[1]);
  const g04 = amounts('04', '总计'); // [收入总计, 支出总计 合计, 一般, 基金, 国资]
  expect(g04[0]).toBe(g04[1]);
  expect(b.md).toContain(`2023年度收、支总计${g01[0].replace(/,/g, '')}万元`);
});

test('each tail is reported once, against the sum of its parts', () => {
  const t03 = warnings.filter((w) => /16077\.08/.test(w) && /16077\.09/.test(w));
  expect(t03).toHaveLength(1);
  const t05 = warnings.filter((w) => /^\[T0/.test(w) && /16037\.95/.test(w) && /16037\.96/.test(w));
  expect(t05).toHaveLength(1);
  // the 附件's own economic breakdown still sums to the old figure: a separate finding about the 附件's data
  expect(warnings).toContainEqual(expect.stringMatching(/^\[ATT-05\].*报表数 16037\.96，按规则计算为 16037\.95/));
  // the expenditure side of 01表 总计 sums to one cent less than the 总计 it prints
  expect(warnings).toContainEqual(expect.stringMatching(/^\[T01-04\] 01表 支出总计：报表数 21439\.60，按规则计算为 21439\.59/));
});
