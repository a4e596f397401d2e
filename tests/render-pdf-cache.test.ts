/**
 * The PDF writer's caches (font metrics and subsets, memoised paragraph and
 * table layouts, compressed streams; src/render/pdf/layout-cache.ts,
 * fonts.ts, deflate-cache.ts) never change a byte: a PDF built without any
 * cache equals one built with an empty cache, with the cache the last build
 * left, after an edit, in one warm process, and with every cache file
 * corrupted. And a rebuild from a warm cache does not parse a font. Runs the
 * compiled CLI and modules (npm test compiles first, see "pretest").
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT, dataText, edit } from './helpers/build';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-pdfcache-'));
const cacheDir = tmp();

function buildPdf(data: string, env: NodeJS.ProcessEnv = {}): Buffer {
  const out = tmp();
  const r = spawnSync(process.execPath, [CLI, 'build', '--only', 'pdf', '--data', data, '--out', out], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240000,
    env: { ...process.env, JUESUAN_CACHE_DIR: cacheDir, ...env },
  });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
  return fs.readFileSync(path.join(out, 'report.pdf'));
}

/** One amount changed (and the attachment's sum with it, so the data stays audit-clean). */
function editedData(): string {
  const dir = tmp();
  const text = edit(edit(dataText(), '"2010301": { basic: 1878.67, budget: 1946.21 }', '"2010301": { basic: 1878.67, budget: 1946.71 }'), 'initial_basic: 2659.79', 'initial_basic: 2660.29');
  const file = path.join(dir, 'data.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const files = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)])) : [];

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` (npm test does it in pretest)');
});

describe('PDF caches', () => {
  const data = path.join(ROOT, 'data.yaml');
  const edited = editedData();
  let ref: Buffer;
  let refEdited: Buffer;

  beforeAll(() => {
    ref = buildPdf(data, { JUESUAN_CACHE: 'off' });
    refEdited = buildPdf(edited, { JUESUAN_CACHE: 'off' });
  });

  it('no cache = empty cache = the cache the last build left, also after an edit', () => {
    expect(refEdited.equals(ref)).toBe(false);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    expect(buildPdf(data).equals(ref)).toBe(true);
    const kinds = fs.readdirSync(cacheDir);
    for (const k of ['font-metrics', 'font-subsets', 'layout']) expect(kinds).toContain(k);
    expect(kinds.some((k) => k.startsWith('deflate-fflate-'))).toBe(true);
    expect(buildPdf(data).equals(ref)).toBe(true);
    expect(buildPdf(edited).equals(refEdited)).toBe(true);
    expect(buildPdf(data).equals(ref)).toBe(true);
  });

  it('a warm process (watch, batch) builds the same bytes as a cold one without cache', () => {
    const script = `
      const { buildFromFile } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'pipeline.js'))});
      const { renderPdf } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'render', 'pdf', 'index.js'))});
      (async () => {
        const out = [];
        for (const f of process.argv.slice(1)) {
          const b = buildFromFile(f);
          out.push((await renderPdf(b.document, { fonts: b.model.output.pdfFonts })).toString('base64'));
        }
        process.stdout.write(JSON.stringify(out));
      })();`;
    const r = spawnSync(process.execPath, ['-e', script, data, edited, data, edited], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 240000,
      maxBuffer: 64 << 20,
      env: { ...process.env, JUESUAN_CACHE_DIR: cacheDir },
    });
    expect(r.status).toBe(0);
    const pdfs = (JSON.parse(r.stdout) as string[]).map((b) => Buffer.from(b, 'base64'));
    expect(pdfs.map((p, i) => p.equals(i % 2 ? refEdited : ref))).toEqual([true, true, true, true]);
  });

  it('a rebuild from a warm cache parses no font (fontkit is not even loaded)', () => {
    buildPdf(data);
    const script = `
      const { buildFromFile } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'pipeline.js'))});
      const { renderPdf } = require(${JSON.stringify(path.join(ROOT, 'dist', 'src', 'render', 'pdf', 'index.js'))});
      const b = buildFromFile(process.argv[1]);
      renderPdf(b.document, { fonts: b.model.output.pdfFonts }).then(() => {
        process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => /node_modules[\\\\/](fontkit|linebreak)[\\\\/]/.test(k))));
      });`;
    const r = spawnSync(process.execPath, ['-e', script, data], { cwd: ROOT, encoding: 'utf8', timeout: 240000, env: { ...process.env, JUESUAN_CACHE_DIR: cacheDir } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });

  it('corrupt cache entries are ignored (recomputed), never trusted', () => {
    buildPdf(data);
    const all = files(cacheDir).filter((f) => !f.includes(`${path.sep}templates${path.sep}`));
    expect(all.length).toBeGreaterThan(10);
    all.forEach((f, i) => {
      const b = fs.readFileSync(f);
      if (i % 3 === 0) fs.writeFileSync(f, b.subarray(0, Math.floor(b.length / 2))); // truncated
      else if (i % 3 === 1) fs.writeFileSync(f, Buffer.from(b.map((x, j) => (j === b.length - 3 ? x ^ 0xff : x)))); // one byte flipped
      else fs.writeFileSync(f, '{"key":"x","value":{}}'); // foreign content
    });
    expect(buildPdf(data).equals(ref)).toBe(true);
    expect(buildPdf(edited).equals(refEdited)).toBe(true);
  });

  afterAll(() => {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });
});

describe('DiskCache', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DiskCache } = require('../src/cache/disk') as typeof import('../src/cache/disk');
  const saved = { dir: process.env.JUESUAN_CACHE_DIR, off: process.env.JUESUAN_CACHE };
  afterEach(() => {
    process.env.JUESUAN_CACHE_DIR = saved.dir;
    if (saved.off === undefined) delete process.env.JUESUAN_CACHE;
    else process.env.JUESUAN_CACHE = saved.off;
  });

  it('stays within its bound in one long process, and reads back only what was written under the key', () => {
    const dir = tmp();
    process.env.JUESUAN_CACHE_DIR = dir;
    delete process.env.JUESUAN_CACHE;
    const c = new DiskCache('bounded', 10);
    for (let i = 0; i < 40; i++) c.setChecked(`k${i}`, Buffer.from(`value ${i}`));
    expect(fs.readdirSync(path.join(dir, 'bounded')).length).toBeLessThanOrEqual(10);
    expect(c.getChecked('k39')?.toString()).toBe('value 39');
    expect(c.getChecked('nothing')).toBeUndefined();
    c.setJsonChecked('j', { a: 1 });
    expect(c.getJsonChecked('j')).toEqual({ a: 1 });
    for (const f of fs.readdirSync(path.join(dir, 'bounded'))) fs.writeFileSync(path.join(dir, 'bounded', f), 'garbage');
    expect(c.getChecked('k39')).toBeUndefined();
    expect(c.getJsonChecked('j')).toBeUndefined();
  });

  it('JUESUAN_CACHE=off: nothing read, nothing written', () => {
    const dir = tmp();
    process.env.JUESUAN_CACHE_DIR = dir;
    process.env.JUESUAN_CACHE = 'off';
    const c = new DiskCache('off', 10);
    c.setChecked('k', Buffer.from('v'));
    expect(fs.existsSync(path.join(dir, 'off'))).toBe(false);
    expect(c.getChecked('k')).toBeUndefined();
  });
});
