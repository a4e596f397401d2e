/**
 * Handlebars environment for the report wording. Helpers only format (amounts,
 * percentages, lists, numbering); every decision is already a fact.
 */
import * as fs from 'fs';
import * as path from 'path';
import Decimal from 'decimal.js';
import Handlebars from 'handlebars';
import { plain, pct } from '../format/number';
import { projectFile } from '../paths';
import { compileTemplate } from '../cache/templates';

const CN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
/** 1 → 一, 12 → 十二, 20 → 二十, 26 → 二十六 */
export function chineseNumber(n: number): string {
  if (n <= 10) return CN[n];
  if (n < 20) return '十' + CN[n - 10];
  const t = Math.floor(n / 10);
  const u = n % 10;
  return CN[t] + '十' + (u ? CN[u] : '');
}

function asDecimal(v: unknown, helper: string): Decimal {
  if (v instanceof Decimal) return v;
  throw new Error(`template helper ${helper} expects an amount, got ${String(v)}`);
}

let env: typeof Handlebars | undefined;
const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** The shared environment (templates are read and compiled once per process). */
export function createEnv(): typeof Handlebars {
  if (env) return env;
  const hb = Handlebars.create();
  hb.registerHelper('money', (v: unknown) => plain(asDecimal(v, 'money')));
  hb.registerHelper('pct', (v: unknown) => pct(asDecimal(v, 'pct')));
  hb.registerHelper('join', (list: unknown, sep: unknown) => (list as string[]).join(typeof sep === 'string' ? sep : '、'));
  hb.registerHelper('cn', (i: number) => chineseNumber(i + 1));
  hb.registerHelper('no', (i: number) => String(i + 1));
  hb.registerHelper('add', (a: number, b: number) => a + b);
  hb.registerHelper('last', (i: number, list: unknown[]) => i === list.length - 1);
  const dir = projectFile('templates', 'partials');
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.hbs')).sort()) {
    // Compiled once, with the options every template is compiled with (the runtime would compile a
    // text partial with the calling template's options, again on every call of a template).
    hb.registerPartial(path.basename(f, '.hbs'), compileTemplate(hb, fs.readFileSync(path.join(dir, f), 'utf8'), { noEscape: true, strict: true }));
  }
  return (env = hb);
}

export function renderTemplate(hb: typeof Handlebars, name: string, context: unknown): string {
  let tpl = compiled.get(name);
  if (!tpl) {
    tpl = compileTemplate(hb, fs.readFileSync(projectFile('templates', name), 'utf8'), { noEscape: true, strict: true });
    compiled.set(name, tpl);
  }
  return tpl(context);
}
