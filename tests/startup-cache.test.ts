/**
 * The start-up caches of the bundled command line (scripts/bundle.js,
 * scripts/bundle-stub.js, src/cache/store.ts) never change what a command
 * says or writes: the same messages and exit codes and byte-identical outputs
 * with an empty cache, a warm cache, a corrupted cache and no cache; an edited
 * profile is checked again (its cached result is keyed by the folder's
 * contents). Runs the compiled CLI (npm test compiles first, see "pretest").
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Decimal from 'decimal.js';
import { readStore, storeKey, writeStore } from '../src/cache/store';
import { DATA, ROOT, dataText } from './helpers/build';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-startup-'));
const run = (args: string[], env: NodeJS.ProcessEnv, cwd = ROOT) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 240000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
const read = (dir: string) => Object.fromEntries(fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f))]));

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
});

test('dist/src/cli/main.js is the start-up stub of a bundle that holds our code, yaml and handlebars', () => {
  const stub = fs.readFileSync(CLI, 'utf8');
  expect(stub).toContain("path.join(__dirname, 'main.bundle.js')");
  const bundle = fs.readFileSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.bundle.js'), 'utf8');
  // our sources and the libraries `check` needs are inside; the writers' libraries stay require()s
  expect(bundle).toContain('src/profile/load.ts');
  expect(bundle).toContain('node_modules/yaml/');
  expect(bundle).toContain('node_modules/handlebars/');
  expect(bundle).toContain('require("pdf-lib")');
  expect(bundle).not.toContain('node_modules/pdf-lib/');
});

test('check and build say and write the same with an empty, a warm, a corrupted and no cache', () => {
  const cache = tmp();
  const env = { JUESUAN_CACHE_DIR: cache };
  const check = ['check', '--data', DATA];
  const out = (name: string) => path.join(cache, '..', `${path.basename(cache)}-${name}`);
  const build = (name: string) => ['build', '--data', DATA, '--only', 'md,pdf,audit', '--out', out(name)];
  const cold = run(check, env);
  expect(cold.status).toBe(0);
  const coldBuild = run(build('cold'), env);
  expect(coldBuild.status).toBe(0);
  const kinds = fs.readdirSync(cache).sort();
  expect(kinds).toEqual(expect.arrayContaining(['catalog', 'profile', 'templates', 'v8-code']));
  const warm = run(check, env);
  expect(warm).toEqual(cold);
  expect(run(build('warm'), env).status).toBe(0);
  // Corrupt every file of these caches: flip bytes in the middle and at the end, truncate some.
  // (Not the PDF writer's deflate cache: src/render/pdf/deflate-cache.ts keeps its own format.)
  const mine = ['catalog', 'profile', 'templates', 'v8-code'].flatMap((k) => files(path.join(cache, k)));
  expect(mine.length).toBeGreaterThan(4);
  mine.forEach((f, i) => {
    const b = fs.readFileSync(f);
    if (i % 2) fs.writeFileSync(f, b.subarray(0, b.length >> 1));
    else {
      b[b.length >> 1] ^= 0x55;
      b[b.length - 1] ^= 0x55;
      fs.writeFileSync(f, b);
    }
  });
  expect(run(check, env)).toEqual(cold);
  expect(run(build('corrupt'), env).status).toBe(0);
  expect(run(check, { JUESUAN_CACHE: 'off' })).toEqual(cold);
  expect(run(build('off'), { JUESUAN_CACHE: 'off' }).status).toBe(0);
  const want = read(out('cold'));
  expect(Object.keys(want)).toEqual(['audit.md', 'report.md', 'report.pdf']);
  for (const name of ['warm', 'corrupt', 'off']) expect(read(out(name))).toEqual(want);
});

test('a profile edited after a cached check is checked again (the cache is keyed by the folder contents)', () => {
  const cache = tmp();
  const dir = tmp();
  fs.cpSync(path.join(ROOT, 'profiles', 'hunan'), path.join(dir, 'fmt'), { recursive: true });
  const data = path.join(dir, 'data.yaml');
  fs.writeFileSync(data, dataText().replace(/^report:\n/m, 'report:\n  profile: ./fmt\n'));
  const env = { JUESUAN_CACHE_DIR: cache };
  expect(run(['check', '--data', 'data.yaml'], env, dir).status).toBe(0);
  expect(fs.readdirSync(path.join(cache, 'profile')).length).toBe(1);
  const tpl = path.join(dir, 'fmt', 'templates', 'part1.hbs');
  const text = fs.readFileSync(tpl, 'utf8');
  // same size, other content: a field the facts do not have
  const m = /\{\{([a-z_]+)\./.exec(text)!;
  fs.writeFileSync(tpl, text.replace(m[0], `{{${m[1].slice(0, -1)}x.`));
  const broken = run(['check', '--data', 'data.yaml'], env, dir);
  const uncached = run(['check', '--data', 'data.yaml'], { JUESUAN_CACHE: 'off' }, dir);
  expect(broken.status).toBe(1);
  expect(broken).toEqual(uncached);
  expect(broken.stderr).toContain('part1.hbs');
});

describe('src/cache/store.ts', () => {
  const symbol = Symbol.for('juesuan.codeVersion');
  const g = globalThis as Record<symbol, unknown>;
  let dir: string;
  beforeEach(() => {
    dir = tmp();
    process.env.JUESUAN_CACHE_DIR = dir;
  });
  afterEach(() => {
    delete process.env.JUESUAN_CACHE_DIR;
    delete g[symbol];
  });

  test('is off without a code version (not bundled) or with JUESUAN_CACHE=off', () => {
    expect(storeKey('x', () => ['a'])).toBeUndefined();
    g[symbol] = 'v1';
    expect(storeKey('x', () => ['a'])).toBe('x\0v1\0a');
    process.env.JUESUAN_CACHE = 'off';
    try {
      expect(storeKey('x', () => ['a'])).toBeUndefined();
    } finally {
      delete process.env.JUESUAN_CACHE;
    }
  });

  test('keeps Maps, Decimals and keys holding undefined; ignores a corrupt entry and another key', () => {
    const value = { m: new Map<string, unknown>([['a', { line: 1 }], ['b', [new Decimal('0.05'), new Decimal('123456789.123456789')]]]), u: undefined, n: null, s: '文字' };
    writeStore('t', 'key-1', value);
    const back = readStore<typeof value>('t', 'key-1')!;
    expect(back).toEqual(value);
    expect('u' in back).toBe(true);
    expect((back.m.get('b') as Decimal[])[1].equals(new Decimal('123456789.123456789'))).toBe(true);
    expect(readStore('t', 'key-2')).toBeUndefined();
    const [file] = fs.readdirSync(path.join(dir, 't'));
    const f = path.join(dir, 't', file);
    fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('文字', '文学'));
    expect(readStore('t', 'key-1')).toBeUndefined();
    fs.writeFileSync(f, 'junk');
    expect(readStore('t', 'key-1')).toBeUndefined();
  });

  test('a value it cannot store exactly is not stored', () => {
    writeStore('t', 'k', { when: new Date(0) });
    writeStore('t', 'k2', { $map: 1 });
    expect(readStore('t', 'k')).toBeUndefined();
    expect(readStore('t', 'k2')).toBeUndefined();
  });
});
