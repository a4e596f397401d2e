/**
 * Faults during publication: after each, the output folder holds one complete
 * set (the old one or the new one), no temporary file, and the message is
 * Chinese with no JavaScript text. Failures are injected through the fs layer
 * (src/cli/publish.ts FsLayer), a real tmpfs (read-only, full) where the
 * machine allows mounting one, real SIGKILLs at every hook point, and two
 * concurrent processes.
 */
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FsLayer, HookPoint, isScratch, publish, realFs } from '../src/cli/publish';
import { FsError } from '../src/errors';
import { ROOT } from './helpers/build';
import { JS_TEXT, snapshot } from './helpers/corpus';
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { FILES, setFiles } = require('./helpers/publish-sets.js') as { FILES: string[]; setFiles: (n: string, size?: number) => Array<{ file: string; data: Buffer }> };

const CHILD = path.join(ROOT, 'tests', 'helpers', 'publish-child.js');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');

const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

function folderWith(set: string | null): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-pub-'));
  made.push(dir);
  fs.writeFileSync(path.join(dir, '.gitkeep'), '');
  if (set) for (const f of setFiles(set)) fs.writeFileSync(path.join(dir, f.file), f.data);
  return dir;
}

/** Which complete set the folder holds ('none' when no output file is there); throws on a mix or scratch. */
function setIn(dir: string): string {
  const names = fs.readdirSync(dir);
  const scratch = names.filter(isScratch);
  if (scratch.length) throw new Error(`scratch left in ${dir}: ${scratch.join(', ')}`);
  const present = FILES.filter((f) => names.includes(f));
  if (!present.length) return 'none';
  if (present.length !== FILES.length) throw new Error(`incomplete set in ${dir}: ${present.join(', ')}`);
  const sets = new Set(present.map((f) => fs.readFileSync(path.join(dir, f), 'utf8').split(':')[0]));
  if (sets.size !== 1) throw new Error(`mixed sets in ${dir}: ${[...sets].join(', ')}`);
  for (const f of present) expect(fs.readFileSync(path.join(dir, f)).equals(setFiles([...sets][0]).find((x) => x.file === f)!.data)).toBe(true);
  return [...sets][0];
}

const errnoError = (code: string, p: string) => Object.assign(new Error(`${code}: simulated, '${p}'`), { code, path: p });

/** The real fs with one call failing. */
function failing(when: (call: string, args: unknown[]) => string | undefined): FsLayer {
  const wrap = <K extends keyof FsLayer>(name: K) =>
    ((...args: unknown[]) => {
      const code = when(name, args);
      if (code) throw errnoError(code, String(args[0]));
      return (realFs[name] as (...a: unknown[]) => unknown)(...args);
    }) as FsLayer[K];
  return {
    mkdirSync: wrap('mkdirSync'), writeFileSync: wrap('writeFileSync'), readFileSync: wrap('readFileSync'), renameSync: wrap('renameSync'),
    rmSync: wrap('rmSync'), existsSync: wrap('existsSync'), readdirSync: wrap('readdirSync'), openSync: wrap('openSync'),
    writeSync: wrap('writeSync'), closeSync: wrap('closeSync'),
  };
}

const fsz2 = (dir: string) => failing((call, a) => (call === 'renameSync' && a[1] === path.join(dir, 'report.xlsx') ? 'EBUSY' : undefined));

function expectRefused(fn: () => void, ...parts: string[]): FsError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(FsError);
  const m = (err as FsError).message;
  for (const p of parts) expect(m).toContain(p);
  expect(m).not.toMatch(JS_TEXT);
  expect(m).not.toContain('simulated');
  return err as FsError;
}

test('a plain publication replaces the whole set and leaves no scratch', () => {
  const dir = folderWith('old');
  publish(dir, setFiles('new'));
  expect(setIn(dir)).toBe('new');
  expect(fs.existsSync(path.join(dir, '.gitkeep'))).toBe(true);
  const fresh = path.join(folderWith(null), 'sub', 'output');
  publish(fresh, setFiles('new'));
  expect(setIn(fresh)).toBe('new');
});

