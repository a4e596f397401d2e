/**
 * The fast paths stay correct: lazy writer loading, the fixture generator, the
 * batch build and watch mode. Outputs made by a warm worker, with the template
 * cache, equal those of a cold build without any cache, byte for byte. (Their
 * speed is measured by `npm run bench`, never asserted here.) Runs the
 * compiled CLI (npm test compiles first, see "pretest").
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFromFile } from '../src/pipeline';
import { generateFixtures } from '../src/tools/gen-fixtures';
import { DATA, ROOT, dataText, edit } from './helpers/build';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-speed-'));
const run = (args: string[], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []) =>
  spawnSync(process.execPath, [...nodeArgs, CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240000, env: { ...process.env, ...env } });
const ALL = ['audit.md', 'report.docx', 'report.md', 'report.pdf', 'report.trace.json', 'report.xlsx'];
const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f))]));

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
});

describe('a command loads only the writers it needs', () => {
  const loaded = (args: string[], env: NodeJS.ProcessEnv = {}): string[] => {
    const dir = tmp();
    const hook = path.join(dir, 'hook.js');
    const out = path.join(dir, 'mods.json');
    fs.writeFileSync(
      hook,
      `process.on('exit', () => {
        const names = Object.keys(require.cache).map((f) => (/node_modules[\\\\/](docx|exceljs|pdf-lib|fontkit)[\\\\/]/.exec(f) || [])[1]).filter(Boolean);
        require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify([...new Set(names)].sort()));
      });`,
    );
    const r = run([...args, '--out', path.join(dir, 'out')], env, ['-r', hook]);
    expect(r.status).toBe(0);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as string[];
  };
  test('check loads no writer library', () => expect(loaded(['check', '--data', DATA])).toEqual([]));
  test('--only md loads none either', () => expect(loaded(['build', '--data', DATA, '--only', 'md'])).toEqual([]));
  test('--only pdf loads pdf-lib and fontkit, neither exceljs nor docx (no cache: the fonts are parsed)', () =>
    expect(loaded(['build', '--data', DATA, '--only', 'pdf'], { JUESUAN_CACHE: 'off' })).toEqual(['fontkit', 'pdf-lib']));
  test('--only pdf with the caches of a previous build loads pdf-lib alone (fonts not parsed again)', () => {
    const cache = tmp();
    expect(loaded(['build', '--data', DATA, '--only', 'pdf'], { JUESUAN_CACHE_DIR: cache })).toEqual(['fontkit', 'pdf-lib']);
    expect(loaded(['build', '--data', DATA, '--only', 'pdf'], { JUESUAN_CACHE_DIR: cache })).toEqual(['pdf-lib']);
  });
});

describe('gen-fixtures', () => {
  test('is deterministic from the seed and gives varied, audit-clean departments of every profile, in 元 and 万元', () => {
    const a = tmp();
    const b = tmp();
    const c = tmp();
    const files = generateFixtures({ count: 16, out: a, seed: 7 });
    generateFixtures({ count: 16, out: b, seed: 7 });
    generateFixtures({ count: 16, out: c, seed: 8 });
    expect(files).toHaveLength(16);
    for (const f of files) expect(fs.readFileSync(f).equals(fs.readFileSync(path.join(b, path.basename(f))))).toBe(true);
    expect(files.some((f) => !fs.readFileSync(f).equals(fs.readFileSync(path.join(c, path.basename(f)))))).toBe(true);
    const departments = new Set<string>();
    const sizes: number[] = [];
    type Seen = { units: Set<string>; codes: Set<string>; files: number; govFund: boolean[]; stateCapital: boolean[]; multiUnit: boolean[]; threePublic: boolean[] };
    const by: Record<string, Seen> = {};
    let richest: { file: string; score: number } | undefined;
    for (const f of files) {
      const built = buildFromFile(f); // throws on a data or audit error
      expect(built.audit.errors).toEqual([]);
      expect(built.audit.warnings).toEqual([]);
      const m = built.model;
      const profile = m.profile.id;
      expect(path.basename(f)).toMatch(new RegExp(`-${profile}\\.yaml$`));
      const s = (by[profile] ??= { units: new Set(), codes: new Set(), files: 0, govFund: [], stateCapital: [], multiUnit: [], threePublic: [] });
      s.files++;
      s.units.add(m.report.unit);
      departments.add(m.report.department);
      for (const r of m.t05.rows) s.codes.add(r.code);
      s.govFund.push(m.t07.rows.length > 0);
      s.stateCapital.push(m.t08.rows.length > 0);
      s.multiUnit.push(m.overview.units.length > 1);
      s.threePublic.push(!built.facts.more.threePublic.none);
      sizes.push(m.t05.rows.reduce((x, r) => x + r.amounts.basic.plus(r.amounts.project).toNumber(), 0));
      if (profile === 'shanghai') {
        const score = Number(m.t07.rows.length > 0) + Number(m.t08.rows.length > 0) + Number(m.overview.units.length > 1) + Number(m.report.unit === '元');
        if (!richest || score > richest.score) richest = { file: f, score };
      }
    }
    // the default cycles through every profile the toolkit ships
    expect(Object.keys(by).sort()).toEqual(['hunan', 'shanghai']);
    for (const [name, s] of Object.entries(by)) {
      expect([name, s.files]).toEqual([name, 8]);
      expect([name, [...s.units].sort()]).toEqual([name, ['万元', '元']]);
      expect(s.codes.size).toBeGreaterThan(12);
    }
    // hunan departments have no fund income (an empty table, with its note); Shanghai ones vary
    expect(by.hunan.govFund.every((x) => !x)).toBe(true);
    for (const k of ['govFund', 'stateCapital', 'multiUnit', 'threePublic'] as const) expect([k, [...new Set(by.shanghai[k])].sort()]).toEqual([k, [false, true]]);
    expect(departments.size).toBe(16);
    expect(Math.max(...sizes) / Math.min(...sizes)).toBeGreaterThan(5);

    // --profile picks one
    const only = generateFixtures({ count: 3, out: tmp(), seed: 7, profiles: ['shanghai'] });
    expect(only.map((f) => path.basename(f))).toEqual(['1-shanghai.yaml', '2-shanghai.yaml', '3-shanghai.yaml']);
    expect(() => generateFixtures({ count: 1, out: tmp(), profiles: ['shanghia'] })).toThrow(/未知的配置“shanghia”/);

    // a Shanghai department with fund tables and 下属单位 builds all four formats (and checks clean from the command line)
    expect(richest!.score).toBeGreaterThanOrEqual(3);
    const chk = run(['check', '--data', richest!.file]);
    expect(chk.status).toBe(0);
    expect(chk.stdout + chk.stderr).not.toMatch(/错误|警告/);
    const out = tmp();
    const r = run(['build', '--data', richest!.file, '--out', out]);
    expect(r.status).toBe(0);
    const made = read(out);
    expect(Object.keys(made)).toEqual(ALL);
    expect(made['report.md'].toString('utf8')).toContain('政府性基金预算财政拨款收入支出决算表');
    expect(made['report.pdf'].subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('batch', () => {
  test('builds every good file into its own folder, reports the broken one located, exits 1; outputs equal a cold uncached build', () => {
    const dir = tmp();
    const out = tmp();
    const files = generateFixtures({ count: 3, out: dir, seed: 3 });
    const brokenText = edit(fs.readFileSync(files[1], 'utf8'), 'tables:\n  t01:\n    nonfiscal_balance_used: 0', 'tables:\n  t01:\n    nonfiscal_balance_used: 12a');
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, brokenText);
    const line = brokenText.split('\n').findIndex((l) => l.includes('12a')) + 1;
    const r = run(['build', '--batch', dir, '--out', out]);
    expect(r.status).toBe(1);
    for (const f of files) expect(Object.keys(read(path.join(out, path.basename(f, '.yaml'))))).toEqual(ALL);
    expect(fs.existsSync(path.join(out, 'broken'))).toBe(false);
    // the error, located, on stderr; the summary table row points at it too
    expect(r.stderr).toMatch(new RegExp(`broken\\.yaml:${line}:\\d+: \\[tables\\.t01\\.nonfiscal_balance_used\\] 应为金额`));
    expect(r.stdout).toMatch(new RegExp(`broken\\.yaml\\s+失败 \\S*broken\\.yaml:${line}:\\d+`));
    expect(r.stdout).toMatch(/共 4 个数据文件：成功 3，失败 1/);
    expect(r.stderr).not.toMatch(/\n\s+at /);

    // the batch (warm worker threads, template cache on) = a cold process without the template cache
    const cold = tmp();
    const c = run(['build', '--data', files[0], '--out', cold], { JUESUAN_CACHE: 'off' });
    expect(c.status).toBe(0);
    const warm = read(path.join(out, path.basename(files[0], '.yaml')));
    const ref = read(cold);
    expect(Object.keys(warm)).toEqual(Object.keys(ref));
    for (const f of Object.keys(ref)) expect(warm[f].equals(ref[f])).toBe(true);
  });
});

describe('watch', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  test('rebuilds on save, keeps the last good outputs when an edit breaks the data, and writes what a cold build writes', async () => {
    const dir = tmp();
    const data = path.join(dir, 'data.yaml');
    const out = path.join(dir, 'out');
    fs.writeFileSync(data, dataText());
    child = spawn(process.execPath, [CLI, 'watch', '--data', data, '--out', out, '--only', 'md,audit'], { cwd: ROOT });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stdout += d.toString()));
    const waitFor = (re: RegExp, from: number) =>
      new Promise<number>((resolve, reject) => {
        const t0 = Date.now();
        const poll = () => {
          const m = re.exec(stdout.slice(from));
          if (m) return resolve(from + m.index + m[0].length);
          if (Date.now() - t0 > 60000) return reject(new Error(`timed out waiting for ${re} in:\n${stdout}`));
          setTimeout(poll, 50);
        };
        poll();
      });

    let at = await waitFor(/已重建[^\n]*\n(?:  [^\n]*\n)*?  已替换 [^\n]*audit\.md[^\n]*\n/, 0);
    // the first build equals the committed output/report.md (= a cold build of data.yaml)
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toBe(fs.readFileSync(path.join(ROOT, 'output', 'report.md'), 'utf8'));

    // a good edit: rebuilt by the warm worker, report.md replaced, equal to a cold build of the same file
    const edited = edit(dataText(), 'internal_bodies: [综合部,', 'internal_bodies: [办公室, 综合部,');
    fs.writeFileSync(data, edited);
    at = await waitFor(/已重建（[^\n]*data\.yaml 已保存）[^\n]*\n(?:  [^\n]*\n)*?  已替换 [^\n]*report\.md/, at);
    const good = read(out);
    expect(good['report.md'].toString('utf8')).toContain('办公室');
    const cold = tmp();
    expect(run(['build', '--data', data, '--out', cold, '--only', 'md,audit'], { JUESUAN_CACHE: 'off' }).status).toBe(0);
    const ref = read(cold);
    for (const f of ['report.md', 'audit.md']) expect(good[f].equals(ref[f])).toBe(true);

    // a breaking edit: located error, no rebuild, the outputs stay as they were
    const bad = edit(edited, 'closing_balance: 5362.51', 'closing_balance: 5462.51');
    fs.writeFileSync(data, bad);
    const line = bad.split('\n').findIndex((l) => l.includes('closing_balance: 5462.51')) + 1;
    at = await waitFor(/未重建[^\n]*保留上次生成的文件/, at);
    await waitFor(new RegExp(`data\\.yaml:${line}:\\d+: 错误 \\[T01-06\\]`), at);
    const after = read(out);
    expect(Object.keys(after)).toEqual(Object.keys(good));
    for (const f of Object.keys(good)) expect(after[f].equals(good[f])).toBe(true);

    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
