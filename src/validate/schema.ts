/**
 * A small schema language for data.yaml. Each validator reads one YAML node, and
 * either returns a typed value or records a located problem (in Chinese) and
 * returns undefined. Unknown keys are errors: a typo must never drop a figure.
 */
import Decimal from 'decimal.js';
import { isAlias, isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { Location, Problem } from '../errors';
import { keyText, nodeLoc, Source, sourceText } from '../source/load';
import { charName } from '../source/text-checks';
import { traceHooks } from '../trace-hooks';

export interface Ctx {
  src: Source;
  problems: Problem[];
  /** Location of every key path read, for located findings later. */
  locs: Map<string, Location>;
  /** Aliases (*name) resolved so far; a cap keeps an alias bomb harmless. */
  aliases?: number;
}

/** Most aliases one file may use; a real data.yaml needs a handful. */
export const MAX_ALIASES = 1000;

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Problems found in what an alias (*name) stands for are reported where the
 * alias is used, saying where its anchor is (the path already names the use).
 */
function viaAlias(ctx: Ctx, used: unknown, target: unknown, from: number): void {
  if (!isAlias(used)) return;
  const at = nodeLoc(ctx.src, used);
  const anchor = nodeLoc(ctx.src, target);
  for (const p of ctx.problems.slice(from)) {
    if (p.loc && anchor && p.loc.line === anchor.line && p.loc.col === anchor.col) {
      p.loc = at ?? p.loc;
      p.message += `（别名 *${used.source} 指向第 ${anchor.line} 行的内容）`;
    }
  }
}

/** An alias (*name) stands for the node its anchor (&name) marks. */
export function deref(node: unknown, path: string, ctx: Ctx): unknown {
  if (!isAlias(node)) return node;
  ctx.aliases = (ctx.aliases ?? 0) + 1;
  if (ctx.aliases > MAX_ALIASES) {
    if (ctx.aliases === MAX_ALIASES + 1) fail(ctx, node, path, `别名（*${node.source}）使用过多（超过 ${MAX_ALIASES} 次）：请把内容直接写出`);
    return undefined;
  }
  const target = node.resolve(ctx.src.doc);
  if (target === undefined) return fail(ctx, node, path, `别名 *${node.source} 找不到对应的锚点 &${node.source}`);
  return target;
}

function track(ctx: Ctx, path: string, node: unknown): void {
  const l = nodeLoc(ctx.src, node);
  if (l) ctx.locs.set(path, l);
}

export type V<T> = (node: unknown, path: string, ctx: Ctx) => T | undefined;

/**
 * JSON Schema descriptors, registered by the combinators below on the validator
 * they return, so data.schema.json is generated from these same definitions
 * (src/review/json-schema.ts) instead of being written a second time.
 */
export type JsonSchema = Record<string, unknown>;
const SCHEMAS = new WeakMap<object, JsonSchema>();
/** Attach a JSON Schema descriptor to a validator (or a key check); returns it. */
export function withSchema<F extends object>(v: F, schema: JsonSchema): F {
  SCHEMAS.set(v, schema);
  return v;
}
/** The descriptor of a validator ({} when it has none: anything is allowed). */
export const schemaOf = (v: object): JsonSchema => SCHEMAS.get(v) ?? {};
const AMOUNT_PATTERN = (dec: number) => `^-?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d{1,${dec}})?$`;

export function fail(ctx: Ctx, node: unknown, path: string, message: string): undefined {
  ctx.problems.push({ loc: nodeLoc(ctx.src, node), path, message });
  return undefined;
}

function describe(node: unknown): string {
  if (node === null || node === undefined) return '空值';
  if (isAlias(node)) return `别名 *${node.source}`;
  if (isMap(node)) return '一组键值（映射）';
  if (isSeq(node)) return '一个列表';
  if (isScalar(node)) {
    const v = (node as Scalar).value;
    if (v === null) return '空值';
    return `“${String(v)}”`;
  }
  return String(node);
}

const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** A stray tab inside a text is harmless: it reads as a space (the one normalisation done). */
function anyText(node: unknown, path: string, ctx: Ctx): string | undefined {
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value.replace(/\t/g, ' ').trim();
  if (isScalar(node) && (typeof node.value === 'number') && node.source !== undefined)
    return fail(ctx, node, path, `应为文字，实际为数字 ${describe(node)}；如确为文字请加引号`);
  return fail(ctx, node, path, `应为一段不为空的文字，实际为${describe(node)}`);
}

/** A short text (a title, a name): one line. */
export const str: V<string> = withSchema<V<string>>((node, path, ctx) => {
  const s = anyText(node, path, ctx);
  if (s !== undefined && /[\r\n]/.test(s))
    return fail(ctx, node, path, `标题、名称等短文字不能换行，实际为“${s.split(/\r?\n/)[0]}……”分成了 ${s.split(/\r?\n/).length} 行：请写在一行内（不要用 | 或 > 写法）`);
  return s;
}, { type: 'string', minLength: 1 });

/** A multi-line text: kept as is, trailing newline removed. */
export const text: V<string> = withSchema<V<string>>((node, path, ctx) => {
  const s = anyText(node, path, ctx);
  // Folded lines are joined without spaces (Chinese text); a trailing 。 is dropped
  // because templates add the sentence's own punctuation.
  if (s === undefined) return undefined;
  return s
    .replace(/\s*\n\s*/g, '')
    // folded YAML (>-) joins lines with a space: no space belongs next to Chinese text
    .replace(/\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])|(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’])\s+/g, '')
    .replace(/[。；，]+$/, '');
}, { type: 'string', minLength: 1, description: '一段文字（可用 >- 折行书写；句末的“。”可不写）' });

