/**
 * Command line: `build` (validate, audit, write every output) and `check`
 * (validate and audit only, write nothing). Messages are in Chinese; bad input
 * gives located messages and exit code 1, never a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FsError, InputError, formatLocation, formatProblem } from '../errors';
import { AuditError, buildFromFile, Built } from '../pipeline';
import { Finding, RULES } from '../audit/rules';
import { buildFor, threadPlan, WRITERS, writeOutputs } from './outputs';
import type { ThreadFormat, WriterThread } from './writer-thread';
import { tidy } from './publish';
import { reportFailure } from './failure';

interface Args {
  command: 'build' | 'check' | 'watch' | 'rules' | 'help';
  data: string;
  out: string;
  /** --out given on the command line (a batch has its own default). */
  outGiven?: boolean;
  only?: string[];
  /** build --batch <folder> */
  batch?: string;
  jobs?: number;
}

const USAGE = `用法：
  npm run build-report                 校验、审核并生成 output/ 下的全部报告文件
  npm run check                        只校验和审核 data.yaml，不写任何文件
  npm run watch                        保存 data.yaml 或模板后自动重新生成（按 Ctrl+C 结束）
  npm run build-report -- --batch <目录>  批量生成目录中每个数据文件的报告（多线程）
  npm run gen-fixtures -- <N>          生成 N 个模拟单位的数据文件（测试、批量演示用）
选项（直接运行 node dist/src/cli/main.js 时可用）：
  --data <文件>      数据文件（默认 data.yaml）
  --out <目录>       输出目录（默认 output）
  --only <格式,…>    只生成部分格式：${WRITERS.map((w) => w.format).join(',')}
  --batch <目录>     批量生成：每个 *.yaml 生成到 <输出目录>/<文件名>/（默认输出目录为 <目录>/output）
  --jobs <N>         批量生成的线程数（默认为 CPU 核数）
  rules              列出全部审核规则`;

function parseArgs(argv: string[]): Args {
  const a: Args = { command: 'help', data: 'data.yaml', out: 'output' };
  const rest = [...argv];
  const cmd = rest.shift();
  if (cmd === 'build' || cmd === 'check' || cmd === 'watch' || cmd === 'rules') a.command = cmd;
  while (rest.length) {
    const k = rest.shift();
    if (k === '--data') a.data = rest.shift() ?? a.data;
    else if (k === '--out') {
      a.out = rest.shift() ?? a.out;
      a.outGiven = true;
    } else if (k === '--batch' && a.command === 'build') a.batch = rest.shift() ?? '.';
    else if (k === '--jobs' && /^[1-9]\d*$/.test(rest[0] ?? '')) a.jobs = Number(rest.shift());
    else if (k === '--only') a.only = (rest.shift() ?? '').split(',').filter(Boolean);
    else {
      console.error(`无法识别的参数：${k}\n\n${USAGE}`);
      process.exit(2);
    }
  }
  return a;
}

function printFinding(f: Finding): void {
  const where = formatLocation(f.loc);
  const tag = f.severity === 'error' ? '错误' : '提示';
  console.error(`${where ? where + ': ' : ''}${tag} [${f.rule}]${f.path ? ` [${f.path}]` : ''} ${f.message}`);
}

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  // Start the writer thread first, so it loads its libraries while this thread runs the pipeline.
  const plan = args.command === 'build' && args.batch === undefined ? threadPlan(args.only) : undefined;
  let thread: WriterThread | undefined;
  if (plan) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    thread = new (require('./writer-thread') as typeof import('./writer-thread')).WriterThread(plan);
  }
  try {
    return await command(args, thread, plan);
  } finally {
    if (thread) void thread.close();
  }
}

async function command(args: Args, thread?: WriterThread, threadFormats?: ThreadFormat[]): Promise<number> {
  if (args.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (args.command === 'rules') {
    for (const r of RULES) console.log(`${r.id}\t${r.statement}`);
    return 0;
  }
  if (args.command === 'check') {
    try {
      if (tidy(args.out)) console.error(`已恢复 ${args.out} 中上次中断的生成留下的文件（保留完整的一套）。`);
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
      console.error(`无法整理输出目录：${e.message}`);
    }
  }
  // Each mode loads its own module only when chosen.
  /* eslint-disable @typescript-eslint/no-require-imports */
  if (args.command === 'watch') {
    return (require('./watch') as typeof import('./watch')).runWatch({ data: args.data, out: args.out, only: args.only });
  }
  if (args.batch !== undefined) {
    return (require('./batch') as typeof import('./batch')).runBatch({ folder: args.batch, out: args.outGiven ? args.out : undefined, only: args.only, jobs: args.jobs });
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
  let built: Built;
  try {
    built = args.command === 'check' ? buildFromFile(args.data) : buildFor(args.data, args.only);
  } catch (e) {
    if (e instanceof InputError) {
      console.error(`发现 ${e.problems.length} 处错误，未生成任何文件：`);
      for (const p of e.problems) console.error('  ' + formatProblem(p));
      return 1;
    }
    if (e instanceof AuditError) {
      console.error(`审核发现 ${e.result.errors.length} 个错误，未生成任何文件：`);
      for (const f of e.result.findings) printFinding(f);
      return 1;
    }
    throw e;
  }
  const warnings = built.audit.warnings;
  if (args.command === 'check' && warnings.length) {
    console.error(`审核通过，另有 ${warnings.length} 条尾数差异提示：`);
    for (const f of warnings) printFinding(f);
  } else if (warnings.length) {
    const where = !args.only || args.only.includes('audit') ? `详见 ${path.join(args.out, 'audit.md')}（或运行 npm run check 查看）` : '运行 npm run check 查看';
    console.error(`审核通过，另有 ${warnings.length} 条尾数差异提示，${where}。`);
  }
  else console.error('审核通过。');
  if (args.command === 'check') {
    console.log(`校验和审核通过：${args.data}（${RULES.length} 条审核规则）。`);
    return 0;
  }
  let written: Array<{ file: string; bytes: number }>;
  try {
    written = await writeOutputs(built, args.out, args.only, {}, { thread, threadFormats });
  } catch (e) {
    if (e instanceof FsError) {
      console.error(`无法写入输出文件：${e.message}`);
      return 4;
    }
    throw e;
  }
  for (const w of written) console.log(`已生成 ${path.join(args.out, w.file)}（${w.bytes.toLocaleString('en-US')} 字节）`);
  return 0;
}

export { reportFailure };

/** Run one command line (tests run many in one process); never throws. */
export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    return reportFailure(e);
  }
}

if (require.main === module) {
  process.on('uncaughtException', (e) => process.exit(reportFailure(e)));
  void run(process.argv.slice(2)).then((code) => process.exit(code));
}