test.each([
  ['EPERM', 'report.pdf'], ['EBUSY', 'report.pdf'], ['EPERM', 'report.md'], ['EBUSY', 'audit.md'],
])('%s when moving the old %s aside (a viewer holds it open): the old set stays, the message names the file', (code, locked) => {
  const dir = folderWith('old');
  const fsx = failing((call, a) => (call === 'renameSync' && a[0] === path.join(dir, locked) ? code : undefined));
  expectRefused(() => publish(dir, setFiles('new'), { fs: fsx }), `${locked} 正被其他程序打开，无法替换；原有文件均未改动`, '请关闭');
  expect(setIn(dir)).toBe('old');
});

test('a failure when moving a new file in, after others were swapped, rolls every file back', () => {
  const dir = folderWith('old');
  let once = 0;
  const fsx = failing((call, a) => (call === 'renameSync' && a[1] === path.join(dir, 'report.xlsx') && !once++ ? 'EBUSY' : undefined));
  expectRefused(() => publish(dir, setFiles('new'), { fs: fsx }), 'report.xlsx 正被其他程序打开，无法替换；原有文件均未改动');
  expect(setIn(dir)).toBe('old');
  // if putting the old file back fails too, the message says so and the next build restores it
  const dir2 = folderWith('old');
  const fsz = failing((call, a) => (call === 'renameSync' && a[1] === path.join(dir2, 'report.xlsx') ? 'EBUSY' : undefined));
  expectRefused(() => publish(dir2, setFiles('new'), { fs: fsz }), '恢复原有文件时又失败', '程序会先把它们恢复');
  publish(dir2, setFiles('new'));
  expect(setIn(dir2)).toBe('new');
  const dir3 = folderWith('old');
  expectRefused(() => publish(dir3, setFiles('new'), { fs: fsz2(dir3) }), '恢复原有文件时又失败');
  const c = spawnSync(process.execPath, [CLI, 'check', '--data', path.join(ROOT, 'data.yaml'), '--out', dir3], { cwd: ROOT, encoding: 'utf8' });
  expect(c.status).toBe(0);
  expect(setIn(dir3)).toBe('old');
  // into a folder with no previous set: nothing is left either
  const empty = folderWith(null);
  const fsy = failing((call, a) => (call === 'renameSync' && a[1] === path.join(empty, 'report.pdf') ? 'EPERM' : undefined));
  expectRefused(() => publish(empty, setFiles('new'), { fs: fsy }), 'report.pdf');
  expect(setIn(empty)).toBe('none');
});

test.each(['ENOSPC', 'EDQUOT', 'EACCES', 'EROFS', 'EISDIR', 'ENOENT'])('%s while writing the new files: old set intact, no temp file, a Chinese message with what to do', (code) => {
  const dir = folderWith('old');
  let n = 0;
  const fsx = failing((call) => (call === 'writeFileSync' && ++n === 3 ? code : undefined));
  const e = expectRefused(() => publish(dir, setFiles('new'), { fs: fsx }), '原有文件均未改动');
  expect(e.message).toMatch(/[请]/);
  expect(setIn(dir)).toBe('old');
});

test.each(['EACCES', 'EROFS', 'ENOTDIR', 'EEXIST'])('%s creating the output folder is translated', (code) => {
  const dir = path.join(folderWith(null), 'out');
  const fsx = failing((call) => (call === 'mkdirSync' ? code : undefined));
  const e = expectRefused(() => publish(dir, setFiles('new'), { fs: fsx }));
  expect(e.message).toMatch(/[\u4e00-\u9fff]/);
  expect(fs.existsSync(dir)).toBe(false);
});

