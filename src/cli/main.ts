/**
 * Command line: `build` (validate, audit, write every output) and `check`
 * (validate and audit only, write nothing). Messages are in Chinese; bad input
 * gives located messages and exit code 1, never a stack trace.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError, formatLocation, formatProblem } from '../errors';
import { AuditError, buildFromFile, Built } from '../pipeline';
import { Finding, RULES } from '../audit/rules';
import { WRITERS, writeOutputs } from './outputs';

interface Args {
  command: 'build' | 'check' | 'rules' | 'help';
  data: string;
  out: string;
  only?: string[];
}

const USAGE = `用法：
  npm run build-report                 校验、审核并生成 output/ 下的全部报告文件
  npm run check                        只校验和审核 data.yaml，不写任何文件
选项（直接运行 node dist/src/cli/main.js 时可用）：
  --data <文件>      数据文件（默认 data.yaml）
  --out <目录>       输出目录（默认 output）
  --only <格式,…>    只生成部分格式：${WRITERS.map((w) => w.format).join(',')}
  rules              列出全部审核规则`;

function parseArgs(argv: string[]): Args {
  const a: Args = { command: 'help', data: 'data.yaml', out: 'output' };
  const rest = [...argv];
  const cmd = rest.shift();
  if (cmd === 'build' || cmd === 'check' || cmd === 'rules') a.command = cmd;
  while (rest.length) {
    const k = rest.shift();
    if (k === '--data') a.data = rest.shift() ?? a.data;
    else if (k === '--out') a.out = rest.shift() ?? a.out;
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
  console.error(`${where ? where + ': ' : ''}${tag} [${f.rule}] ${f.message}`);
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (args.command === 'rules') {
    for (const r of RULES) console.log(`${r.id}\t${r.statement}`);
    return 0;
  }
  let built: Built;
  try {
    built = buildFromFile(args.data);
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
  const written = await writeOutputs(built, args.out, args.only);
  for (const w of written) console.log(`已生成 ${path.join(args.out, w.file)}（${w.bytes.toLocaleString('en-US')} 字节）`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`内部错误（不是数据问题，请联系维护人员）：${e instanceof Error ? e.message : String(e)}`);
    if (process.env.DEBUG) console.error(e);
    process.exit(3);
  },
);
void fs;
