/**
 * The command line as a finance officer uses it: `check` and `build`, located
 * messages without stack traces, deterministic outputs, and an output folder
 * that is left untouched when the build fails. Runs the compiled CLI (npm test
 * compiles first, see "pretest" in package.json).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DATA, ROOT, dataText, edit } from './helpers/build';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-'));

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does it in pretest)');
});

test('check passes on the bundled data.yaml and writes nothing', () => {
  const out = tmp();
  const r = run('check', '--data', DATA, '--out', out);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('校验和审核通过');
  expect(fs.readdirSync(out)).toEqual([]);
});

test('check on a broken copy fails with a located message and no stack trace', () => {
  const dir = tmp();
  const file = path.join(dir, 'data.yaml');
  const text = edit(dataText(), '"2010302": { fiscal: 16309.89 }', '"2010302": { fiscal: 16309,89 }');
  fs.writeFileSync(file, text);
  const r = run('check', '--data', file);
  expect(r.status).toBe(1);
  const line = text.split('\n').findIndex((l) => l.includes('16309,89')) + 1;
  // in a { } mapping YAML reads the comma as a separator: the message says so and points at the line
  expect(r.stderr).toMatch(new RegExp(`data\\.yaml:${line}:\\d+: \\[tables\\.t02\\.rows\\.2010302\\.fiscal\\] 金额“16309,89”中的逗号在 \\{ \\} 里会被当作分隔符`));
  expect(r.stderr).toContain('小数点请用“.”');
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

test('an audit error stops the build, is located, and leaves output/ untouched', () => {
  const out = tmp();
  const good = run('build', '--data', DATA, '--out', out, '--only', 'md,audit');
  expect(good.status).toBe(0);
  const before = Object.fromEntries(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f))]));
  const dir = tmp();
  const file = path.join(dir, 'data.yaml');
  fs.writeFileSync(file, edit(dataText(), 'closing_balance: 5362.51', 'closing_balance: 5462.51'));
  const bad = run('build', '--data', file, '--out', out);
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('审核发现');
  expect(bad.stderr).toMatch(/data\.yaml:\d+:\d+: 错误 \[T01-06\]/);
  const after = Object.fromEntries(fs.readdirSync(out).map((f) => [f, fs.readFileSync(path.join(out, f))]));
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  for (const f of Object.keys(before)) expect(after[f].equals(before[f])).toBe(true);
});

test('two builds give byte-identical outputs', () => {
  const a = tmp();
  const b = tmp();
  expect(run('build', '--data', DATA, '--out', a).status).toBe(0);
  expect(run('build', '--data', DATA, '--out', b).status).toBe(0);
  const files = fs.readdirSync(a).sort();
  expect(files).toEqual(fs.readdirSync(b).sort());
  expect(files).toContain('report.md');
  for (const f of files) expect(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f)))).toBe(true);
});

test('the committed output/report.md is the one data.yaml builds (rebuild after editing data)', () => {
  const out = tmp();
  expect(run('build', '--data', DATA, '--out', out, '--only', 'md').status).toBe(0);
  const fresh = fs.readFileSync(path.join(out, 'report.md'), 'utf8');
  expect(fs.readFileSync(path.join(ROOT, 'output', 'report.md'), 'utf8')).toBe(fresh);
});

test('the npm scripts start the compiled entry points (scripts/run.js runs each as the main module)', () => {
  const runner = path.join(ROOT, 'scripts', 'run.js');
  const out = tmp();
  const check = spawnSync(process.execPath, [runner, 'cli', 'check', '--data', DATA, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  expect(check.status).toBe(0);
  expect(check.stdout).toContain('校验和审核通过');
  const build = spawnSync(process.execPath, [runner, 'cli', 'build', '--data', DATA, '--out', out, '--only', 'md'], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  expect(build.status).toBe(0);
  expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'output', 'report.md'), 'utf8'));
  const explain = spawnSync(process.execPath, [runner, 'explain', '310.80%'], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  expect(explain.stdout).toContain('310.80%');
});

test('textconv of a file that is not a report says so in Chinese, without JavaScript error text', () => {
  const f = path.join(tmp(), 'report.docx');
  fs.writeFileSync(f, 'not a zip');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'review', 'textconv-cli.js'), f], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  expect(r.status).toBe(1);
  expect(r.stderr).toContain('无法转换为文本');
  expect(r.stderr).not.toMatch(/Error|at .*\(|zip|undefined/);
});
