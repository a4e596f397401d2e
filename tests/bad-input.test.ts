/**
 * The bad-input corpus, table-driven: the compiled CLI on every case of
 * tests/fixtures/bad/cases (each data.yaml with one realistic mistake). For a
 * bad file: the expected exit code, the Chinese message at file:line:column
 * with its key path, no stack trace or JavaScript text, and the output folder
 * (holding a previous set) byte-identical. For files that must build (BOM,
 * CRLF, …): exit 0 and the same report.md as the committed one.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './helpers/build';
import {
  CASES_DIR, CLI, Expectation, JS_TEXT, loadCorpus, pool, previousSet, Run, runCli, sameSnapshot, snapshot,
} from './helpers/corpus';

const cases = loadCorpus();
const BEGIN = '<!-- 常见错误：由 tests/bad-input.test.ts 按错误样例生成，勿手改 -->';
const END = '<!-- 常见错误：结束 -->';
const results = new Map<string, { run: Run; out: string; before: Map<string, Buffer> }>();

/** Cases also run as separate `node dist/src/cli/main.js` processes, to show the in-process runs say the same. */
const SPAWNED = new Set(cases.filter((k, i) => k.category === '文件编码与格式' || i % 15 === 0).map((k) => k.id));
const spawned = new Map<string, Run>();

beforeAll(async () => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does it in pretest)');
  const argsOf = (k: Expectation, out: string) => {
    const data = path.relative(ROOT, path.join(CASES_DIR, `${k.id}.yaml`));
    return k.command === 'build' ? ['build', '--data', data, '--out', out, '--only', 'md'] : ['check', '--data', data, '--out', out];
  };
  // every case in one process (fast), through the CLI's own run() with its console captured
  const jobs = cases.map((k) => {
    const out = previousSet();
    results.set(k.id, { run: { status: null, stdout: '', stderr: '' }, out, before: snapshot(out) });
    return { id: k.id, args: argsOf(k, out) };
  });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-jobs-'));
  fs.writeFileSync(path.join(tmp, 'jobs.json'), JSON.stringify(jobs));
  const d = spawnSync(process.execPath, [path.join(ROOT, 'tests', 'helpers', 'corpus-driver.js'), path.join(tmp, 'jobs.json'), path.join(tmp, 'results.json')], { cwd: ROOT, encoding: 'utf8', timeout: 300000 });
  if (d.status !== 0) throw new Error(`corpus driver failed: ${d.stderr}`);
  const got = JSON.parse(fs.readFileSync(path.join(tmp, 'results.json'), 'utf8')) as Record<string, Run>;
  for (const [id, r] of Object.entries(got)) results.get(id)!.run = r;
  fs.rmSync(tmp, { recursive: true, force: true });
  // a sample as real processes, each into its own fresh previous set
  await pool([...SPAWNED], 2, async (id) => {
    const out = previousSet();
    spawned.set(id, await runCli(argsOf(cases.find((k) => k.id === id)!, out)));
    fs.rmSync(out, { recursive: true, force: true });
  });
}, 600000);

afterAll(() => {
  for (const r of results.values()) fs.rmSync(r.out, { recursive: true, force: true });
});

test('the corpus has at least 80 cases, each with an expectation', () => {
  expect(cases.length).toBeGreaterThanOrEqual(80);
  const yamls = fs.readdirSync(CASES_DIR).filter((f) => f.endsWith('.yaml'));
  expect(yamls.length).toBe(cases.length);
  expect(cases.filter((k) => k.exit !== 0).length).toBeGreaterThanOrEqual(80);
});

test('the committed corpus is what the generator writes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-corpus-'));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'tests', 'fixtures', 'bad', 'generate.js'), '--out', dir], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(sameSnapshot(snapshot(dir), snapshot(CASES_DIR))).toBe(true);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the separate CLI processes print the same and exit the same as the in-process runs', () => {
  expect(spawned.size).toBeGreaterThanOrEqual(15);
  const norm = (s: string) => s.replace(/\/tmp\/juesuan-out-\w+/g, 'OUT');
  for (const [id, r] of spawned) {
    const inProc = results.get(id)!.run;
    expect({ id, status: r.status, stderr: norm(r.stderr), stdout: norm(r.stdout) }).toEqual({ id, status: inProc.status, stderr: norm(inProc.stderr), stdout: norm(inProc.stdout) });
  }
});

