/**
 * Provenance: where every figure printed in the report comes from.
 *
 * Tracing works at the Decimal level, so derive and compose need not know
 * about it. While a traced build runs (never in a normal build):
 *  - validation reports each parsed amount with its key path and place
 *    (traceHooks.input) — the inputs;
 *  - Decimal.prototype arithmetic (plus, minus, times, div, neg, abs,
 *    toDecimalPlaces and their aliases) is wrapped to record, for each result,
 *    the operation and its operands — a DAG of derived values;
 *  - number formatting (plain / grouped) reports each Decimal it turns into
 *    text (traceHooks.display), in order.
 * The printed figures of the document are then linked to those display events:
 * a table's figures are found as one contiguous run of events (cells are
 * composed row by row), the sentences' figures in document order.
 */
import Decimal from 'decimal.js';
import { Location } from '../errors';
import { audit, Finding } from '../audit/rules';
import { composeDocument } from '../compose/document';
import { deriveFacts } from '../derive/facts';
import { ReportDocument } from '../document/types';
import { AuditError, Built } from '../pipeline';
import { readFileSync } from 'fs';
import { loadSource, parseSource } from '../source/load';
import type { Source } from '../source/load';
import { traceHooks } from '../trace-hooks';
import { validateSource } from '../validate/model';
import { tableCells, tableName } from './units';

type Op = 'plus' | 'minus' | 'times' | 'div' | 'neg' | 'abs' | 'round';
type Rec = { op: 'input'; path: string; loc?: Location } | { op: Op; self: Decimal; args: unknown[] };

const METHODS: Record<string, Op> = {
  plus: 'plus', add: 'plus', minus: 'minus', sub: 'minus', times: 'times', mul: 'times', div: 'div', dividedBy: 'div',
  neg: 'neg', negated: 'neg', abs: 'abs', absoluteValue: 'abs', toDecimalPlaces: 'round', toDP: 'round',
};

/** Run `fn` with Decimal arithmetic and the trace hooks recording; everything is restored afterwards. */
function recording<T>(fn: (recs: WeakMap<Decimal, Rec>, events: Array<{ d: Decimal; text: string }>, setDisplay: (on: boolean) => void) => T): T {
  const recs = new WeakMap<Decimal, Rec>();
  const events: Array<{ d: Decimal; text: string }> = [];
  const P = Decimal.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const saved = Object.keys(METHODS).map((name) => [name, P[name]] as const);
  for (const [name, orig] of saved) {
    const op = METHODS[name];
    P[name] = function (this: Decimal, ...args: unknown[]) {
      const r = orig.apply(this, args);
      if (r instanceof Decimal && r !== this) recs.set(r, { op, self: this, args });
      return r;
    };
  }
  const before = { ...traceHooks };
  traceHooks.input = (d, path, loc) => recs.set(d, { op: 'input', path, loc });
  try {
    return fn(recs, events, (on) => { traceHooks.display = on ? (d, text) => events.push({ d, text }) : undefined; });
  } finally {
    for (const [name, orig] of saved) P[name] = orig;
    traceHooks.input = before.input;
    traceHooks.display = before.display;
  }
}

// ───────────────────────── trace file ─────────────────────────

export interface TraceNode {
  op: 'input' | 'const' | Op;
  /** Exact value. */
  value: string;
  /** Operands: node ids (numbers) or literal arguments (strings, e.g. decimal places). */
  args?: Array<number | string>;
  path?: string;
  file?: string;
  line?: number;
  col?: number;
}

export interface TraceFigure {
  /** As printed: "310.80%", "12,106.76". */
  text: string;
  kind: 'sentence' | 'cell';
  part: string;
  /** Sentence figures: the section headings and the sentence. */
  section?: string;
  sentence?: string;
  /** Cell figures. */
  table?: string;
  row?: string;
  col?: string;
  /** Words for the figure: the text before it in its sentence, or "表 行 列". */
  label: string;
  /** Root node id; undefined when the figure is part of a typed text (not computed). */
  node?: number;
}

export interface TraceFile {
  /** The data file the report was built from. */
  file: string;
  figures: TraceFigure[];
  nodes: TraceNode[];
}

/** A printed figure: two decimals, optional thousands separators and %. */
export const FIGURE = /-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}%?/g;

