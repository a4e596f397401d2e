/**
 * The build on two threads (JUESUAN_THREADS=on; off by default, see threadPlan
 * in src/cli/outputs.ts: the layout and the PDF on a second thread, the Word and Excel writers on the main thread fed the thread's
 * pagination: src/cli/writer-thread.ts) writes the
 * same bytes as each format built alone with `--only` (one thread, no writer
 * thread) and as a build with JUESUAN_THREADS=off; a failure in the thread
 * gives the same Chinese message and exit code as in one thread, and nothing
 * is published. Runs the compiled CLI (npm test compiles first).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DATA, ROOT, dataText, edit } from './helpers/build';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const SECOND = path.join(ROOT, 'tests', 'fixtures', 'second-department', 'data.yaml');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-threads-'));
const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 240000, env: { ...process.env, ...env } });
const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f))]));
const FORMATS: Array<[string, string]> = [
  ['md', 'report.md'], ['docx', 'report.docx'], ['xlsx', 'report.xlsx'], ['pdf', 'report.pdf'], ['audit', 'audit.md'], ['trace', 'report.trace.json'],
];

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
});

describe.each([['data.yaml', DATA], ['second department', SECOND]])('the threaded build of %s', (_name, data) => {
  test('equals every format built alone (--only, one thread) and the build on one thread, byte for byte', () => {
    const threaded = tmp();
    const r = run(['build', '--data', data, '--out', threaded], { JUESUAN_THREADS: 'on' });
    expect(r.status).toBe(0);
    const all = read(threaded);
    expect(Object.keys(all)).toEqual(FORMATS.map(([, f]) => f).sort());
    for (const [format, file] of FORMATS) {
      const alone = tmp();
      expect(run(['build', '--data', data, '--out', alone, '--only', format], { JUESUAN_THREADS: 'on' }).status).toBe(0);
      expect(Object.keys(read(alone))).toEqual([file]);
      expect([file, all[file].equals(fs.readFileSync(path.join(alone, file)))]).toEqual([file, true]);
    }
    const single = tmp();
    expect(run(['build', '--data', data, '--out', single], { JUESUAN_THREADS: 'off' }).status).toBe(0);
    const one = read(single);
    for (const f of Object.keys(all)) expect([f, all[f].equals(one[f])]).toEqual([f, true]);
  });
});

test('a writer failing in the thread gives the message and exit code of one thread, and publishes nothing', () => {
  // No data makes a writer fail (a bad report date or font file is a located message when the data is
  // checked), so a fault is injected: the zip compressor of the Word and Excel writers throws, an
  // internal error met on the main thread while the thread draws the PDF.
  const dir = tmp();
  const file = path.join(dir, 'data.yaml');
  fs.writeFileSync(file, dataText());
  const hook = path.join(dir, 'fault.js');
  // (the module the toolkit loads: fflate by name from the project, with its package exports)
  fs.writeFileSync(hook, `require(require.resolve('fflate', { paths: [${JSON.stringify(ROOT)}] })).deflateSync = () => { throw new Error('injected fault'); };`);
  const fault = { NODE_OPTIONS: `--require ${hook}`, DEBUG: '' };
  const outs = [path.join(dir, 'a'), path.join(dir, 'b')];
  const threaded = run(['build', '--data', file, '--out', outs[0]], { ...fault, JUESUAN_THREADS: 'on' });
  const single = run(['build', '--data', file, '--out', outs[1]], { ...fault, JUESUAN_THREADS: 'off' });
  expect(threaded.status).toBe(3);
  expect(single.status).toBe(3);
  expect(threaded.stderr.replace(outs[0], 'OUT')).toBe(single.stderr.replace(outs[1], 'OUT'));
  expect(threaded.stderr).toMatch(/程序内部错误/);
  expect(threaded.stderr).not.toMatch(/\n\s+at |Error:/);
  expect(fs.existsSync(outs[0])).toBe(false);
});

test('a batch worker that runs out of memory under its tight heap limit builds the file again with room, same bytes', () => {
  // 16 MB of old space cannot hold one build (≈ 75 MB in use): every file first fails out of memory.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateFixtures } = require('../src/tools/gen-fixtures') as typeof import('../src/tools/gen-fixtures');
  const dir = tmp();
  const [file] = generateFixtures({ count: 1, out: dir, seed: 5 });
  const out = tmp();
  const r = run(['build', '--batch', dir, '--out', out, '--jobs', '1'], { JUESUAN_WORKER_HEAP_MB: '16' });
  expect(r.status).toBe(0);
  expect(r.stdout).toMatch(/共 1 个数据文件：成功 1，失败 0/);
  const single = tmp();
  expect(run(['build', '--data', file, '--out', single]).status).toBe(0);
  const a = read(path.join(out, path.basename(file, '.yaml')));
  const b = read(single);
  expect(Object.keys(a)).toEqual(Object.keys(b));
  for (const f of Object.keys(b)) expect([f, a[f].equals(b[f])]).toEqual([f, true]);
});

test('watch with every format (writer thread kept, files of an unchanged document reused) writes what a cold build writes', async () => {
  const dir = tmp();
  const data = path.join(dir, 'data.yaml');
  const out = path.join(dir, 'out');
  fs.writeFileSync(data, dataText());
  const child = spawn(process.execPath, [CLI, 'watch', '--data', data, '--out', out], { cwd: ROOT, env: { ...process.env, JUESUAN_THREADS: 'on' } });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const waitFor = (re: RegExp, from: number) =>
    new Promise<number>((resolve, reject) => {
      const t0 = Date.now();
      const poll = () => {
        const m = re.exec(log.slice(from));
        if (m) return resolve(from + m.index + m[0].length);
        if (Date.now() - t0 > 120000) return reject(new Error(`timed out waiting for ${re} in:\n${log}`));
        setTimeout(poll, 50);
      };
      poll();
    });
  const sameAsCold = () => {
    const cold = tmp();
    expect(run(['build', '--data', data, '--out', cold], { JUESUAN_CACHE: 'off', JUESUAN_THREADS: 'off' }).status).toBe(0);
    const ref = read(cold);
    const got = read(out);
    expect(Object.keys(got)).toEqual(Object.keys(ref));
    for (const f of Object.keys(ref)) expect([f, got[f].equals(ref[f])]).toEqual([f, true]);
  };
  try {
    let at = await waitFor(/已重建[^\n]*\n(?:  [^\n]*\n)*?  已替换 [^\n]*report\.trace\.json[^\n]*\n/, 0);
    // one amount changed: a new document, every document file replaced
    const edited = edit(dataText(), 'public_prior_year: 402.28', 'public_prior_year: 437.15');
    fs.writeFileSync(data, edited);
    at = await waitFor(/已重建（[^\n]*已保存）[^\n]*\n(?:  [^\n]*\n)*?  已替换 [^\n]*report\.pdf[^\n]*\n/, at);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('437.15');
    sameAsCold();
    // a comment added: the same document, its files reused and unchanged
    fs.writeFileSync(data, `${edited}\n# 备注\n`);
    at = await waitFor(/已重建（[^\n]*已保存）[^\n]*\n(?:  [^\n]*\n)*?  内容未变：[^\n]*report\.docx[^\n]*\n/, at);
    sameAsCold();
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
