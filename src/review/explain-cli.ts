/**
 * `npm run explain -- <数字 | 键路径 | 项目名称>`: where a printed figure comes
 * from, in words, read from output/report.trace.json (built in memory from
 * data.yaml when the file is missing or older than data.yaml).
 */
import { runEntry } from '../cli/failure';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, formatProblem } from '../errors';
import { AuditError } from '../pipeline';
import { Explainer, TraceFigure, TraceFile, traceBuild } from './trace';

const USAGE = `用法：
  npm run explain -- 310.80%                      这个数是怎么来的
  npm run explain -- tables.t05.rows.2010302.budget  这个数据项用在报告的哪些地方
  npm run explain -- 行政运行                       这个项目的各个数
选项：--data <文件>（默认 data.yaml）  --trace <文件>（默认 output/report.trace.json）`;

const norm = (s: string) => s.replace(/,/g, '').replace(/%$/, '');

export function explainQuery(t: TraceFile, query: string, limit = 20): string[] {
  const e = new Explainer(t);
  const out: string[] = [];
  const q = query.trim();
  const byNode = (figs: TraceFigure[]) => {
    // one explanation per distinct origin, with every place it is printed
    const groups = new Map<string, TraceFigure[]>();
    for (const f of figs) {
      const k = f.node === undefined ? `text:${f.sentence}` : `node:${f.node}`;
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k)!.push(f);
    }
    let shown = 0;
    for (const fs2 of groups.values()) {
      if (shown++ >= limit) { out.push(`……另有 ${groups.size - limit} 处，请给出更具体的查询`); break; }
      out.push(...e.explain(fs2[0]));
      if (fs2.length > 1) out.push(`  （同一个数还印在：${fs2.slice(1, 6).map((f) => f.label || f.part).join('；')}${fs2.length > 6 ? ` 等 ${fs2.length - 1} 处` : ''}）`);
      out.push('');
    }
  };
  if (/^-?[\d,]+(\.\d+)?%?$/.test(q)) {
    const pctWanted = q.endsWith('%');
    const figs = t.figures.filter((f) => norm(f.text) === norm(q) && (!pctWanted || f.text.endsWith('%')));
    if (!figs.length) return [`报告中没有印出“${q}”这个数（数字按报告中的写法给出，两位小数，如 310.80% 或 12106.76）`];
    byNode(figs);
    return out;
  }
  if (/^[a-z_]+(\.[\w\u4e00-\u9fff]+|\[\d+\])+$/.test(q)) {
    const ids = t.nodes.map((n, i) => [n, i] as const).filter(([n]) => n.op === 'input' && (n.path === q || n.path!.startsWith(q + '.')));
    if (!ids.length) return [`data.yaml 中没有金额项“${q}”（或它没有用于报告中的任何数）`];
    for (const [n] of ids) out.push(`${n.path}（${n.file}:${n.line}）填写的数 ${n.value}`);
    const set = new Set(ids.map(([, i]) => i));
    const users = t.figures.filter((f) => f.node !== undefined && [...e.inputs(f.node)].some((i) => set.has(i)));
    out.push(`用于报告中的 ${users.length} 个数：`);
    for (const f of users.slice(0, 40)) out.push(`  ${f.label}${f.text}（${f.kind === 'cell' ? f.table : f.part + (f.section ? ' · ' + f.section : '')}）`);
    if (users.length > 40) out.push(`  ……共 ${users.length} 个`);
    return out;
  }
  const figs = t.figures.filter((f) => (f.kind === 'cell' ? `${f.row}` : f.sentence ?? '').includes(q));
  if (!figs.length) return [`报告中没有找到“${q}”：请给出报告中印出的数（如 310.80%）、data.yaml 的键路径或项目名称`];
  byNode(figs);
  return out;
}

function main(): number {
  const argv = process.argv.slice(2);
  let data = 'data.yaml';
  let traceFile = path.join('output', 'report.trace.json');
  const rest: string[] = [];
  while (argv.length) {
    const k = argv.shift()!;
    if (k === '--data') data = argv.shift() ?? data;
    else if (k === '--trace') traceFile = argv.shift() ?? traceFile;
    else rest.push(k);
  }
  if (!rest.length) {
    console.error(USAGE);
    return 2;
  }
  let t: TraceFile;
  const fresh = fs.existsSync(traceFile) && (!fs.existsSync(data) || fs.statSync(traceFile).mtimeMs >= fs.statSync(data).mtimeMs);
  if (fresh) t = JSON.parse(fs.readFileSync(traceFile, 'utf8')) as TraceFile;
  else {
    try {
      t = traceBuild(fs.readFileSync(data, 'utf8'), path.relative(process.cwd(), data) || data).trace;
    } catch (e) {
      if (e instanceof InputError) { for (const p of e.problems) console.error(formatProblem(p)); return 1; }
      if (e instanceof AuditError) { console.error('数据未通过审核，请先运行 npm run check'); return 1; }
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') { console.error(`无法读取数据文件 ${data}`); return 1; }
      throw e;
    }
  }
  console.log(explainQuery(t, rest.join(' ')).join('\n').trimEnd());
  return 0;
}

if (require.main === module) runEntry(main);