function labelBefore(sentence: string, index: number): string {
  const before = sentence.slice(0, index);
  const cut = Math.max(...'，。；：（）,;:'.split('').map((c) => before.lastIndexOf(c)));
  return before.slice(cut + 1).replace(/(为|是|了|达|约)$/, '').trim();
}

function link(doc: ReportDocument, recs: WeakMap<Decimal, Rec>, rawEvents: Array<{ d: Decimal; text: string }>, file: string): TraceFile {
  // A cell's text is formatted twice (text and amount.text): collapse repeats of the same Decimal.
  // (pairwise, so two cells showing the same constant, e.g. ZERO, stay two events).
  const events: Array<{ d: Decimal; text: string }> = [];
  for (let i = 0; i < rawEvents.length; i++) {
    events.push(rawEvents[i]);
    if (i + 1 < rawEvents.length && rawEvents[i + 1].d === rawEvents[i].d && rawEvents[i + 1].text === rawEvents[i].text) i++;
  }
  const used = new Array<boolean>(events.length).fill(false);
  const figures: Array<TraceFigure & { d?: Decimal }> = [];
  const num = (t: string) => t.replace(/%$/, '');

  // In document order: a table's figures as one contiguous run of events (cells are composed row by
  // row) where there is one, else each figure like a sentence's: the next unused event with its text,
  // near the last match, else anywhere; a figure with no event at all is part of a typed text.
  let ptr = 0;
  const take = (want: string): Decimal | undefined => {
    let j = -1;
    for (let i = ptr, seen = 0; i < events.length && seen < 200; i++) {
      if (used[i]) continue;
      seen++;
      if (events[i].text === want) { j = i; break; }
    }
    if (j < 0) j = events.findIndex((e, i) => !used[i] && e.text === want);
    // a figure formatted without the hook (e.g. a percent cell) shares the event of the same value printed nearby
    if (j < 0) for (let i = events.length - 1; i >= 0 && j < 0; i--) if (used[i] && events[i].text === want) j = i;
    if (j < 0) return undefined;
    used[j] = true;
    if (j >= ptr) ptr = j + 1;
    return events[j].d;
  };
  const whole = new RegExp(`^${FIGURE.source}$`);
  for (const p of doc.parts) {
    const part = `${p.label}　${p.title}`;
    const heads: string[] = [];
    for (const b of p.blocks) {
      if (b.kind === 'heading') {
        if (b.level <= 2) { heads.length = b.level - 1; heads[b.level - 1] = b.text; }
        continue;
      }
      const sentences = b.kind === 'paragraph' ? b.sentences : b.table.notes;
      if (b.kind === 'table') {
        const t = b.table;
        const cells = tableCells(t).filter((c) => whole.test(c.text));
        const want = cells.map((c) => num(c.text));
        let at = -1;
        for (let i = 0; i + want.length <= events.length && at < 0 && want.length; i++) {
          let ok = true;
          for (let k = 0; k < want.length && ok; k++) ok = !used[i + k] && events[i + k].text === want[k];
          if (ok) at = i;
        }
        cells.forEach((c, k) => {
          let d: Decimal | undefined;
          if (at >= 0) { used[at + k] = true; d = events[at + k].d; } else d = take(num(c.text));
          figures.push({ text: c.text, kind: 'cell', part, table: tableName(t), row: c.row, col: c.col, label: `${t.label ?? t.title} ${c.row} ${c.col}`, d });
        });
      }
      for (const s of sentences) {
        for (const m of s.matchAll(FIGURE)) {
          figures.push({ text: m[0], kind: 'sentence', part, section: heads.filter(Boolean).join(' · '), sentence: s, label: labelBefore(s, m.index!), d: take(num(m[0])) });
        }
      }
    }
  }
  // 3. nodes reachable from the figures, numbered depth-first
  const ids = new Map<Decimal, number>();
  const nodes: TraceNode[] = [];
  const idOf = (d: Decimal): number => {
    const known = ids.get(d);
    if (known !== undefined) return known;
    const id = nodes.length;
    ids.set(d, id);
    const r = recs.get(d);
    const n: TraceNode = { op: r ? r.op : 'const', value: d.toString() };
    nodes.push(n);
    if (r?.op === 'input') {
      n.path = r.path;
      if (r.loc) { n.file = r.loc.file; n.line = r.loc.line; n.col = r.loc.col; }
    } else if (r) {
      const operands = [r.self, ...r.args];
      n.args = operands.map((a) => (a instanceof Decimal ? idOf(a) : typeof a === 'number' || typeof a === 'string' ? String(a) : String(a)));
      if (r.op === 'round') n.args = [n.args[0], ...r.args.map(String)];
    }
    return id;
  };
  const out: TraceFigure[] = figures.map(({ d, ...f }) => (d ? { ...f, node: idOf(d) } : f));
  return { file, figures: out, nodes };
}

