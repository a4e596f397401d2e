/**
 * The change report: two versions of the data, each built into its document
 * model and audit findings with the current program, templates and table
 * specs, compared unit by unit — inputs (key path, old → new), sentences,
 * table cells and findings. Works only on Source/Model/ReportDocument/Finding,
 * so it does not depend on how the document is composed.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, formatLocation, formatProblem } from '../errors';
import { AuditError, Built, buildFromModel } from '../pipeline';
import { parseSource, Source } from '../source/load';
import { validateSource } from '../validate/model';
import { inputGroup, leaves } from './inputs';
import { CellUnit, documentUnits, SentenceUnit } from './units';

export interface Version {
  /** How the version is named in the report: "git 版本 HEAD~1 的 data.yaml". */
  label: string;
  /** File name used in locations ("data.yaml", "data.yaml@HEAD~1"). */
  file: string;
  text: string;
}

export interface BuiltVersion {
  version: Version;
  src?: Source;
  built?: Built;
  /** Messages when the version could not be built (bad input or audit errors). */
  failure?: string[];
}

export function buildVersion(version: Version): BuiltVersion {
  let src: Source | undefined;
  try {
    src = parseSource(version.text, version.file);
    return { version, src, built: buildFromModel(validateSource(src)) };
  } catch (e) {
    if (e instanceof InputError) return { version, src, failure: e.problems.map(formatProblem) };
    if (e instanceof AuditError) return { version, src, failure: e.result.errors.map((f) => `${formatLocation(f.loc) ? formatLocation(f.loc) + ': ' : ''}[${f.rule}] ${f.message}`) };
    throw e;
  }
}

export function fileVersion(file: string, label?: string): Version {
  const shown = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError([{ path: '', message: `无法读取数据文件 ${shown}：${(e as NodeJS.ErrnoException).code ?? String(e)}` }]);
  }
  return { label: label ?? `数据文件 ${shown}`, file: shown, text };
}

/** data.yaml as committed at a git revision (`git show REV:path`). */
export function gitVersion(rev: string, dataFile: string): Version {
  const abs = fs.realpathSync(path.resolve(dataFile));
  const git = (args: string[]) => execFileSync('git', args, { cwd: path.dirname(abs), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  let rel: string;
  try {
    rel = path.relative(git(['rev-parse', '--show-toplevel']).trim(), abs).split(path.sep).join('/');
  } catch {
    throw new InputError([{ path: '', message: `${dataFile} 不在 Git 仓库中，无法按版本号“${rev}”比较；可以改为给出另一个数据文件的路径` }]);
  }
  try {
    return { label: `Git 版本 ${rev} 的 ${rel}`, file: `${rel}@${rev}`, text: git(['show', `${rev}:${rel}`]) };
  } catch (e) {
    const err = String((e as { stderr?: string }).stderr ?? e).split('\n')[0];
    throw new InputError([{ path: '', message: `无法读取 Git 版本“${rev}”中的 ${rel}：既不是存在的文件，也不是可用的版本号（${err}）` }]);
  }
}

// ───────────────────────── comparison ─────────────────────────

export interface InputChange { group: string; path: string; old?: string; new?: string; oldLine?: number; newLine?: number }
export interface SentenceChange { part: string; section: string; old?: string; new?: string; unit?: SentenceUnit }
export interface CellChange { part: string; table: string; row: string; col: string; old?: string; new?: string; unit?: CellUnit }
export interface FindingChange { change: 'appeared' | 'disappeared'; rule: string; severity: 'error' | 'warning'; message: string; where: string }

export interface ChangeReport {
  other: Version;
  current: Version;
  inputs: InputChange[];
  sentences: SentenceChange[];
  cells: CellChange[];
  findings: FindingChange[];
  /** Versions that could not be built, with their messages. */
  failures: Array<{ label: string; messages: string[] }>;
  /** What the two builds used besides the data. */
  basis: string;
}

/** Longest-common-subsequence alignment of two string lists: pairs of indices (−1 for a gap). */
export function align(a: string[], b: string[]): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const L: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = a[i] === b[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
  const out: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) { out.push([i++, j++]); continue; }
    // gather one run of gaps, then pair deletions with insertions in order
    const del: number[] = [];
    const ins: number[] = [];
    while ((i < n || j < m) && !(i < n && j < m && a[i] === b[j])) {
      if (j >= m || (i < n && L[i + 1][j] >= L[i][j + 1])) del.push(i++);
      else ins.push(j++);
    }
    for (let k = 0; k < Math.max(del.length, ins.length); k++) out.push([del[k] ?? -1, ins[k] ?? -1]);
  }
  return out;
}

