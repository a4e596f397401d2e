/**
 * A disk cache of plain values (JSON with Map, Decimal and undefined kept), for
 * results a cold process would otherwise recompute from files that rarely
 * change: a loaded and checked profile (YAML of the manifest and table specs,
 * the Handlebars check of every template), a parsed catalog.
 *
 * An entry is named by the SHA-256 of its key text and stores that hash and a
 * SHA-256 of its payload: an entry is used only when both match, so a corrupt,
 * truncated or colliding file is ignored (and rewritten). The key text holds
 * everything the value depends on — the exact file contents and, always, the
 * code version: the SHA-256 of the running bundle, set by its start-up stub
 * (scripts/bundle-stub.js). Without a bundle (ts-jest, tsc output) there is no
 * code version and the cache is off: only the bundled command line, whose
 * code is one file, can say exactly which code made an entry.
 *
 * Entries live in node_modules/.cache/juesuan-report/<kind>/, written to a
 * temporary file and renamed; at most MAX_FILES per kind (the oldest go).
 * JUESUAN_CACHE=off turns it off, JUESUAN_CACHE_DIR moves it. A cache that
 * cannot be written is skipped silently: it only saves time.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Decimal from 'decimal.js';
import { cacheDir, cacheEnabled } from './templates';

const MAX_FILES = 64;
const MAGIC = 'juesuan-store 1\n';

/** SHA-256 of the running bundle (scripts/bundle-stub.js), or undefined when not bundled. */
export function codeVersion(): string | undefined {
  const v = (globalThis as Record<symbol, unknown>)[Symbol.for('juesuan.codeVersion')];
  return typeof v === 'string' ? v : undefined;
}

export const sha = (x: string | Uint8Array): string => createHash('sha256').update(x).digest('hex');

/** The key text of an entry: the code version and the given parts (made only when the cache is on); undefined when off. */
export function storeKey(kind: string, parts: () => string[]): string | undefined {
  const code = cacheEnabled() ? codeVersion() : undefined;
  if (!code) return undefined;
  return [kind, code, ...parts()].join('\0');
}

function entryFile(kind: string, key: string): { file: string; hash: string } {
  const hash = sha(key);
  return { file: path.join(cacheDir(kind), `${hash.slice(0, 40)}.json`), hash };
}

export function readStore<T>(kind: string, key: string): T | undefined {
  const { file, hash } = entryFile(kind, key);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // MAGIC, key hash (64 hex), payload hash (64 hex), newline, payload
  const head = MAGIC.length + 129;
  if (text.length <= head || !text.startsWith(MAGIC) || text.slice(MAGIC.length, MAGIC.length + 64) !== hash) return undefined;
  const payload = text.slice(head);
  if (text.slice(MAGIC.length + 64, MAGIC.length + 128) !== sha(payload)) return undefined;
  try {
    return revive(JSON.parse(payload)) as T;
  } catch {
    return undefined;
  }
}

export function writeStore(kind: string, key: string, value: unknown): void {
  const { file, hash } = entryFile(kind, key);
  try {
    const payload = JSON.stringify(encode(value));
    const dir = path.dirname(file);
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, `${MAGIC}${hash}${sha(payload)}\n${payload}`);
    fs.renameSync(tmp, file);
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
    if (names.length > MAX_FILES) {
      const byAge = names.map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
      for (const o of byAge.slice(0, names.length - MAX_FILES)) if (o.n !== path.basename(file)) fs.rmSync(path.join(dir, o.n), { force: true });
    }
  } catch {
    /* read-only install: no cache */
  }
}

// Encoding: a Map is {"$map": [[k, v], …]}, a Decimal {"$dec": "…"} (its exact
// decimal text), undefined {"$u": 1} (so a key that holds undefined stays a
// key); a plain object whose own key starts with "$" cannot be stored.

function encode(v: unknown): unknown {
  if (v === undefined) return { $u: 1 };
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new Error('not storable');
    return v;
  }
  if (Decimal.isDecimal(v)) return { $dec: (v as Decimal).toString() };
  if (v instanceof Map) return { $map: [...v].map(([k, x]) => [encode(k), encode(x)]) };
  if (Array.isArray(v)) return v.map(encode);
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw new Error('not storable');
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) throw new Error('not storable');
    out[k] = encode(x);
  }
  return out;
}

function revive(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(revive);
  const o = v as Record<string, unknown>;
  if ('$u' in o) return undefined;
  if ('$dec' in o) return new Decimal(o.$dec as string);
  if ('$map' in o) return new Map((o.$map as unknown[][]).map(([k, x]) => [revive(k), revive(x)]));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = revive(o[k]);
  return out;
}
