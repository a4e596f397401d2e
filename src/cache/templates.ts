/**
 * A disk cache of compiled Handlebars templates, so a cold process does not
 * parse and generate code for every template again (≈ 200 ms of a 400 ms
 * `check`). Generic: it knows nothing of where templates live, only their text.
 *
 * An entry is named by a 53-bit hash of the Handlebars version, the compile
 * options and the template text, and stores that whole key text next to the
 * code: an entry is used only when its stored key equals the wanted one, so an
 * edited template, other options or another Handlebars never read a stale or
 * colliding entry; the code is stored with its SHA-256, so a corrupt or
 * truncated entry is recompiled, never run. An entry holds
 * what `Handlebars.precompile` returns for exactly that text — the same code
 * `Handlebars.compile` generates in memory — so outputs are byte-identical
 * with or without the cache (tests/speed.test.ts builds both ways).
 *
 * Entries live in node_modules/.cache/juesuan-report/templates/ (the usual
 * place for tool caches; `npm ci` empties it). JUESUAN_CACHE=off turns the
 * cache off; JUESUAN_CACHE_DIR moves it. A cache that cannot be written is
 * skipped silently: it only saves time.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type Handlebars from 'handlebars';
import { projectRoot } from '../paths';

type Env = typeof Handlebars;

export function cacheEnabled(): boolean {
  return process.env.JUESUAN_CACHE !== 'off';
}

export function cacheDir(kind: string): string {
  const base = process.env.JUESUAN_CACHE_DIR || path.join(projectRoot(), 'node_modules', '.cache', 'juesuan-report');
  return path.join(base, kind);
}

/** cyrb53: a fast 53-bit string hash (file names only; entries are verified by their full key). */
function hash53(str: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

const SEP = '\n//--- compiled template ---\n';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Drop-in for `hb.compile(source, options)`. */
export function compileTemplate(hb: Env, source: string, options: CompileOptions): HandlebarsTemplateDelegate {
  if (!cacheEnabled()) return hb.compile(source, options);
  const key = `handlebars ${hb.VERSION}\0${JSON.stringify(options)}\0${source}`;
  // "-2": entries with the code's SHA-256; an older toolkit sharing node_modules reads only its own names.
  const file = path.join(cacheDir('templates'), `${hash53(key)}-${source.length}-2.js`);
  let spec: string | undefined;
  try {
    const entry = fs.readFileSync(file, 'utf8');
    const at = entry.indexOf(SEP);
    // The stored key is JSON on the first line(s) before the separator, then the code's SHA-256 on one line, then the code.
    if (at > 0 && JSON.parse(entry.slice(0, at)) === key) {
      const body = entry.slice(at + SEP.length);
      const nl = body.indexOf('\n');
      if (nl === 64 && sha256(body.slice(nl + 1)) === body.slice(0, nl)) spec = body.slice(nl + 1);
    }
  } catch {
    spec = undefined;
  }
  if (spec === undefined) {
    // Throws on a syntax error, as hb.compile does on first use; nothing is cached then.
    spec = hb.precompile(source, options) as string;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(key) + SEP + sha256(spec) + '\n' + spec);
      fs.renameSync(tmp, file);
    } catch {
      /* read-only install: no cache */
    }
  }
  // The bundled command line keeps V8's code cache of the template's code (scripts/bundle-stub.js);
  // elsewhere it is compiled as Handlebars.compile would. Both evaluate the same text in the global scope.
  const cached = (globalThis as Record<symbol, unknown>)[Symbol.for('juesuan.compileCached')] as
    | ((filename: string, text: string) => { runInThisContext(): unknown })
    | undefined;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const templateSpec = (cached ? cached(file, `(${spec})`).runInThisContext() : new Function(`return ${spec};`)()) as { compilerOptions?: unknown };
  // hb.compile keeps its options on the spec, and partials called from the
  // template are compiled with them (noEscape, strict); a precompiled string
  // does not carry them, so they are put back.
  templateSpec.compilerOptions = { data: true, ...options };
  return hb.template(templateSpec as unknown as TemplateSpecification);
}