export const int: V<number> = withSchema<V<number>>((node, path, ctx) => {
  if (isScalar(node)) {
    // a quoted integer ("2023") is the same integer
    const t = sourceText(ctx.src, node as Node).trim().replace(/^(['"])(.*)\1$/, '$2').trim();
    if (/^\d{1,15}$/.test(t)) return Number(t);
  }
  return fail(ctx, node, path, `应为不带小数的非负整数，实际为${describe(node)}`);
}, { type: 'integer', minimum: 0 });

export const bool: V<boolean> = withSchema<V<boolean>>((node, path, ctx) => {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  return fail(ctx, node, path, `应为 true 或 false，实际为${describe(node)}`);
}, { type: 'boolean' });

/** An amount, parsed from the scalar's source text into a Decimal. */
export function money(maxDecimals = 6, unitName?: string): V<Decimal> {
  return withSchema<V<Decimal>>((node, path, ctx) => {
    if (!isScalar(node) || node.value === null) return fail(ctx, node, path, `应为金额（如 20624.94），实际为${describe(node)}`);
    let t: string;
    if (node.type === Scalar.PLAIN) t = sourceText(ctx.src, node as Node).trim();
    else if (typeof node.value === 'string') t = node.value.trim();
    else t = sourceText(ctx.src, node as Node).trim();
    const m = /^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(t);
    if (!m) return fail(ctx, node, path, `应为金额（数字，可带千分位逗号，如 20,624.94），实际为“${t}”${amountHint(t)}`);
    if (m[3] && m[3].length > maxDecimals)
      return fail(ctx, node, path, maxDecimals === 2 && unitName
        ? `以${unitName}为单位的金额最多两位小数，实际为“${t}”：请按财务软件打印的${unitName}数填写${unitName === '万元' ? '（如需精确到元，请把 report.unit 改为“元”并按元填写）' : ''}`
        : `金额最多 ${maxDecimals} 位小数，实际为“${t}”`);
    const d = new Decimal(m[1] + m[2].replace(/,/g, '') + (m[3] ? '.' + m[3] : ''));
    traceHooks.input?.(d, path, nodeLoc(ctx.src, node));
    return d;
  }, {
    description: `金额（最多 ${maxDecimals} 位小数，可带千分位逗号，带逗号时加引号，如 "20,624.94"）`,
    anyOf: [{ type: 'number' }, { type: 'string', pattern: AMOUNT_PATTERN(maxDecimals) }],
  });
}

/** What is wrong with a text that is not an amount, when it is a common slip. */
function amountHint(t: string): string {
  const hints: string[] = [];
  if (/[０-９．，]/.test(t)) hints.push('金额请用半角数字、半角小数点和逗号');
  if (/。/.test(t)) hints.push('小数点请用半角“.”，不要用句号');
  if (/万元|元/.test(t)) hints.push('不要写单位（单位统一见 report.unit）');
  if (/[￥¥$]/.test(t)) hints.push('不要写货币符号');
  if (/%/.test(t)) hints.push('这里应填金额，不是百分比');
  if (/^[（(].*[)）]$/.test(t)) hints.push('不要用括号表示负数');
  if (/\d,\d{1,2}$/.test(t) && !/\./.test(t)) hints.push('小数点请用“.”，不要用逗号');
  else if (/,/.test(t) && !/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) hints.push('千分位逗号应每三位一个（如 1,234,567.89），或干脆不写逗号');
  if (/\d\.\d*\./.test(t)) hints.push('有两个小数点');
  if (/[eE][+-]?\d/.test(t)) hints.push('不要用科学计数法');
  const odd = [...t].find((c) => /[\s\u00a0\u3000]/.test(c));
  if (odd) hints.push(`其中有空白字符 ${charName(odd.codePointAt(0)!)}，请删除`);
  return hints.length ? `：${hints.join('；')}` : '';
}

/** A percentage threshold such as 10 (meaning 10%). */
export const percent: V<Decimal> = withSchema<V<Decimal>>((node, path, ctx) => {
  const d = money(4)(node, path, ctx);
  if (d && (d.isNegative() || d.greaterThan(100))) return fail(ctx, node, path, `应为 0 到 100 之间的百分数（不带 % 号），实际为 ${d.toString()}`);
  return d;
}, { type: 'number', minimum: 0, maximum: 100, description: '百分数（0 到 100，不带 % 号，如 10 表示 10%）' });

export const isoDate: V<string> = withSchema<V<string>>((node, path, ctx) => {
  if (isScalar(node)) {
    const t = sourceText(ctx.src, node as Node).trim().replace(/^['"]|['"]$/g, '');
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
    if (m) {
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1]) return t;
    }
  }
  return fail(ctx, node, path, `应为日期，格式 YYYY-MM-DD（如 2024-06-28），实际为${describe(node)}`);
}, { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: '日期，格式 YYYY-MM-DD（如 2024-06-28）' });

/** A year-month "YYYY-MM". */
export const yearMonth: V<string> = withSchema<V<string>>((node, path, ctx) => {
  if (isScalar(node)) {
    const t = sourceText(ctx.src, node as Node).trim().replace(/^['"]|['"]$/g, '');
    const m = /^(\d{4})-(\d{2})$/.exec(t);
    if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return t;
  }
  return fail(ctx, node, path, `应为年月，格式 YYYY-MM（如 2024-03），实际为${describe(node)}`);
}, { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: '年月，格式 YYYY-MM（如 2024-03）' });

export function oneOf<T extends string>(values: readonly T[]): V<T> {
  return withSchema<V<T>>((node, path, ctx) => {
    if (isScalar(node) && values.includes(String(node.value) as T)) return String(node.value) as T;
    return fail(ctx, node, path, `应为以下之一：${values.join('、')}；实际为${describe(node)}`);
  }, { enum: [...values, ...values.filter((x) => /^\d+$/.test(x)).map(Number)], description: `以下之一：${values.join('、')}` });
}

export function list<T>(item: V<T>, opts: { min?: number } = {}): V<T[]> {
  return withSchema<V<T[]>>((node, path, ctx) => {
    if (!isSeq(node)) return fail(ctx, node, path, `应为一个列表（每项以“- ”开头），实际为${describe(node)}`);
    const out: T[] = [];
    let ok = true;
    node.items.forEach((it0, i) => {
      track(ctx, join(path, i), it0);
      const it = deref(it0, join(path, i), ctx);
      if (it === undefined && isAlias(it0)) {
        ok = false;
        return;
      }
      const before = ctx.problems.length;
      const v = item(it, join(path, i), ctx);
      viaAlias(ctx, it0, it, before);
      if (v === undefined) ok = false;
      else out.push(v);
    });
    if (ok && opts.min !== undefined && out.length < opts.min)
      return fail(ctx, node, path, `列表至少应有 ${opts.min} 项，实际为 ${out.length} 项`);
    return ok ? out : undefined;
  }, { type: 'array', items: schemaOf(item), ...(opts.min !== undefined ? { minItems: opts.min } : {}) });
}

export interface Field<T> {
  v: V<T>;
  optional?: boolean;
  /** Chinese description used in "缺少" messages. */
  label?: string;
}
export const req = <T>(v: V<T>, label?: string): Field<T> => ({ v, label });
export const opt = <T>(v: V<T>, label?: string): Field<T | undefined> => ({ v: v as V<T | undefined>, optional: true, label });

type Out<F> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** Position of each key's value node, for later located findings. */
export const NODES = Symbol('nodes');
export type WithNodes = { [NODES]?: Record<string, unknown> };

export function obj<F extends Record<string, Field<unknown>>>(fields: F): V<Out<F> & WithNodes> {
  const properties = Object.fromEntries(Object.entries(fields).map(([k, f]) => {
    const s = schemaOf(f.v);
    const withLabel = f.label ? { ...s, description: f.label + (s.description ? `。${s.description}` : '') } : s;
    if (!f.optional) return [k, withLabel];
    // an optional key may be left empty (“key:” with no value)
    const { description, ...rest } = withLabel;
    return [k, { ...(description ? { description } : {}), anyOf: [rest, { type: 'null' }] }];
  }));
  const required = Object.entries(fields).filter(([, f]) => !f.optional).map(([k]) => k);
  return withSchema<V<Out<F> & WithNodes>>((node, path, ctx) => {
    if (!isMap(node)) return fail(ctx, node, path, `应为一组键值（映射），实际为${describe(node)}`);
    const out: Record<string, unknown> = {};
    const nodes: Record<string, unknown> = {};
    let ok = true;
    const seen = new Set<string>();
    const items = (node as YAMLMap).items as Pair[];
    for (let i = 0; i < items.length; i++) {
      const pair = items[i];
      const key = keyText(pair.key);
      seen.add(key);
      const f = own(fields, key) ? fields[key] : undefined;
      if (!f) {
        const split = splitAmount(ctx, node as YAMLMap, i);
        if (split) {
          // "{ fiscal: 16,309.89 }": the comma split the amount into a value and a key
          if (split.first) fail(ctx, split.at, join(path, split.key), split.message);
          ok = false;
          continue;
        }
        const known = Object.keys(fields);
        let hint = '';
        if (/^\d+$/.test(key)) hint = '。若这是金额中的逗号（如 16309,89），请改为小数点，或把带千分位的金额加上引号（如 "16,309.89"）';
        else if (/^[\u3000\u00a0]/.test(key)) hint = '。键名前有全角空格：YAML 只能用半角空格缩进';
        else if (key === '<<') hint = '。不支持合并键“<<”，请把内容直接写出';
        else {
          const near = known.find((k) => k.toLowerCase() === key.trim().toLowerCase() || editDistance(k, key) <= 2);
          if (near) hint = `。是否应为“${near}”？`;
        }
        fail(ctx, pair.key, join(path, key), `未知的键“${key}”。此处允许的键：${known.join('、')}${hint}`);
        ok = false;
        continue;
      }
      const value = deref(pair.value, join(path, key), ctx);
      if (value === undefined && isAlias(pair.value)) {
        ok = false;
        continue;
      }
      nodes[key] = value;
      const empty = value === null || value === undefined || (isScalar(value) && value.value === null);
      track(ctx, join(path, key), empty ? pair.key : pair.value);
      if (empty && f.optional) continue;
      const before = ctx.problems.length;
      const v = f.v(value, join(path, key), ctx);
      // an empty value has no position of its own (or that of a trailing comment): point at its key
      if (empty) for (const p of ctx.problems.slice(before)) p.loc = nodeLoc(ctx.src, pair.key) ?? p.loc;
      viaAlias(ctx, pair.value, value, before);
      if (v === undefined) ok = false;
      else out[key] = v;
    }
    for (const [key, f] of Object.entries(fields)) {
      if (!f.optional && !seen.has(key)) {
        fail(ctx, node, path, `缺少必填项“${key}”${f.label ? `（${f.label}）` : ''}`);
        ok = false;
      }
    }
    if (!ok) return undefined;
    Object.defineProperty(out, NODES, { value: nodes, enumerable: false });
    return out as Out<F> & WithNodes;
  }, { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false });
}

/** An ordered map with validated keys; returns entries in source order. */
export function entries<T>(key: (k: string, keyNode: unknown, path: string, ctx: Ctx) => boolean, value: V<T>): V<Array<{ key: string; value: T; node: unknown }>> {
  return withSchema<V<Array<{ key: string; value: T; node: unknown }>>>((node, path, ctx) => {
    if (!isMap(node)) return fail(ctx, node, path, `应为一组键值（映射），实际为${describe(node)}`);
    const out: Array<{ key: string; value: T; node: unknown }> = [];
    let ok = true;
    const items = (node as YAMLMap).items as Pair[];
    for (let i = 0; i < items.length; i++) {
      const pair = items[i];
      const k = keyText(pair.key);
      const split = splitAmount(ctx, node as YAMLMap, i);
      if (split) {
        if (split.first) fail(ctx, split.at, join(path, split.key), split.message);
        ok = false;
        continue;
      }
      if (!key(k, pair.key, join(path, k), ctx)) {
        ok = false;
        continue;
      }
      track(ctx, join(path, k), pair.value ?? pair.key);
      const val = deref(pair.value, join(path, k), ctx);
      if (val === undefined && isAlias(pair.value)) {
        ok = false;
        continue;
      }
      const before = ctx.problems.length;
      const v = value(val, join(path, k), ctx);
      if (val === null || (isScalar(val) && val.value === null)) for (const p of ctx.problems.slice(before)) p.loc = nodeLoc(ctx.src, pair.key) ?? p.loc;
      viaAlias(ctx, pair.value, val, before);
      if (v === undefined) ok = false;
      else out.push({ key: k, value: v, node: val });
    }
    return ok ? out : undefined;
  }, { type: 'object', additionalProperties: schemaOf(value), ...(SCHEMAS.has(key) ? { propertyNames: schemaOf(key) } : {}) });
}

export function codeKey(pattern: RegExp, what: string) {
  return withSchema((k: string, keyNode: unknown, path: string, ctx: Ctx): boolean => {
    if (pattern.test(k)) return true;
    fail(ctx, keyNode, path, `应为${what}，实际为“${k}”`);
    return false;
  }, { pattern: pattern.source, description: what });
}

/**
 * In a flow mapping ({ a: 1 }) a comma separates entries, so "16,309.89" reads
 * as the value 16 and a key "309.89" with no value, and "16309,89" as 16309 and
 * a key "89". Recognise that at pair `i` (the key without a value) and explain it
 * once, at the amount's start.
 */
function splitAmount(ctx: Ctx, map: YAMLMap, i: number): { key: string; at: unknown; message: string; first: boolean } | undefined {
  if (!map.flow || i === 0) return undefined;
  const pair = map.items[i] as Pair;
  if (!isScalar(pair.key) || pair.key.type !== Scalar.PLAIN || !(pair.value === null || (isScalar(pair.value) && pair.value.value === null))) return undefined;
  if (!/^\d+(\.\d+)?$/.test(sourceText(ctx.src, pair.key as Node))) return undefined;
  // walk back to the pair that holds the amount's first digits
  let j = i - 1;
  while (j > 0) {
    const p = map.items[j] as Pair;
    if (!(isScalar(p.key) && /^\d+$/.test(sourceText(ctx.src, p.key as Node)) && (p.value === null || (isScalar(p.value) && p.value.value === null)))) break;
    j--;
  }
  const head = map.items[j] as Pair;
  if (!isScalar(head.value) || head.value.type !== Scalar.PLAIN || !/^-?\d+$/.test(sourceText(ctx.src, head.value as Node))) return undefined;
  const start = (head.value as Node).range![0];
  const end = (pair.key as Node).range![1];
  const whole = ctx.src.text.slice(start, end).replace(/\s+/g, '');
  const key = keyText(head.key);
  const thousands = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(whole);
  const message = thousands
    ? `金额“${whole}”中的千分位逗号在 { } 里会被当作分隔符，金额被拆开了：请去掉逗号（写成 ${whole.replace(/,/g, '')}），或给金额加引号（"${whole}"）`
    : `金额“${whole}”中的逗号在 { } 里会被当作分隔符，金额被拆开了：小数点请用“.”（如 ${whole.replace(/,(\d{1,2})$/, '.$1')}），千分位逗号请去掉`;
  return { key, at: head.value, message, first: i === map.items.length - 1 || !isSplitTail(ctx, map, i + 1) };
}

function isSplitTail(ctx: Ctx, map: YAMLMap, i: number): boolean {
  const p = map.items[i] as Pair | undefined;
  return !!p && isScalar(p.key) && p.key.type === Scalar.PLAIN && /^\d+(\.\d+)?$/.test(sourceText(ctx.src, p.key as Node)) && (p.value === null || (isScalar(p.value) && p.value.value === null));
}

/** Levenshtein distance, for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  let prev = Array.from({ length: y.length + 1 }, (_, k) => k);
  for (let i = 1; i <= x.length; i++) {
    const cur = [i];
    for (let k = 1; k <= y.length; k++) cur[k] = Math.min(prev[k] + 1, cur[k - 1] + 1, prev[k - 1] + (x[i - 1] === y[k - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[y.length];
}