function compareSentences(oldUnits: SentenceUnit[], newUnits: SentenceUnit[]): SentenceChange[] {
  const out: SentenceChange[] = [];
  const parts = [...new Set([...newUnits.map((u) => u.part), ...oldUnits.map((u) => u.part)])];
  for (const part of parts) {
    const a = oldUnits.filter((u) => u.part === part);
    const b = newUnits.filter((u) => u.part === part);
    for (const [i, j] of align(a.map((u) => u.text), b.map((u) => u.text))) {
      if (i >= 0 && j >= 0 && a[i].text === b[j].text) continue;
      const at = j >= 0 ? b[j] : a[i];
      out.push({ part, section: at.section, old: i >= 0 ? a[i].text : undefined, new: j >= 0 ? b[j].text : undefined, unit: j >= 0 ? b[j] : undefined });
    }
  }
  return out;
}

function compareCells(oldUnits: CellUnit[], newUnits: CellUnit[]): CellChange[] {
  const out: CellChange[] = [];
  const key = (u: CellUnit) => `${u.part}\u0000${u.tableId}\u0000${u.key}`;
  const before = new Map(oldUnits.map((u) => [key(u), u]));
  const now = new Set(newUnits.map(key));
  for (const u of newUnits) {
    const o = before.get(key(u));
    if (!o || o.text !== u.text) out.push({ part: u.part, table: u.table, row: u.row, col: u.col, old: o?.text, new: u.text, unit: u });
  }
  for (const o of oldUnits) if (!now.has(key(o))) out.push({ part: o.part, table: o.table, row: o.row, col: o.col, old: o.text });
  return out;
}

function findingsOf(b: BuiltVersion) {
  return (b.built?.audit.findings ?? []).map((f) => ({ rule: f.rule, severity: f.severity, message: f.message, where: f.loc ? `${f.loc.file}:${f.loc.line}` : '' }));
}

export function compareVersions(other: BuiltVersion, current: BuiltVersion): ChangeReport {
  const inputs: InputChange[] = [];
  if (other.src && current.src) {
    const a = leaves(other.src);
    const b = leaves(current.src);
    for (const [p, l] of b) {
      const o = a.get(p);
      if (!o || o.text !== l.text) inputs.push({ group: inputGroup(p), path: p, old: o?.text, new: l.text, oldLine: o?.line, newLine: l.line });
    }
    for (const [p, o] of a) if (!b.has(p)) inputs.push({ group: inputGroup(p), path: p, old: o.text, oldLine: o.line });
  }
  let sentences: SentenceChange[] = [];
  let cells: CellChange[] = [];
  const findings: FindingChange[] = [];
  if (other.built && current.built) {
    const ou = documentUnits(other.built.document);
    const nu = documentUnits(current.built.document);
    sentences = compareSentences(ou.filter((u): u is SentenceUnit => u.kind === 'sentence'), nu.filter((u): u is SentenceUnit => u.kind === 'sentence'));
    cells = compareCells(ou.filter((u): u is CellUnit => u.kind === 'cell'), nu.filter((u): u is CellUnit => u.kind === 'cell'));
    const fo = findingsOf(other);
    const fn = findingsOf(current);
    const k = (f: { rule: string; message: string }) => `${f.rule} ${f.message}`;
    const so = new Set(fo.map(k));
    const sn = new Set(fn.map(k));
    for (const f of fn) if (!so.has(k(f))) findings.push({ change: 'appeared', ...f });
    for (const f of fo) if (!sn.has(k(f))) findings.push({ change: 'disappeared', ...f });
  }
  const failures = [other, current].filter((b) => b.failure).map((b) => ({ label: b.version.label, messages: b.failure! }));
  return {
    other: other.version, current: current.version, inputs, sentences, cells, findings, failures,
    basis: '两个版本都用当前的程序、模板（templates/）和表式生成，所以列出的文字和表格改动都来自数据的改动',
  };
}

export const isEmpty = (r: ChangeReport): boolean =>
  !r.inputs.length && !r.sentences.length && !r.cells.length && !r.findings.length && !r.failures.length;

// ───────────────────────── formatting ─────────────────────────

function groupBy<T>(xs: T[], key: (x: T) => string): Array<[string, T[]]> {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    if (!m.has(k)) m.set(k, []);
    m.get(k)!.push(x);
  }
  return [...m];
}

const val = (s: string | undefined) => (s === undefined ? '（无）' : s === '' ? '（空）' : s);
const CN_NUM = ['一', '二', '三', '四', '五'];
const inputWhere = (r: ChangeReport, c: InputChange) => (c.newLine ? `${r.current.file}:${c.newLine}` : `${r.other.file}:${c.oldLine}`);

