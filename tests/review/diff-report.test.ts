/**
 * The change report on two versions of the data: exactly the changed inputs,
 * sentences, cells and findings (golden files), and "无变化" on identical data.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildVersion, compareVersions, formatMarkdown, formatText, isEmpty } from '../../src/review/diff';
import { dataText, ROOT } from '../helpers/build';
import { adjusted } from './fixtures';

const CLI = path.join(ROOT, 'dist', 'src', 'review', 'diff-cli.js');
const GOLDEN = path.join(__dirname, 'golden');

const report = () =>
  compareVersions(
    buildVersion({ label: 'Git 版本 HEAD 的 data.yaml', file: 'data.yaml@HEAD', text: dataText() }),
    buildVersion({ label: '当前 data.yaml', file: 'data.yaml', text: adjusted() }),
  );

test('two versions: exactly the changed inputs, sentences, cells and findings', () => {
  const r = report();
  expect(r.inputs.map((c) => `${c.path} ${c.old} → ${c.new}`)).toEqual([
    'tables.t09.budget.reception 16 → 18',
    'explanations.prior_year.total 21739.96 → 21839.96',
    'explanations.three_public.prior_year_printed_total 19.69 → 19.68',
  ]);
  expect(r.cells.map((c) => `${c.table.split(' ')[0]} ${c.col}: ${c.old} → ${c.new}`)).toEqual([
    '公开09表 预算数·合计: 61.00 → 63.00',
    '公开09表 预算数·公务接待费: 16.00 → 18.00',
  ]);
  expect(r.sentences).toHaveLength(6);
  expect(r.sentences[0]).toMatchObject({ old: '与上年相比，减少300.36万元，下降1.38%，与上年基本持平。', new: '与上年相比，减少400.36万元，下降1.83%，与上年基本持平。' });
  expect(r.findings).toEqual([expect.objectContaining({ change: 'disappeared', rule: 'EXP-01', severity: 'warning' })]);
  // UPDATE_GOLDEN=1 rewrites the golden files (review the diff before committing)
  if (process.env.UPDATE_GOLDEN) {
    fs.writeFileSync(path.join(GOLDEN, 'diff.txt'), formatText(r));
    fs.writeFileSync(path.join(GOLDEN, 'diff.md'), formatMarkdown(r));
  }
  expect(formatText(r)).toBe(fs.readFileSync(path.join(GOLDEN, 'diff.txt'), 'utf8'));
  expect(formatMarkdown(r)).toBe(fs.readFileSync(path.join(GOLDEN, 'diff.md'), 'utf8'));
});

test('identical data prints 无变化', () => {
  const v = { label: '另一份', file: 'b.yaml', text: dataText() };
  const r = compareVersions(buildVersion(v), buildVersion({ ...v, file: 'data.yaml' }));
  expect(isEmpty(r)).toBe(true);
  expect(formatText(r).trim().split('\n').pop()).toBe('无变化');
});

test('CLI: a Git revision and a data file; --format md writes Markdown', () => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json`');
  const committed = spawnSync('git', ['diff', '--quiet', 'HEAD', '--', 'data.yaml'], { cwd: ROOT });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-report-'));
  const other = path.join(dir, 'data.yaml');
  fs.writeFileSync(other, adjusted());
  if (committed.status === 0) {
    const r = spawnSync(process.execPath, [CLI, 'HEAD'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('无变化');
  }
  const r2 = spawnSync(process.execPath, [CLI, other, '--format', 'md', '--out', path.join(dir, 'r.md')], { cwd: ROOT, encoding: 'utf8' });
  expect(r2.status).toBe(0);
  const md = fs.readFileSync(path.join(dir, 'r.md'), 'utf8');
  const line = dataText().split('\n').findIndex((l) => l.includes('reception: 16 }')) + 1;
  expect(md).toContain(`| \`tables.t09.budget.reception\` | data.yaml:${line} | 18 | 16 |`);
  const bad = spawnSync(process.execPath, [CLI, 'no-such-revision-xyz'], { cwd: ROOT, encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('无法读取 Git 版本“no-such-revision-xyz”');
  expect(bad.stderr).not.toMatch(/\n\s+at /);
});