/** The pipeline (as buildFromModel) on a source, recorded: the Built and its trace. */
function traced(source: () => Source, file: (s: Source) => string, opts: { tolerate?: (f: Finding) => boolean } = {}): { built: Built; trace: TraceFile } {
  return recording((recs, events, setDisplay) => {
    // figures formatted while deriving (a few texts are made there) count too: display is on throughout
    setDisplay(true);
    const src = source();
    const model = validateSource(src);
    const facts = deriveFacts(model);
    const result = audit(facts);
    if (result.errors.some((f) => !opts.tolerate?.(f))) throw new AuditError(result);
    const document = composeDocument(facts, model.profile);
    setDisplay(false);
    return { built: { model, facts, audit: result, document }, trace: link(document, recs, events, file(src)) };
  });
}

/** Build from YAML text with tracing: the same Built as the pipeline, plus the trace. */
export function traceBuild(text: string, file: string, opts: { tolerate?: (f: Finding) => boolean } = {}): { built: Built; trace: TraceFile } {
  return traced(() => parseSource(text, file), () => file, opts);
}

/** Traces recorded during the real build (buildFromFileTraced), for renderTraceJson. */
const recorded = new WeakMap<Built, TraceFile>();

/**
 * buildFromFile (src/pipeline.ts) with tracing, for a build that writes
 * report.trace.json: the trace is recorded during the one pipeline run
 * instead of by a second traced run. Same Built, same errors.
 */
export function buildFromFileTraced(path: string): Built {
  const { built, trace } = traced(() => loadSource(path), (src) => src.file);
  recorded.set(built, trace);
  return built;
}

/** output/report.trace.json for a build: recorded with it, else traced again from its data file and checked to be the same report. */
export function renderTraceJson(built: Built, text?: string): string {
  const own = recorded.get(built);
  if (own) return JSON.stringify(own, null, 1) + '\n';
  const { built: again, trace } = traceBuild(text ?? readFileSync(built.model.file, 'utf8'), built.model.file);
  if (JSON.stringify(again.document) !== JSON.stringify(built.document)) throw new Error('traced build differs from the report');
  return JSON.stringify(trace, null, 1) + '\n';
}

// ───────────────────────── evaluation and words ─────────────────────────

/** Recompute a node from its inputs (values given by `inputValue`) and operations. */
export function evaluate(t: TraceFile, id: number, inputValue: (n: TraceNode) => Decimal, memo = new Map<number, Decimal>()): Decimal {
  const hit = memo.get(id);
  if (hit) return hit;
  const n = t.nodes[id];
  const arg = (i: number) => {
    const a = n.args![i];
    return typeof a === 'number' ? evaluate(t, a, inputValue, memo) : new Decimal(a);
  };
  let v: Decimal;
  switch (n.op) {
    case 'input': v = inputValue(n); break;
    case 'const': v = new Decimal(n.value); break;
    case 'plus': v = arg(0).plus(arg(1)); break;
    case 'minus': v = arg(0).minus(arg(1)); break;
    case 'times': v = arg(0).times(arg(1)); break;
    case 'div': v = arg(0).div(arg(1)); break;
    case 'neg': v = arg(0).neg(); break;
    case 'abs': v = arg(0).abs(); break;
    case 'round': {
      const dp = Number(n.args![1] ?? 0);
      v = n.args![2] !== undefined ? arg(0).toDecimalPlaces(dp, Number(n.args![2]) as Decimal.Rounding) : arg(0).toDecimalPlaces(dp);
      break;
    }
  }
  memo.set(id, v);
  return v;
}

const shown2 = (v: string) => new Decimal(v).toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toFixed(2);

