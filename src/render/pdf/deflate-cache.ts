/**
 * pdf-lib compresses every stream (font subsets, page contents, object
 * streams) with pako's `deflate(bytes)`. We route that call to fflate's
 * `zlibSync` (pure JavaScript, deterministic, level 6: the same zlib format,
 * ≈ 1.5× faster than pako; never Node's native zlib, whose output may differ
 * between Node builds). The output is a function of the input bytes (and the
 * fflate version), so it can also be kept, keyed by a SHA-256 of the exact
 * input, in memory (watch and batch workers: unchanged pages and font subsets
 * are not compressed again) and on disk (the next cold build of the same or a
 * slightly edited report). The PDF is byte for byte the same with or without
 * the cache (tests/speed.test.ts compares a JUESUAN_CACHE=off build).
 *
 * Only pako.deflate(input) without options is replaced; any other call is
 * passed on unchanged. A cache file that cannot be read or written is
 * ignored. The disk cache keeps at most MAX_FILES entries (the oldest go).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { zlibSync } from 'fflate';
import { cacheEnabled } from '../../cache/templates';
import { DiskCache, codeHash, moduleFile } from '../../cache/disk';

type Deflate = (input: Uint8Array | ArrayBuffer | string, options?: unknown) => Uint8Array;

const MAX_FILES = 4000;
// A report compresses to ≈ 0.3–0.5 MB: enough for watch (the last few builds), small for batch workers.
const MEMORY_BYTES = 4 << 20;

let installed = false;

/** Route pdf-lib's pako.deflate through the cache (once per process). */
export function installDeflateCache(): void {
  if (installed) return;
  installed = true;
  let pako: { deflate: Deflate };
  let version: string;
  try {
    const pdfLibDir = path.dirname(require.resolve('pdf-lib'));
    const pakoId = require.resolve('pako', { paths: [pdfLibDir] });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    pako = require(pakoId) as { deflate: Deflate };
    version = (JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve('fflate')), '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    throw new Error('PDF 写出器缺少 pdf-lib 的 pako 或 fflate 模块，请重新运行 npm ci');
  }
  const original = pako.deflate;
  const compress = (input: Uint8Array): Uint8Array => zlibSync(input, { level: 6 });
  if (!cacheEnabled()) {
    pako.deflate = function fflateDeflate(input, options) {
      if (options !== undefined || !(input instanceof Uint8Array)) return original(input, options);
      return compress(input);
    };
    return;
  }
  const disk = new DiskCache(`deflate-fflate-${version}`, MAX_FILES);
  const memory = new Map<string, Uint8Array>();
  let memoryBytes = 0;
  // The code that compresses: this module and fflate.
  const code = codeHash([__filename, moduleFile('fflate/package.json', __filename)]);

  pako.deflate = function cachedDeflate(input, options) {
    if (options !== undefined || !(input instanceof Uint8Array)) return original(input, options);
    const key = `${code}-${createHash('sha256').update(input).digest('hex')}-${input.length}`;
    const hit = memory.get(key);
    if (hit) return hit.slice();
    // Stored with a checksum (a truncated or foreign file is recomputed).
    const stored = disk.getChecked(key);
    let out: Uint8Array;
    if (stored && stored.length >= 6 && stored[0] === 0x78) out = new Uint8Array(stored);
    else {
      out = compress(input);
      disk.setChecked(key, out);
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