/** README 常见错误: the corpus by category, each with the message a user sees (regenerate: UPDATE_README=1 npx jest tests/bad-input.test.ts). */
test('the README troubleshooting section (常见错误) lists every corpus case with the message it gives', () => {
  const esc = (t: string) => t.replace(/([\\`*_<>[\]|])/g, '\\$1');
  const lines: string[] = [
    BEGIN,
    '',
    `下面是 tests/fixtures/bad/ 中 ${cases.length} 个错误样例（每个都是在自带的 data.yaml 上犯一个常见错误）和程序给出的提示，按类别排列；测试逐条核对，所以这里的提示就是程序实际输出的（文件名统一写作 data.yaml）。`,
  ];
  const ORDER = ['文件编码与格式', 'YAML 语法', '特殊字符', '键名', '重复的代码', '类型', '缺少必填项', '金额格式', '科目代码', '审核', '别名'];
  const rank = (c: string) => (ORDER.includes(c) ? ORDER.indexOf(c) : ORDER.length);
  const cats = [...new Set(cases.map((k) => k.category))].sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  for (const cat of cats) {
    lines.push('', `### ${cat}`, '');
    for (const k of cases.filter((x) => x.category === cat)) {
      const r = results.get(k.id)!.run;
      let shown: string;
      if (k.exit === 0) shown = k.command === 'build' ? '可以正常生成，结果与原文件相同或按普通文字印出' : '校验通过';
      else {
        const file = path.relative(ROOT, path.join(CASES_DIR, `${k.id}.yaml`));
        const hit = r.stderr.split('\n').find((l) => l.includes(`${file}:${k.line}:${k.col}: `) && l.includes(k.message!))!;
        shown = hit.trim().split(file).join('data.yaml');
      }
      lines.push(`- ${esc(k.title)}：${esc(shown)}`);
    }
  }
  lines.push('', END);
  const section = lines.join('\n');
  const readmeFile = path.join(ROOT, 'README.md');
  const readme = fs.readFileSync(readmeFile, 'utf8');
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (process.env.UPDATE_README) {
    fs.writeFileSync(readmeFile, a >= 0 ? readme.slice(0, a) + section + readme.slice(b + END.length) : readme.trimEnd() + '\n\n## 常见错误\n\n' + section + '\n');
    return;
  }
  expect(a).toBeGreaterThan(0);
  expect(readme.slice(a, b + END.length)).toBe(section);
});

describe.each(cases.map((k) => [k.id, k] as [string, Expectation]))('%s', (_id, k) => {
  test(`${k.category}：${k.title}`, () => {
    const { run, out, before } = results.get(k.id)!;
    const all = run.stdout + run.stderr;
    expect({ exit: run.status, stderr: run.stderr }).toEqual({ exit: k.exit, stderr: expect.any(String) });
    expect(all).not.toMatch(JS_TEXT);
    const after = snapshot(out);
    if (k.exit !== 0) {
      const file = path.relative(ROOT, path.join(CASES_DIR, `${k.id}.yaml`));
      const lines = run.stderr.split('\n').filter((l) => l.includes(`${file}:${k.line}:${k.col}: `));
      const hit = lines.find((l) => l.includes(k.message!) && (!k.path || l.includes(`[${k.path}]`)));
      if (!hit) throw new Error(`no message at ${file}:${k.line}:${k.col}${k.path ? ` [${k.path}]` : ''} containing “${k.message}”:\n${run.stderr}`);
      expect(hit).toMatch(/[\u4e00-\u9fff]/);
      expect(sameSnapshot(after, before)).toBe(true);
    } else if (k.command === 'build') {
      const md = after.get('report.md')!.toString('utf8');
      if (k.sameAsCommitted) expect(md).toBe(fs.readFileSync(path.join(ROOT, 'output', 'report.md'), 'utf8'));
      for (const s of k.mdHas ?? []) expect(md).toContain(s);
      for (const s of k.mdNot ?? []) expect(md).not.toContain(s);
      // only report.md was replaced; the rest of the previous set and no scratch remain
      expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    } else {
      expect(sameSnapshot(after, before)).toBe(true);
    }
  });
});