test('a folder named like an output file is never moved away', () => {
  const dir = folderWith('old');
  fs.rmSync(path.join(dir, 'report.pdf'));
  fs.mkdirSync(path.join(dir, 'report.pdf'));
  fs.writeFileSync(path.join(dir, 'report.pdf', 'mine.txt'), 'user file');
  expectRefused(() => publish(dir, setFiles('new')), 'report.pdf 是一个文件夹，不是文件；原有文件均未改动', '改名或删除');
  expect(fs.readFileSync(path.join(dir, 'report.pdf', 'mine.txt'), 'utf8')).toBe('user file');
  expect(fs.readFileSync(path.join(dir, 'report.md'), 'utf8').startsWith('old:')).toBe(true);
  expect(fs.readdirSync(dir).filter(isScratch)).toEqual([]);
});

test('an unknown errno still gives a Chinese message with its code and no English', () => {
  const dir = folderWith('old');
  const fsx = failing((call) => (call === 'writeFileSync' ? 'EWEIRD' : undefined));
  expectRefused(() => publish(dir, setFiles('new'), { fs: fsx }), '代码 EWEIRD', '原有文件均未改动');
  expect(setIn(dir)).toBe('old');
});

test('a lock held by a live process refuses; a stale lock (dead pid) is taken over', () => {
  const dir = folderWith('old');
  fs.writeFileSync(path.join(dir, '.build.lock'), String(process.ppid));
  expectRefused(() => publish(dir, setFiles('new')), '另一个生成过程', String(process.ppid), '本次未改动任何文件');
  expect(fs.readdirSync(dir)).toContain('.build.lock');
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
  fs.writeFileSync(path.join(dir, '.build.lock'), dead);
  publish(dir, setFiles('new'));
  expect(setIn(dir)).toBe('new');
});

