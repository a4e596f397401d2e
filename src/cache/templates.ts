/**
 * A disk cache of compiled Handlebars templates, so a cold process does not
 * parse and generate code for every template again (≈ 200 ms of a 400 ms
 * `check`). Generic: it knows nothing of where templates live, only their text.
 *
 * The key is the SHA-256 of the Handlebars version, the compile options and
 * the template text, so an edited template, other options or another
 * Handlebars give another entry; stale entries are never read. An entry holds
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

/** Drop-in for `hb.compile(source, options)`. */
export function compileTemplate(hb: Env, source: string, options: CompileOptions): HandlebarsTemplateDelegate {
  if (!cacheEnabled()) return hb.compile(source, options);
  const key = createHash('sha256').update(`handlebars ${hb.VERSION}\0${JSON.stringify(options)}\0${source}`).digest('hex');
  const file = path.join(cacheDir('templates'), `${key}.js`);
  let spec: string | undefined;
  try {
    spec = fs.readFileSync(file, 'utf8');
  } catch {
    spec = undefined;
  }
  if (spec === undefined) {
    // Throws on a syntax error, as hb.compile does on first use; nothing is cached then.
    spec = hb.precompile(source, options) as string;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      fs.writeFileSync(tmp, spec);
      fs.renameSync(tmp, file);
    } catch {
      /* read-only install: no cache */
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const templateSpec = new Function(`return ${spec};`)() as { compilerOptions?: unknown };
  // hb.compile keeps its options on the spec, and partials called from the
  // template are compiled with them (noEscape, strict); a precompiled string
  // does not carry them, so they are put back.
  templateSpec.compilerOptions = { data: true, ...options };
  return hb.template(templateSpec as unknown as TemplateSpecification);
}
