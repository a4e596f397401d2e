/**
 * A small schema language for data.yaml. Each validator reads one YAML node, and
 * either returns a typed value or records a located problem (in Chinese) and
 * returns undefined. Unknown keys are errors: a typo must never drop a figure.
 */
import Decimal from 'decimal.js';
import { isMap, isScalar, isSeq, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { Location, Problem } from '../errors';
import { nodeLoc, Source, sourceText } from '../source/load';
import { traceHooks } from '../trace-hooks';

export interface Ctx {
  src: Source;
  problems: Problem[];
  /** Location of every key path read, for located findings later. */
  locs: Map<string, Location>;
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

export const str: V<string> = withSchema<V<string>>((node, path, ctx) => {
  if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value.trim();
  if (isScalar(node) && (typeof node.value === 'number') && node.source !== undefined)
    return fail(ctx, node, path, `应为文字，实际为数字 ${describe(node)}；如确为文字请加引号`);
  return fail(ctx, node, path, `应为一段不为空的文字，实际为${describe(node)}`);
}, { type: 'string', minLength: 1 });

/** A multi-line text: kept as is, trailing newline removed. */
export const text: V<string> = withSchema<V<string>>((node, path, ctx) => {
  const s = str(node, path, ctx);
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
    const t = sourceText(ctx.src, node as Node).trim();
    if (/^\d+$/.test(t)) return Number(t);
  }
  return fail(ctx, node, path, `应为不带小数的非负整数，实际为${describe(node)}`);
}, { type: 'integer', minimum: 0 });

export const bool: V<boolean> = withSchema<V<boolean>>((node, path, ctx) => {
  if (isScalar(node) && typeof node.value === 'boolean') return node.value;
  return fail(ctx, node, path, `应为 true 或 false，实际为${describe(node)}`);
}, { type: 'boolean' });

/** An amount, parsed from the scalar's source text into a Decimal. */
export function money(maxDecimals = 6): V<Decimal> {
  return withSchema<V<Decimal>>((node, path, ctx) => {
    if (!isScalar(node) || node.value === null) return fail(ctx, node, path, `应为金额（如 20624.94），实际为${describe(node)}`);
    let t: string;
    if (node.type === Scalar.PLAIN) t = sourceText(ctx.src, node as Node).trim();
    else if (typeof node.value === 'string') t = node.value.trim();
    else t = sourceText(ctx.src, node as Node).trim();
    const m = /^(-?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(t);
    if (!m) return fail(ctx, node, path, `应为金额（数字，可带千分位逗号，如 20,624.94），实际为“${t}”`);
    if (m[3] && m[3].length > maxDecimals)
      return fail(ctx, node, path, `金额最多 ${maxDecimals} 位小数，实际为“${t}”`);
    const d = new Decimal(m[1] + m[2].replace(/,/g, '') + (m[3] ? '.' + m[3] : ''));
    traceHooks.input?.(d, path, nodeLoc(ctx.src, node));
    return d;
  }, {
    description: `金额（最多 ${maxDecimals} 位小数，可带千分位逗号，带逗号时加引号，如 "20,624.94"）`,
    anyOf: [{ type: 'number' }, { type: 'string', pattern: AMOUNT_PATTERN(maxDecimals) }],
  });
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
    node.items.forEach((it, i) => {
      track(ctx, join(path, i), it);
      const v = item(it, join(path, i), ctx);
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
    for (const pair of (node as YAMLMap).items as Pair[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      seen.add(key);
      const f = fields[key];
      if (!f) {
        const known = Object.keys(fields);
        const hint = /^\d+$/.test(key) ? '。若这是金额中的逗号（如 16309,89），请改为小数点，或把带千分位的金额加上引号（如 "16,309.89"）' : '';
        fail(ctx, pair.key, join(path, key), `未知的键“${key}”。此处允许的键：${known.join('、')}${hint}`);
        ok = false;
        continue;
      }
      nodes[key] = pair.value;
      track(ctx, join(path, key), pair.value ?? pair.key);
      if ((pair.value === null || (isScalar(pair.value) && pair.value.value === null)) && f.optional) continue;
      const v = f.v(pair.value, join(path, key), ctx);
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
    for (const pair of (node as YAMLMap).items as Pair[]) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!key(k, pair.key, join(path, k), ctx)) {
        ok = false;
        continue;
      }
      track(ctx, join(path, k), pair.value ?? pair.key);
      const v = value(pair.value, join(path, k), ctx);
      if (v === undefined) ok = false;
      else out.push({ key: k, value: v, node: pair.value });
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
