/**
 * Validation: amounts are Decimals parsed from the YAML source text; every bad
 * input gives one clear Chinese message with file:line:column and key path.
 */
import Decimal from 'decimal.js';
import { InputError, formatProblem } from '../src/errors';
import { parseSource } from '../src/source/load';
import { validateSource } from '../src/validate/model';
import { dataText, edit } from './helpers/build';

function problems(text: string): string[] {
  try {
    validateSource(parseSource(text, 'data.yaml'));
  } catch (e) {
    if (e instanceof InputError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected an InputError');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

test('amounts are exact Decimals read from the source text', () => {
  const m = validateSource(parseSource(dataText(), 'data.yaml'));
  const row = m.t02.rows.find((r) => r.code === '2010302')!;
  expect(row.amounts.fiscal).toBeInstanceOf(Decimal);
  expect(row.amounts.fiscal.toString()).toBe('16309.89');
  // a figure a binary float cannot hold is never rounded silently: 万元 has two decimals
  const text = edit(dataText(), '"2010301": { fiscal: 2048.21 }', '"2010301": { fiscal: 2048.2100000000000001 }');
  const p = problems(text);
  expect(p[0]).toMatch(/^data\.yaml:\d+:\d+: \[tables\.t02\.rows\.2010301\.fiscal\] 以万元为单位的金额最多两位小数/);
  const t2 = edit(dataText(), '"2010301": { fiscal: 2048.21 }', '"2010301": { fiscal: "2,048.21" }');
  const m2 = validateSource(parseSource(t2, 'data.yaml'));
  expect(m2.t02.rows.find((r) => r.code === '2010301')!.amounts.fiscal.toString()).toBe('2048.21');
});

test('a malformed amount names file:line:column, key path, expectation and what was found', () => {
  const text = edit(dataText(), '"2010302": { fiscal: 16309.89 }', '"2010302": { fiscal: 16309.8.9 }');
  const line = lineOf(text, '16309.8.9');
  const col = text.split('\n')[line - 1].indexOf('16309.8.9') + 1;
  expect(problems(text)).toEqual([`data.yaml:${line}:${col}: [tables.t02.rows.2010302.fiscal] 应为金额（数字，可带千分位逗号，如 20,624.94），实际为“16309.8.9”：有两个小数点`]);
});

test('an unknown key (a typo) is an error, never silently dropped', () => {
  const text = edit(dataText(), '"2010499": { fiscal: 20.00, other: 20.11 }', '"2010499": { fiscal: 20.00, othr: 20.11 }');
  const p = problems(text);
  expect(p).toHaveLength(1);
  expect(p[0]).toContain(`data.yaml:${lineOf(text, 'othr: 20.11')}:`);
  expect(p[0]).toContain('[tables.t02.rows.2010499.othr] 未知的键“othr”');
  expect(p[0]).toContain('other');
});

test('a missing required entry is named', () => {
  const text = edit(dataText(), '    opening_balance: 794.55        # 年初结转和结余（第29行）\n', '');
  const p = problems(text);
  expect(p.some((x) => x.includes('[tables.t01] 缺少必填项“opening_balance”'))).toBe(true);
});

test('a 科目 code without a name, a negative amount and a wrong code shape are errors', () => {
  let text = edit(dataText(), '"2210201": { fiscal: 161.60 }', '"2210299": { fiscal: 161.60 }');
  expect(problems(text).some((x) => x.includes('科目代码 2210299 没有名称'))).toBe(true);
  text = edit(dataText(), 'opening_balance: 794.55', 'opening_balance: -794.55');
  expect(problems(text).some((x) => x.includes('金额不能为负数'))).toBe(true);
  text = edit(dataText(), '"2010301": { fiscal: 2048.21 }', '"201030": { fiscal: 2048.21 }');
  expect(problems(text).some((x) => x.includes('应为7 位“项”级功能分类科目代码，实际为“201030”'))).toBe(true);
});

test('YAML syntax errors are located and explained in Chinese', () => {
  const text = edit(dataText(), '  department: 湖南省政务服务和大数据中心', '  department: 湖南省政务服务和大数据中心\n  department: 重复');
  const p = problems(text);
  expect(p[0]).toMatch(/^data\.yaml:16:3: \[report\.department\] 键“department”重复：第 15 行和第 16 行都写了它/);
});

test('data in 元 derives every total; printed totals are refused', () => {
  const text = edit(dataText(), '  unit: 万元', '  unit: 元');
  const p = problems(text);
  expect(p.some((x) => x.includes('[tables.t03.printed] 金额单位为“元”时合计数全部由程序计算'))).toBe(true);
  expect(p.some((x) => x.includes('[explanations.procurement.printed_total]'))).toBe(true);
});

test('the report date falls after the year it reports on, within the dates Word and Excel files record', () => {
  expect(problems(edit(dataText(), 'date: 2024-06-28', 'date: 2023-06-28'))).toEqual([
    expect.stringMatching(/^data\.yaml:\d+:\d+: \[report\.date\] 报告日期应在决算年度（2023 年）结束之后，实际为“2023-06-28”/),
  ]);
  expect(problems(edit(dataText(), 'date: 2024-06-28', 'date: 1979-06-28'))).toEqual([
    expect.stringMatching(/\[report\.date\] 报告日期的年份应在 1980 到 2107 之间，实际为“1979-06-28”/),
  ]);
});

test('a date must be a real calendar date', () => {
  const text = edit(dataText(), 'date: 2024-06-28', 'date: 2024-02-30');
  expect(problems(text)[0]).toContain('[report.date] 应为日期');
});

test('user PDF fonts: a missing font file is named with its resolved path', () => {
  const text = `${dataText()}\noutput:\n  pdf_fonts:\n    serif: fonts/no-such-font.ttf\n`;
  const p = problems(text);
  expect(p).toHaveLength(1);
  expect(p[0]).toMatch(/\[output\.pdf_fonts\.serif\] 找不到字体文件“fonts\/no-such-font\.ttf”/);
});

test('user PDF fonts: a file that is not a font is a located message, not an internal error when the PDF is drawn', () => {
  // data.yaml resolves paths from its own folder (the repository root here)
  const text = `${dataText()}\noutput:\n  pdf_fonts:\n    serif: package.json\n    sans: node_modules/@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf\n`;
  const p = problems(text);
  expect(p).toHaveLength(1);
  expect(p[0]).toMatch(/^data\.yaml:\d+:\d+: \[output\.pdf_fonts\.serif\] “package\.json”不是字体文件（应为 \.ttf、\.otf、\.ttc、\.woff 或 \.woff2 字体/);
});
