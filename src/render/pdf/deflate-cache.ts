/**
 * pdf-lib compresses every stream (font subsets, page contents, object
 * streams) with pako's `deflate(bytes)`, ≈ 0.25 s per report. pako is
 * deterministic, so the compressed bytes are a function of the input bytes
 * (and the pako version): they can be kept, keyed by a SHA-256 of the exact
 * input, in memory (watch and batch workers: unchanged pages and font subsets
 * are not compressed again) and on disk (the next cold build of the same or a
 * slightly edited report). The PDF is byte for byte the same with or without
 * the cache (tests/speed.test.ts compares a JUESUAN_CACHE=off build).
 *
 * Only pako.deflate(input) without options goes through the cache; any other
 * call is passed on unchanged. A cache file that cannot be read or written is
 * ignored. The disk cache keeps at most MAX_FILES entries (the oldest go).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, cacheEnabled } from '../../cache/templates';

type Deflate = (input: Uint8Array | ArrayBuffer | string, options?: unknown) => Uint8Array;

const MAX_FILES = 4000;
// A report compresses to ≈ 0.3–0.5 MB: enough for watch (the last few builds), small for batch workers.
const MEMORY_BYTES = 4 << 20;

let installed = false;

/** Route pdf-lib's pako.deflate through the cache (once per process). */
export function installDeflateCache(): void {
  if (installed) return;
  installed = true;
  if (!cacheEnabled()) return;
  let pako: { deflate: Deflate };
  let version: string;
  try {
    const pdfLibDir = path.dirname(require.resolve('pdf-lib'));
    const pakoId = require.resolve('pako', { paths: [pdfLibDir] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pako = require(pakoId) as { deflate: Deflate };
    version = (JSON.parse(fs.readFileSync(path.join(path.dirname(pakoId), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return;
  }
  const original = pako.deflate;
  const dir = cacheDir(`deflate-pako-${version}`);
  const memory = new Map<string, Uint8Array>();
  let memoryBytes = 0;
  let dirReady = false;

  pako.deflate = function cachedDeflate(input, options) {
    if (options !== undefined || !(input instanceof Uint8Array)) return original(input, options);
    const key = createHash('sha256').update(input).digest('hex') + '-' + input.length;
    const hit = memory.get(key);
    if (hit) return hit.slice();
    const file = path.join(dir, key);
    let out: Uint8Array | undefined;
    try {
      out = new Uint8Array(fs.readFileSync(file));
    } catch {
      out = undefined;
    }
    if (!out) {
      out = original(input);
      try {
        if (!dirReady) {
          fs.mkdirSync(dir, { recursive: true });
          prune(dir);
          dirReady = true;
        }
        const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
        fs.writeFileSync(tmp, out);
        fs.renameSync(tmp, file);
      } catch {
        /* a cache that cannot be written only costs speed */
      }
    }
    if (memoryBytes + out.length > MEMORY_BYTES) {
      memory.clear();
      memoryBytes = 0;
    }
    memory.set(key, out);
    memoryBytes += out.length;
    return out.slice();
  };
}

/** Keep the newest half when the folder holds more than MAX_FILES entries. */
function prune(dir: string): void {
  const names = fs.readdirSync(dir);
  if (names.length <= MAX_FILES) return;
  const aged = names.map((n) => {
    try {
      return { n, t: fs.statSync(path.join(dir, n)).mtimeMs };
    } catch {
      return { n, t: 0 };
    }
  });
  aged.sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, aged.length - MAX_FILES / 2)) fs.rmSync(path.join(dir, n), { force: true });
}
