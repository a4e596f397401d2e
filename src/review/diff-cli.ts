/**
 * `npm run diff-report -- <Git 版本号 | 另一个数据文件> [--data data.yaml] [--format md] [--out 文件]`
 * Compares the current data with another version and prints the change report
 * in Chinese; `--format md` writes it as Markdown (default output/diff-report.md).
 */
import { runEntry } from '../cli/failure';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, formatProblem } from '../errors';
import { buildVersion, compareVersions, fileVersion, formatMarkdown, formatText, gitVersion, Version } from './diff';

export const DIFF_USAGE = `用法：
  npm run diff-report -- <Git 版本号 | 另一个数据文件>   与另一版本比较，列出改动的数据、句子、表格单元格和审核结果
选项：
  --data <文件>       当前数据文件（默认 data.yaml）
  --format md         写成 Markdown 文件（便于附在审批材料中），默认写到 output/diff-report.md
  --out <文件>        Markdown 文件的位置
  --review            同时生成审阅稿 output/review.docx（改动处和审核提示处加 Word 批注）
例：
  npm run diff-report -- HEAD            与上次提交的 data.yaml 比较
  npm run diff-report -- 旧版/data.yaml   与另一个数据文件比较`;

export interface DiffArgs { other?: string; data: string; format: 'text' | 'md'; out?: string; review?: boolean; rest: string[] }

export function parseDiffArgs(argv: string[]): DiffArgs | string {
  const a: DiffArgs = { data: 'data.yaml', format: 'text', rest: [] };
  const xs = [...argv];
  while (xs.length) {
    const k = xs.shift()!;
    if (k === '--data') a.data = xs.shift() ?? a.data;
    else if (k === '--format') {
      const f = xs.shift();
      if (f !== 'md' && f !== 'text') return `--format 只能是 md 或 text，实际为“${f ?? ''}”`;
      a.format = f;
    } else if (k === '--out') a.out = xs.shift();
    else if (k === '-h' || k === '--help') return '';
    else if (k.startsWith('--')) a.rest.push(k);
    else if (a.other === undefined) a.other = k;
    else return `多余的参数：${k}`;
  }
  return a;
}

/** A file path that exists is a data file; anything else is a Git revision. */
export function otherVersion(other: string, data: string): Version {
  if (fs.existsSync(other) && fs.statSync(other).isFile()) return fileVersion(other);
  return gitVersion(other, data);
}

async function main(): Promise<number> {
  const a = parseDiffArgs(process.argv.slice(2));
  if (typeof a === 'string' || !a.other || a.rest.length) {
    const why = typeof a === 'string' ? a : !a.other ? '缺少要比较的版本' : `无法识别的参数：${a.rest.join(' ')}`;
    if (why) console.error(why + '\n');
    console.error(DIFF_USAGE);
    return why ? 2 : 0;
  }
  try {
    const current = buildVersion(fileVersion(a.data, `当前 ${a.data}`));
    const other = buildVersion(otherVersion(a.other, a.data));
    const report = compareVersions(other, current);
    if (a.format === 'md') {
      const out = a.out ?? path.join('output', 'diff-report.md');
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, formatMarkdown(report));
      console.log(`已生成 ${out}`);
    } else process.stdout.write(formatText(report));
    if (a.review) {
      const { writeReview } = await import('./review-cli');
      const r = await writeReview(a.data, a.other, path.join('output', 'review.docx'));
      console.log(`已生成审阅稿 ${r.file}（${r.comments} 条批注）`);
    }
    return current.failure ? 1 : 0;
  } catch (e) {
    if (e instanceof InputError) {
      for (const p of e.problems) console.error(formatProblem(p));
      return 1;
    }
    throw e;
  }
}

if (require.main === module) runEntry(main);
