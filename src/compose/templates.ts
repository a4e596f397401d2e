/**
 * Handlebars environment for the report wording of one profile. Helpers only
 * format (amounts, percentages, lists, numbering); every decision is already a
 * fact. Templates and partials come from the profile folder; they are compiled
 * once per profile.
 */
import Decimal from 'decimal.js';
import Handlebars from 'handlebars';
import { plain, pct } from '../format/number';
import { InputError } from '../errors';
import { Profile, TemplateFile } from '../profile/load';

const CN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1 → 一, 12 → 十二, 20 → 二十, 26 → 二十六 */
export function chineseNumber(n: number): string {
  if (n <= 10) return CN[n];
  if (n < 20) return '十' + CN[n - 10];
  const t = Math.floor(n / 10);
  const u = n % 10;
  return CN[t] + '十' + (u ? CN[u] : '');
}

/** A helper given the wrong kind of value: reported with the template's location. */
export class TemplateHelperError extends Error {
  constructor(public readonly helper: string, public readonly found: string, public readonly line?: number, public readonly column?: number) {
    super(`template helper ${helper} got ${found}`);
    this.name = 'TemplateHelperError';
  }
}

interface HelperOptions { loc?: { start: { line: number; column: number } } }
const describe = (v: unknown): string =>
  v === undefined ? '空值（该字段在本数据中没有值）' : v === null ? '空值' : typeof v === 'string' ? `文字“${v}”` : typeof v === 'number' ? `数字 ${v}` : Array.isArray(v) ? '一个列表' : '一组字段';

function asDecimal(v: unknown, helper: string, options: HelperOptions): Decimal {
  if (v instanceof Decimal) return v;
  throw new TemplateHelperError(helper, describe(v), options?.loc?.start.line, options?.loc?.start.column);
}

export const HELPERS = ['money', 'pct', 'join', 'cn', 'no', 'add', 'last'] as const;

export interface TemplateEnv {
  profile: Profile;
  hb: typeof Handlebars;
  compiled: Map<string, HandlebarsTemplateDelegate>;
}

const envs = new WeakMap<Profile, TemplateEnv>();

export function createEnv(profile: Profile): TemplateEnv {
  const hit = envs.get(profile);
  if (hit) return hit;
  const hb = Handlebars.create();
  hb.registerHelper('money', (v: unknown, o: HelperOptions) => plain(asDecimal(v, 'money', o)));
  hb.registerHelper('pct', (v: unknown, o: HelperOptions) => pct(asDecimal(v, 'pct', o)));
  hb.registerHelper('join', (list: unknown, sep: unknown, o: HelperOptions) => {
    if (!Array.isArray(list)) throw new TemplateHelperError('join', describe(list), (o ?? (sep as HelperOptions))?.loc?.start.line, (o ?? (sep as HelperOptions))?.loc?.start.column);
    return (list as string[]).join(typeof sep === 'string' ? sep : '、');
  });
  hb.registerHelper('cn', (i: number) => chineseNumber(i + 1));
  hb.registerHelper('no', (i: number) => String(i + 1));
  hb.registerHelper('add', (a: number, b: number) => a + b);
  hb.registerHelper('last', (i: number, list: unknown[]) => i === list.length - 1);
  for (const [name, f] of profile.partials) hb.registerPartial(name, f.text);
  const env = { profile, hb, compiled: new Map() };
  envs.set(profile, env);
  return env;
}

export function renderTemplate(env: TemplateEnv, tpl: TemplateFile, context: unknown): string {
  let fn = env.compiled.get(tpl.name);
  if (!fn) {
    fn = env.hb.compile(tpl.text, { noEscape: true, strict: true });
    env.compiled.set(tpl.name, fn);
  }
  try {
    return fn(context);
  } catch (e) {
    throw locateRenderError(env.profile, tpl, e);
  }
}

/**
 * A template that fails while rendering (a helper given an absent value, a field
 * missing in strict mode) becomes one located message in the template file,
 * never an internal error.
 */
function locateRenderError(profile: Profile, tpl: TemplateFile, e: unknown): unknown {
  if (e instanceof TemplateHelperError) {
    const files = [tpl.file, ...[...profile.partials.values()].map((p) => p.file)];
    const site = files
      .map((f) => profile.helperSites.find((s) => s.file === f && s.helper === e.helper && s.line === e.line && s.column === e.column))
      .find(Boolean);
    const loc = { file: site?.file ?? tpl.file, line: e.line ?? 1, col: (e.column ?? 0) + 1 };
    return new InputError([{ loc, path: '', message: `模板中的 ${e.helper} 需要一个金额，实际得到${e.found}：请用 {{#if …}} 判断该值是否存在，或核对字段名` }]);
  }
  const err = e as Error & { lineNumber?: number; column?: number };
  if (err instanceof Error && err.name === 'Error' && typeof err.lineNumber === 'number') {
    return new InputError([{ loc: { file: tpl.file, line: err.lineNumber, col: (err.column ?? 0) + 1 }, path: '', message: `模板生成失败：${err.message.split('\n')[0]}` }]);
  }
  return e;
}
