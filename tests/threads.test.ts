/**
 * The build on two threads (the Word and Excel writers on a second thread,
 * fed the main thread's one page layout: src/cli/writer-thread.ts) writes the
 * same bytes as each format built alone with `--only` (one thread, no writer
 * thread) and as a build with JUESUAN_THREADS=off; a failure in the thread
 * gives the same Chinese message and exit code as in one thread, and nothing
 * is published. Runs the compiled CLI (npm test compiles first).
 */
import { spawnSync } from 'child_process';
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
    const r = run(['build', '--data', data, '--out', threaded]);
    expect(r.status).toBe(0);
    const all = read(threaded);
    expect(Object.keys(all)).toEqual(FORMATS.map(([, f]) => f).sort());
    for (const [format, file] of FORMATS) {
      const alone = tmp();
      expect(run(['build', '--data', data, '--out', alone, '--only', format]).status).toBe(0);
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
  // The Word and Excel writers refuse a date before 1980 (zip dates start there): an internal error.
  const dir = tmp();
  const file = path.join(dir, 'data.yaml');
  fs.writeFileSync(file, edit(dataText(), 'date: 2024-06-28', 'date: 1979-06-28'));
  const outs = [path.join(dir, 'a'), path.join(dir, 'b')];
  const threaded = run(['build', '--data', file, '--out', outs[0]], { DEBUG: '' });
  const single = run(['build', '--data', file, '--out', outs[1]], { JUESUAN_THREADS: 'off', DEBUG: '' });
  expect(threaded.status).toBe(3);
  expect(single.status).toBe(3);
  expect(threaded.stderr.replace(outs[0], 'OUT')).toBe(single.stderr.replace(outs[1], 'OUT'));
  expect(threaded.stderr).toMatch(/程序内部错误/);
  expect(threaded.stderr).not.toMatch(/\n\s+at |Error:/);
  expect(fs.existsSync(outs[0])).toBe(false);
});
