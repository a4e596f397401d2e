/**
 * 机关运行经费 is compared with its 年初预算 (hunan: EXP-07) and with the previous
 * year (shanghai). The two comparisons can go different ways — below budget but
 * above last year — so the previous-year comparison takes its own reasons
 * (explanations.admin_operating.prior_year_reasons) where they are given.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError } from '../src/errors';
import { AuditError, buildFromText } from '../src/pipeline';
import { renderMarkdown } from '../src/render/md';
import { ROOT, edit } from './helpers/build';

const FILE = path.join(ROOT, 'tests', 'fixtures', 'shanghai-bureau', 'data.yaml');
const base = () => fs.readFileSync(FILE, 'utf8');
const BLOCK = '    prior_year: 172.30\n    decrease_reason: 严格执行过紧日子要求，压减公用经费\n';

function outcome(text: string): { md?: string; errors: string[] } {
  try {
    return { md: renderMarkdown(buildFromText(text, FILE).document), errors: [] };
  } catch (e) {
    if (e instanceof AuditError) return { errors: e.result.errors.map((f) => `${f.rule} ${f.path ?? ''} ${f.message}`) };
    if (e instanceof InputError) return { errors: e.problems.map((p) => `${p.path} ${p.message}`) };
    throw e;
  }
}

test('the fixture as given: both comparisons below, one decrease reason serves both', () => {
  expect(base()).toContain(BLOCK);
  const r = outcome(base());
  expect(r.errors).toEqual([]);
  expect(r.md).toContain('机关运行经费支出168.45万元，比2023年度减少3.85万元，下降2.23%。\n主要原因是严格执行过紧日子要求，压减公用经费。');
});

test('below budget but above last year: without its own reasons the previous-year comparison asks for one', () => {
  const r = outcome(edit(base(), BLOCK, '    prior_year: 160.00\n    decrease_reason: 严格执行过紧日子要求，压减公用经费\n'));
  expect(r.errors.join('\n')).toMatch(/机关运行经费（与上年比较）：比上年增加，请填写increase_reason/);
});

test('below budget but above last year: prior_year_reasons explains the previous-year comparison, the budget keeps its own', () => {
  const r = outcome(edit(base(), BLOCK,
    '    prior_year: 160.00\n    decrease_reason: 严格执行过紧日子要求，压减公用经费\n    prior_year_reasons:\n      increase_reason: 新增两个下属单位的办公用房物业费\n'));
  expect(r.errors).toEqual([]);
  expect(r.md).toContain('机关运行经费支出168.45万元，比2023年度增加8.45万元，增长5.28%。\n主要原因是新增两个下属单位的办公用房物业费。');
});