export function formatText(r: ChangeReport): string {
  const out: string[] = [`变更报告：${r.other.label} → 当前 ${r.current.file}`, `（${r.basis}）`, ''];
  if (isEmpty(r)) return [...out, '无变化', ''].join('\n');
  let n = 0;
  const section = (title: string) => out.push(`${CN_NUM[n++]}、${title}`);
  if (r.failures.length) {
    section('未能生成的版本');
    for (const f of r.failures) { out.push(`【${f.label}】`); for (const m of f.messages) out.push(`  ${m}`); }
    out.push('');
  }
  section(`数据改动（${r.inputs.length} 处）`);
  if (!r.inputs.length) out.push('  无');
  for (const [g, xs] of groupBy(r.inputs, (x) => x.group)) {
    out.push(`【${g}】`);
    for (const c of xs) out.push(`  ${c.path}（${inputWhere(r, c)}）：${val(c.old)} → ${val(c.new)}`);
  }
  out.push('');
  section(`报告文字改动（${r.sentences.length} 句）`);
  if (!r.sentences.length) out.push('  无');
  for (const [part, xs] of groupBy(r.sentences, (x) => x.part)) {
    out.push(`【${part}】`);
    for (const [sec, ys] of groupBy(xs, (x) => x.section)) {
      if (sec) out.push(`  〔${sec}〕`);
      for (const c of ys) {
        if (c.old !== undefined && c.new !== undefined) out.push(`    原：${c.old}`, `    新：${c.new}`);
        else if (c.new !== undefined) out.push(`    新增：${c.new}`);
        else out.push(`    删除：${c.old}`);
      }
    }
  }
  out.push('');
  section(`表格改动（${r.cells.length} 格）`);
  if (!r.cells.length) out.push('  无');
  for (const [table, xs] of groupBy(r.cells, (x) => `${x.part}\u0000${x.table}`)) {
    const [part, name] = table.split('\u0000');
    out.push(`【${part} · ${name}】`);
    for (const c of xs) out.push(`  ${name.split(' ')[0]} ${c.row} ${c.col}: ${val(c.old)} → ${val(c.new)}`);
  }
  out.push('');
  section(`审核结果变化（${r.findings.length} 条）`);
  if (!r.findings.length) out.push('  无');
  for (const f of r.findings) {
    const tag = f.change === 'appeared' ? '新出现' : '已消失';
    out.push(`  ${tag}${f.severity === 'error' ? '错误' : '提示'} [${f.rule}] ${f.message}${f.where ? `（${f.where}）` : ''}`);
  }
  out.push('');
  return out.join('\n');
}

const mdEsc = (s: string) => s.replace(/\|/g, '\\|');

export function formatMarkdown(r: ChangeReport): string {
  const out: string[] = ['# 变更报告', '', `比较：${r.other.label} → 当前 ${r.current.file}`, '', `说明：${r.basis}。`, ''];
  if (isEmpty(r)) return [...out, '无变化', ''].join('\n');
  let n = 0;
  const section = (title: string) => out.push(`## ${CN_NUM[n++]}、${title}`, '');
  if (r.failures.length) {
    section('未能生成的版本');
    for (const f of r.failures) { out.push(`### ${f.label}`, ''); for (const m of f.messages) out.push(`- ${m}`); out.push(''); }
  }
  section(`数据改动（${r.inputs.length} 处）`);
  if (!r.inputs.length) out.push('无', '');
  for (const [g, xs] of groupBy(r.inputs, (x) => x.group)) {
    out.push(`### ${g}`, '', '| 键路径 | 位置 | 原值 | 新值 |', '|---|---|---|---|');
    for (const c of xs) out.push(`| \`${c.path}\` | ${inputWhere(r, c)} | ${mdEsc(val(c.old))} | ${mdEsc(val(c.new))} |`);
    out.push('');
  }
  section(`报告文字改动（${r.sentences.length} 句）`);
  if (!r.sentences.length) out.push('无', '');
  for (const [part, xs] of groupBy(r.sentences, (x) => x.part)) {
    out.push(`### ${part}`, '');
    for (const [sec, ys] of groupBy(xs, (x) => x.section)) {
      if (sec) out.push(`**${sec}**`, '');
      for (const c of ys) {
        if (c.old !== undefined && c.new !== undefined) out.push(`- 原：${c.old}`, `  新：${c.new}`);
        else if (c.new !== undefined) out.push(`- 新增：${c.new}`);
        else out.push(`- 删除：${c.old}`);
      }
      out.push('');
    }
  }
  section(`表格改动（${r.cells.length} 格）`);
  if (!r.cells.length) out.push('无', '');
  for (const [table, xs] of groupBy(r.cells, (x) => `${x.part}\u0000${x.table}`)) {
    out.push(`### ${table.split('\u0000')[1]}`, '', '| 行 | 列 | 原值 | 新值 |', '|---|---|---:|---:|');
    for (const c of xs) out.push(`| ${mdEsc(c.row)} | ${mdEsc(c.col)} | ${mdEsc(val(c.old))} | ${mdEsc(val(c.new))} |`);
    out.push('');
  }
  section(`审核结果变化（${r.findings.length} 条）`);
  if (!r.findings.length) out.push('无', '');
  for (const f of r.findings) out.push(`- ${f.change === 'appeared' ? '新出现' : '已消失'}${f.severity === 'error' ? '错误' : '提示'} [${f.rule}] ${f.message}${f.where ? `（${f.where}）` : ''}`);
  out.push('');
  return out.join('\n').replace(/\n{3,}/g, '\n\n');
}