// ───── real processes ─────

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` (npm test does it in pretest)');
});

const POINTS: Array<[HookPoint, number, string]> = [
  ['locked', 1, 'old'], ['staged', 1, 'old'], ['journal', 1, 'old'], ['moved-old', 1, 'old'], ['moved-new', 1, 'old'],
  ['moved-old', 3, 'old'], ['moved-new', 4, 'old'], ['moved-new', 5, 'old'], ['committed', 1, 'new'],
];

test.each(POINTS)('killed at %s #%d: the next `check` restores one complete set (%s) and removes every temp file', (point, nth, expected) => {
  const dir = folderWith('old');
  const r = spawnSync(process.execPath, [CHILD, dir, 'new', `${point}:${nth}`], { encoding: 'utf8' });
  expect(r.signal).toBe('SIGKILL');
  expect(fs.readdirSync(dir).some(isScratch)).toBe(true); // the kill really left work half done
  const c = spawnSync(process.execPath, [CLI, 'check', '--data', path.join(ROOT, 'data.yaml'), '--out', dir], { cwd: ROOT, encoding: 'utf8' });
  expect(c.status).toBe(0);
  expect(c.stderr).toContain('已恢复');
  expect(c.stdout + c.stderr).not.toMatch(JS_TEXT);
  expect(setIn(dir)).toBe(expected);
});

test('killed mid-swap, the next build recovers first and then publishes its own set', () => {
  const dir = folderWith('old');
  spawnSync(process.execPath, [CHILD, dir, 'mid', 'moved-new:2'], { encoding: 'utf8' });
  const r = spawnSync(process.execPath, [CHILD, dir, 'new'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(setIn(dir)).toBe('new');
});

test('two concurrent builds into one folder: one complete set, no temp file, the loser says why in Chinese', async () => {
  for (let round = 0; round < 3; round++) {
    const dir = folderWith('old');
    const go = (name: string) => new Promise<{ code: number | null; err: string }>((resolve) => {
      const p = spawn(process.execPath, [CHILD, dir, name, '', '400']);
      let err = '';
      p.stderr.setEncoding('utf8').on('data', (d) => (err += d));
      p.on('close', (code) => resolve({ code, err }));
    });
    const [a, b] = await Promise.all([go('alpha'), go('beta')]);
    const codes = [a.code, b.code].sort();
    expect(codes.every((c) => c === 0 || c === 4)).toBe(true);
    for (const x of [a, b]) if (x.code === 4) {
      expect(x.err).toContain('另一个生成过程');
      expect(x.err).not.toMatch(JS_TEXT);
    }
    const got = setIn(dir);
    expect(['alpha', 'beta']).toContain(got);
    if (codes[0] === 4) expect(got).toBe(a.code === 0 ? 'alpha' : 'beta');
  }
}, 60000);

// ───── a real read-only and a real full file system (tmpfs), where mounting is allowed ─────

function tryMount(opts: string): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-mnt-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', opts, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}
const umount = (dir: string) => {
  execFileSync('umount', [dir], { stdio: 'ignore' });
  fs.rmSync(dir, { recursive: true, force: true });
};
const canMount = (() => {
  const d = tryMount('size=64k');
  if (!d) return false;
  let ok = true;
  try {
    execFileSync('mount', ['-o', 'remount,ro', d], { stdio: 'ignore' });
  } catch {
    ok = false;
  }
  try {
    umount(d);
  } catch {
    ok = false;
  }
  return ok;
})();
const onTmpfs = canMount ? test : test.skip;

onTmpfs('a full disk (tiny tmpfs): ENOSPC while staging leaves the old set and no temp file; the CLI says 磁盘空间不足', () => {
  const mnt = tryMount('size=64k')!;
  try {
    const dir = path.join(mnt, 'output');
    fs.mkdirSync(dir);
    for (const f of setFiles('old')) fs.writeFileSync(path.join(dir, f.file), f.data);
    const big = setFiles('new', 30000);
    expectRefused(() => publish(dir, big), '磁盘空间不足', '原有文件均未改动');
    expect(setIn(dir)).toBe('old');
    // the real CLI building the real report into the full disk
    const r = spawnSync(process.execPath, [CLI, 'build', '--data', path.join(ROOT, 'data.yaml'), '--out', dir, '--only', 'md,audit'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('磁盘空间不足');
    expect(r.stdout + r.stderr).not.toMatch(JS_TEXT);
    expect(setIn(dir)).toBe('old');
  } finally {
    umount(mnt);
  }
});

onTmpfs('a read-only folder (tmpfs remounted ro): the old set stays and the CLI says the disk is read-only', () => {
  const mnt = tryMount('size=1m')!;
  try {
    const dir = path.join(mnt, 'output');
    fs.mkdirSync(dir);
    for (const f of setFiles('old')) fs.writeFileSync(path.join(dir, f.file), f.data);
    execFileSync('mount', ['-o', 'remount,ro', mnt], { stdio: 'ignore' });
    expectRefused(() => publish(dir, setFiles('new')), '只读');
    const r = spawnSync(process.execPath, [CLI, 'build', '--data', path.join(ROOT, 'data.yaml'), '--out', dir, '--only', 'md'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('只读');
    expect(r.stdout + r.stderr).not.toMatch(JS_TEXT);
    expect(setIn(dir)).toBe('old');
  } finally {
    umount(mnt);
  }
});

test('a renderer that throws: nothing is published, and the CLI prints one Chinese line naming it a bug', async () => {
  const out = folderWith('old');
  const before = snapshot(out);
  const outputs = await import('../src/cli/outputs');
  const main = await import('../src/cli/main');
  const pdf = outputs.WRITERS.find((w) => w.format === 'pdf')!;
  const orig = pdf.render;
  pdf.render = async () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  };
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    const code = await main.run(['build', '--data', path.join(ROOT, 'data.yaml'), '--out', out, '--only', 'md,pdf']);
    expect(code).toBe(3);
  } finally {
    pdf.render = orig;
    spy.mockRestore();
    log.mockRestore();
  }
  const text = lines.join('\n');
  expect(text).toContain('程序内部错误（工具本身的缺陷，不是数据问题），输出目录未改动');
  expect(text).toContain('维护人员');
  expect(text).not.toMatch(JS_TEXT);
  const after = snapshot(out);
  expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
  for (const [k, v] of before) expect(after.get(k)!.equals(v)).toBe(true);
}, 120000);