export class Explainer {
  /** Labels of nodes that are printed somewhere (first place wins). */
  private labels = new Map<number, string>();
  constructor(readonly t: TraceFile) {
    for (const f of t.figures) if (f.node !== undefined && !this.labels.has(f.node)) this.labels.set(f.node, f.label);
  }

  /** Look through rounding and "0 + x". */
  private core(id: number): number {
    const n = this.t.nodes[id];
    if (n.op === 'round' && typeof n.args![0] === 'number') return this.core(n.args![0]);
    return id;
  }

  private where(n: TraceNode): string {
    return `${n.file ?? ''}:${n.line ?? '?'} ${n.path}`;
  }

  private terms(id: number, op: 'plus' | 'times'): number[] {
    const n = this.t.nodes[this.core(id)];
    if (n.op === op && !this.labels.has(this.core(id)) ) return n.args!.flatMap((a) => (typeof a === 'number' ? this.terms(a, op) : []));
    return [this.core(id)];
  }

  /** One operand in words: label, value, and where it comes from. */
  operand(id: number, expand: Set<number>): string {
    const c = this.core(id);
    const n = this.t.nodes[c];
    const label = this.labels.get(c) ?? this.labels.get(id);
    const v = shown2(this.t.nodes[id].value);
    if (n.op === 'input') return `${label ? label + ' ' : ''}${v}（${this.where(n)}）`;
    if (n.op === 'const') return Number(n.value) === 0 ? '' : n.value;
    if (label) { if (!this.labels.has(c)) this.labels.set(c, label); expand.add(c); return `${label} ${v}`; }
    return `（${this.formula(c, expand)}）`;
  }

  formula(id: number, expand: Set<number>): string {
    const c = this.core(id);
    const n = this.t.nodes[c];
    const a = (i: number) => (typeof n.args![i] === 'number' ? this.operand(n.args![i] as number, expand) : String(n.args![i]));
    switch (n.op) {
      case 'plus': {
        const parts = n.args!.flatMap((x) => (typeof x === 'number' ? this.terms(x, 'plus') : [])).map((x) => this.operand(x, expand)).filter(Boolean);
        return parts.length > 12 ? `${parts.slice(0, 10).join(' + ')} + …（共 ${parts.length} 项之和）` : parts.join(' + ');
      }
      case 'minus': return `${a(0)} − ${a(1)}`;
      case 'times': return `${a(0)} × ${a(1)}`;
      case 'div': return `${a(0)} ÷ ${a(1)}`;
      case 'neg': return `−${a(0)}`;
      case 'abs': return `|${a(0)}|`;
      case 'input': return `${this.where(n)} 的原始数据`;
      case 'const': return `常数 ${n.value}`;
      default: return a(0);
    }
  }

  /** The figure's origin in words, expanding labelled derived operands one level at a time. */
  explain(f: TraceFigure): string[] {
    const where = f.kind === 'cell' ? `${f.part} · ${f.table}` : `${f.part}${f.section ? ' · ' + f.section : ''}`;
    const head = `${f.label}${f.kind === 'cell' ? ' ' : ''}${f.text}（${where}）`;
    if (f.node === undefined) return [`${head}：不是计算结果，是 data.yaml 中填写的文字的一部分`];
    const n = this.t.nodes[this.core(f.node)];
    if (n.op === 'input') return [`${head} = ${this.where(n)} 填写的数 ${n.value}`];
    if (n.op === 'const') return [`${head} = ${Number(n.value) === 0 ? 'data.yaml 中未填写，按 0 计' : `常数 ${n.value}`}`];
    const lines: string[] = [];
    const expand = new Set<number>();
    lines.push(`${head} = ${this.formula(f.node, expand)}`);
    const done = new Set<number>([this.core(f.node)]);
    // one level of the labelled operands (a figure printed elsewhere: explain it there for more)
    for (const x of [...expand]) {
      if (done.has(x) || lines.length > 8) continue;
      done.add(x);
      const formula = this.formula(x, new Set());
      if (formula) lines.push(`  其中 ${this.labels.get(x)} ${shown2(this.t.nodes[x].value)} = ${formula}`);
    }
    return lines;
  }

  /** Inputs a node depends on. */
  inputs(id: number, out = new Set<number>()): Set<number> {
    const n = this.t.nodes[id];
    if (n.op === 'input') out.add(id);
    for (const a of n.args ?? []) if (typeof a === 'number') this.inputs(a, out);
    return out;
  }
}
