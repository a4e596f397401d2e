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
 * On disk, the streams of one PDF are kept together: one file per document
 * (named by a hint, its department and title; the entries inside are keyed by
 * their input), read once and written once per build, and only when something
 * was compressed anew. A report has ≈ 80 streams, and creating 80 files cost
 * more than compressing them (measured: ≈ 100 ms per new department in a
 * batch, against ≈ 40 ms for the compression itself).
 *
 * Only pako.deflate(input) without options is replaced; any other call is
 * passed on unchanged. A cache file that cannot be read or written, or does
 * not parse, is ignored. The disk cache keeps at most MAX_FILES documents.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { zlibSync } from 'fflate';
import { cacheEnabled } from '../../cache/templates';
import { DiskCache, codeHash, moduleFile } from '../../cache/disk';

type Deflate = (input: Uint8Array | ArrayBuffer | string, options?: unknown) => Uint8Array;

const MAX_FILES = 1000;
// A report compresses to ≈ 0.3–0.5 MB: enough for watch (the last few builds), small for batch workers.
const MEMORY_BYTES = 4 << 20;

let installed = false;

/** The PDF being written (beginDeflateSession … endDeflateSession) and the streams it compressed. */
interface Session {
  hint: string;
  used: Map<string, Uint8Array>;
  fresh: boolean;
}
let session: Session | undefined;
/** The streams of the document last read or written, by input key. */
let bundle: { hint: string; entries: Map<string, Uint8Array> } | undefined;
let disk: DiskCache | undefined;
let code = '';

const bundleKey = (hint: string) => `bundle|${code}|${hint}`;

/** [u32 count] then per entry [u32 key length][key][u32 data length][data]; undefined when malformed. */
function decodeBundle(b: Buffer): Map<string, Uint8Array> | undefined {
  const out = new Map<string, Uint8Array>();
  if (b.length < 4) return undefined;
  const n = b.readUInt32LE(0);
  let at = 4;
  for (let i = 0; i < n; i++) {
    if (at + 4 > b.length) return undefined;
    const kl = b.readUInt32LE(at);
    at += 4;
    if (at + kl + 4 > b.length) return undefined;
    const key = b.toString('utf8', at, at + kl);
    at += kl;
    const dl = b.readUInt32LE(at);
    at += 4;
    if (at + dl > b.length || dl < 6 || b[at] !== 0x78) return undefined;
    out.set(key, new Uint8Array(b.subarray(at, at + dl)));
    at += dl;
  }
  return at === b.length ? out : undefined;
}

function encodeBundle(entries: Map<string, Uint8Array>): Buffer {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(4);
  head.writeUInt32LE(entries.size, 0);
  parts.push(head);
  for (const [k, v] of entries) {
    const kb = Buffer.from(k, 'utf8');
    const l1 = Buffer.alloc(4);
    l1.writeUInt32LE(kb.length, 0);
    const l2 = Buffer.alloc(4);
    l2.writeUInt32LE(v.length, 0);
    parts.push(l1, kb, l2, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
  }
  return Buffer.concat(parts);
}

/** Start writing one PDF (hint: names its file of streams on disk). */
export function beginDeflateSession(hint: string): void {
  session = { hint, used: new Map(), fresh: false };
  if (disk && cacheEnabled() && bundle?.hint !== hint) {
    const stored = disk.getChecked(bundleKey(hint));
    const entries = stored ? decodeBundle(stored) : undefined;
    bundle = { hint, entries: entries ?? new Map() };
  }
}

/** The PDF is written: keep its streams on disk when any was compressed anew or one is no longer used. */
export function endDeflateSession(): void {
  const s = session;
  session = undefined;
  if (!s || !disk || !cacheEnabled()) return;
  const same = bundle?.hint === s.hint && bundle.entries.size === s.used.size;
  if (s.fresh || !same) disk.setChecked(bundleKey(s.hint), encodeBundle(s.used));
  bundle = { hint: s.hint, entries: s.used };
}

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
  disk = new DiskCache(`deflate-fflate-${version}`, MAX_FILES);
  const memory = new Map<string, Uint8Array>();
  let memoryBytes = 0;
  // The code that compresses: this module and fflate.
  code = codeHash([__filename, moduleFile('fflate/package.json', __filename)]);

  pako.deflate = function cachedDeflate(input, options) {
    if (options !== undefined || !(input instanceof Uint8Array)) return original(input, options);
    const key = `${code}-${createHash('sha256').update(input).digest('hex')}-${input.length}`;
    let out = memory.get(key);
    if (out) {
      session?.used.set(key, out);
      return out.slice();
    }
    const stored = session && bundle?.hint === session.hint ? bundle.entries.get(key) : undefined;
    if (stored) out = stored;
    else {
      out = compress(input);
      if (session) session.fresh = true;
    }
    session?.used.set(key, out);
    if (memoryBytes + out.length > MEMORY_BYTES) {
      memory.clear();
      memoryBytes = 0;
    }
    memory.set(key, out);
    memoryBytes += out.length;
    return out.slice();
  };
}

