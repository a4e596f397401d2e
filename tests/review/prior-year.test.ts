/**
 * Next year's report: prior-year figures read from last year's data file; a
 * typed prior-year figure that differs from it is a finding at its line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { audit } from '../../src/audit/rules';
import { deriveFacts } from '../../src/derive/facts';
import { cell } from '../../src/derive/tables';
import { InputError } from '../../src/errors';
import { plain } from '../../src/format/number';
import { parseSource } from '../../src/source/load';
import { validateSource } from '../../src/validate/model';
import { dataText, edit } from '../helpers/build';

// The project ships only catalog/2023.yaml; last year's (2022) file is read with a copy of it.
jest.mock('../../src/paths', () => {
  const real = jest.requireActual('../../src/paths');
  return { ...real, projectFile: (...parts: string[]) => (parts[0] === 'catalog' && parts[1] === '2022.yaml' ? real.projectFile('catalog', '2023.yaml') : real.projectFile(...parts)) };
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prior-'));
const thisFile = path.join(dir, 'data.yaml');
// last year's file: the sample with year 2022 and a different 09表 and 01表 figure
let last = edit(dataText(), 'year: 2023', 'year: 2022');
last = edit(last, 'actual: { abroad: 0, car_purchase: 0, car_operation: 25.82, reception: 0.92 }', 'actual: { abroad: 0, car_purchase: 0, car_operation: 19.16, reception: 0.52 }');
last = edit(last, '      actual_total: 26.73', '      actual_total: 19.69');
fs.writeFileSync(path.join(dir, 'last.yaml'), last);
const lastFacts = deriveFacts(validateSource(parseSource(last, 'last.yaml')));

const PRIOR_BLOCK = /  prior_year:\n    total: .*\n    fiscal_total: .*\n    general_spending: .*\n/;
const withFile = (text: string) => text.replace(PRIOR_BLOCK, '  prior_year_file: last.yaml\n');
const model = (text: string) => validateSource(parseSource(text, thisFile));

test('prior-year figures come from last year’s file when not typed', () => {
  let text = withFile(dataText());
  text = edit(text, '    prior_year: { abroad: 0, car_purchase: 0, car_operation: 19.16, reception: 0.52 }\n', '');
  text = text.replace(/    prior_year_printed_total: .*\n/, '');
  const m = model(text);
  expect(plain(m.explanations.priorYear.total)).toBe(plain(lastFacts.tables.summary.t01.grandIncome.value));
  expect(plain(m.explanations.priorYear.fiscalTotal)).toBe(plain(lastFacts.tables.summary.t04.grandIncome.value));
  expect(plain(m.explanations.priorYear.generalSpending)).toBe(plain(cell(lastFacts.tables.t05, '', 'total')));
  expect(plain(m.explanations.threePublic.priorYear.car_operation)).toBe('19.16');
  expect(plain(m.explanations.threePublic.priorYear.reception)).toBe('0.52');
  // last year printed 19.69 for items summing to 19.68: the printed total comes along
  expect(plain(m.explanations.threePublic.priorYearPrintedTotal!)).toBe('19.69');
  const f = deriveFacts(m);
  expect(plain(f.threePublic.yoy.change)).toBe('7.04'); // 26.73 − 19.69, as the sample printed
  expect(audit(f).findings.filter((x) => x.rule === 'PRI-01')).toEqual([]);
});

test('a typed prior-year figure that differs from last year’s file is a finding with both figures, at its line', () => {
  // keep 上年一般公共预算财政拨款支出 typed (17237.45) next to the file, whose 05表 合计 is 16037.96
  const text = dataText().replace(PRIOR_BLOCK, (b) => '  prior_year_file: last.yaml\n' + b.split('\n').filter((l) => l.includes('general_spending')).join('\n').replace(/^ {4}/, '  prior_year:\n    ') + '\n');
  const m = model(text);
  const found = audit(deriveFacts(m)).findings.filter((x) => x.rule === 'PRI-01');
  // the typed 三公 items equal last year's (19.16, 0.52): no finding for them
  expect(found.map((x) => x.message)).toEqual([
    `上年一般公共预算财政拨款支出：填写为 17237.45，上年数据文件 ${path.relative(process.cwd(), path.join(dir, 'last.yaml'))} 中为 16037.96，相差 1199.49（采用填写的数；上年数若无调整，请删除此项，改由上年文件读取）`,
  ]);
  expect(found[0].severity).toBe('warning');
  expect(found[0].loc?.line).toBe(text.split('\n').findIndex((l) => l.includes('general_spending: 17237.45')) + 1);
});

test('a missing or wrong-year file is a located error', () => {
  const missing = withFile(dataText()).replace('prior_year_file: last.yaml', 'prior_year_file: nowhere.yaml');
  expect(() => model(missing)).toThrow(InputError);
  try { model(missing); } catch (e) { expect((e as InputError).problems[0].message).toContain('找不到上年数据文件“nowhere.yaml”'); }
  fs.writeFileSync(path.join(dir, 'same-year.yaml'), dataText());
  const wrong = withFile(dataText()).replace('prior_year_file: last.yaml', 'prior_year_file: same-year.yaml');
  try { model(wrong); throw new Error('expected a problem'); } catch (e) { expect((e as InputError).problems[0].message).toContain('是 2023 年度的，应为 2022 年度'); }
});
