/**
 * A small disk cache for derived data (font metrics, font subsets, laid-out
 * paragraphs and tables): one file per entry under
 * node_modules/.cache/juesuan-report/<kind>/, named by a SHA-256 of the
 * entry's full key. The key must hold everything the entry depends on,
 * including the code that computes it (see `codeHash`).
 *
 *  - JUESUAN_CACHE=off switches it off (get misses, set does nothing);
 *  - writes go to a temporary file and are renamed into place (a crash
 *    leaves no half-written entry);
 *  - each kind keeps at most `maxFiles` entries (the oldest half goes);
 *  - a file that cannot be read is a miss; callers check what they read and
 *    treat anything unexpected as a miss (never trusted).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, cacheEnabled } from './templates';

const codeHashes = new Map<string, string>();

/**
 * A hash of the files of the code that computes an entry (compiled modules,
 * package.json files of the libraries used), read once per process.
 */
export function codeHash(files: string[]): string {
  const key = files.join('\n');
  let h = codeHashes.get(key);
  if (h === undefined) {
    const hash = createHash('sha256');
    for (const f of files) {
      hash.update(f.replace(/\.(ts|js)$/, '')).update('\0');
      try {
        hash.update(fs.readFileSync(f));
      } catch {
        hash.update('missing');
      }
      hash.update('\0');
    }
    h = hash.digest('hex').slice(0, 32);
    codeHashes.set(key, h);
  }
  return h;
}

/**
 * The file of a module (as resolved from `from`, a module's __filename); for
 * `<package>/package.json`, the package's package.json even when its
 * "exports" hide it. A module that cannot be found gives a name that hashes
 * as missing.
 */
export function moduleFile(id: string, from: string): string {
  const paths = [path.dirname(from)];
  const pkg = /^((?:@[^/]+\/)?[^./][^/]*)\/package\.json$/.exec(id)?.[1];
  try {
    if (!pkg) return require.resolve(id, { paths });
    let dir = path.dirname(require.resolve(pkg, { paths }));
    for (;;) {
      const f = path.join(dir, 'package.json');
      try {
        if ((JSON.parse(fs.readFileSync(f, 'utf8')) as { name?: string }).name === pkg) return f;
      } catch {
        /* not here */
      }
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  } catch {
    /* fall through */
  }
  return `missing:${id}`;
}

export class DiskCache {
  private readonly dir: string;
  private ready = false;

  constructor(kind: string, private readonly maxFiles = 2000) {
    this.dir = cacheDir(kind);
  }

  get enabled(): boolean {
    return cacheEnabled();
  }

  private file(key: string): string {
    return path.join(this.dir, createHash('sha256').update(key).digest('hex').slice(0, 40));
  }

  /** Names of the entries present, listed once per process (a miss then costs no failed open). */
  private names: Set<string> | undefined;

  private present(): Set<string> {
    if (!this.names) {
      try {
        this.names = new Set(fs.readdirSync(this.dir));
      } catch {
        this.names = new Set();
      }
    }
    return this.names;
  }

  /** The bytes stored under `key`, or undefined. */
  get(key: string): Buffer | undefined {
    if (!this.enabled) return undefined;
    const file = this.file(key);
    if (!this.present().has(path.basename(file))) return undefined;
    try {
      return fs.readFileSync(file);
    } catch {
      return undefined;
    }
  }

  /** A JSON entry stored with its full key (checked on read: a hash collision or a stray file is a miss). */
  getJson<T>(key: string): T | undefined {
    const b = this.get(key);
    if (!b) return undefined;
    try {
      const v = JSON.parse(b.toString('utf8')) as { key?: unknown; value?: T };
      return v && v.key === key ? v.value : undefined;
    } catch {
      return undefined;
    }
  }

  set(key: string, data: Uint8Array | string): void {
    if (!this.enabled) return;
    try {
      if (!this.ready) {
        fs.mkdirSync(this.dir, { recursive: true });
        this.ready = true;
      }
      // Bounded also within one long process (watch, batch).
      if (this.present().size >= this.maxFiles) this.prune();
      const file = this.file(key);
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, file);
      this.present().add(path.basename(file));
    } catch {
      /* a cache that cannot be written only costs speed */
    }
  }

  /** Bytes stored with a checksum of key and content (a truncated or stray file is a miss). */
  getChecked(key: string): Buffer | undefined {
    const b = this.get(key);
    if (!b || b.length < 32) return undefined;
    const body = b.subarray(32);
    const sum = createHash('sha256').update(key).update('\0').update(body).digest();
    return sum.equals(b.subarray(0, 32)) ? Buffer.from(body) : undefined;
  }

  setChecked(key: string, data: Uint8Array): void {
    if (!this.enabled) return;
    const sum = createHash('sha256').update(key).update('\0').update(data).digest();
    this.set(key, Buffer.concat([sum, data]));
  }

  setJson(key: string, value: unknown): void {
    this.set(key, JSON.stringify({ key, value }));
  }

  /**
   * A JSON entry stored with a checksum: what is read back is exactly what
   * this code wrote under this key, or a miss (for large entries whose shape
   * would be slow to check field by field).
   */
  getJsonChecked<T>(key: string): T | undefined {
    const b = this.getChecked(key);
    if (!b) return undefined;
    try {
      return JSON.parse(b.toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }

  setJsonChecked(key: string, value: unknown): void {
    if (!this.enabled) return;
    this.setChecked(key, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  /** Keep the newest half when the folder holds maxFiles entries or more. */
  private prune(): void {
    const names = fs.readdirSync(this.dir);
    if (names.length < this.maxFiles) {
      this.names = new Set(names);
      return;
    }
    const aged = names.map((n) => {
      try {
        return { n, t: fs.statSync(path.join(this.dir, n)).mtimeMs };
      } catch {
        return { n, t: 0 };
      }
    });
    aged.sort((a, b) => a.t - b.t);
    for (const { n } of aged.slice(0, aged.length - Math.floor(this.maxFiles / 2))) fs.rmSync(path.join(this.dir, n), { force: true });
    this.names = undefined; // listed again on the next lookup
  }
}
