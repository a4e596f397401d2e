/**
 * `npm run review -- [<Git 版本号 | 另一个数据文件>] [--data data.yaml] [--out output/review.docx]`
 * Writes the review copy: the Word report with comments on every figure with
 * an audit finding and, when a version is given, on every changed sentence and
 * cell. A reason written for another direction stops the normal build; the
 * review copy is still written, with that finding as a comment at the item.
 */
import { runEntry } from '../cli/failure';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, formatProblem } from '../errors';
import { AuditError } from '../pipeline';
import { parseSource } from '../source/load';
import { BuiltVersion, buildVersion, compareVersions, fileVersion } from './diff';
import { otherVersion } from './diff-cli';
import { renderReviewDocx } from './review-docx';
import { traceBuild } from './trace';

export const isStaleReason = (f: { message: string }) => f.message.includes('原因与方向不符');

export async function writeReview(data: string, other: string | undefined, out: string): Promise<{ file: string; comments: number; blocked: number }> {
  const version = fileVersion(data, `当前 ${data}`);
  const { built, trace } = traceBuild(version.text, version.file, { tolerate: isStaleReason });
  const current: BuiltVersion = { version, src: parseSource(version.text, version.file), built };
  const changes = other ? compareVersions(buildVersion(otherVersion(other, data)), current) : undefined;
  const { data: bytes, comments } = await renderReviewDocx(built, trace, changes);
  fs.mkdirSync(path.dirname(out) || '.', { recursive: true });
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.tmp`);
  fs.writeFileSync(tmp, bytes);
  fs.renameSync(tmp, out);
  return { file: out, comments: comments.length, blocked: built.audit.errors.length };
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  let data = 'data.yaml';
  let out = path.join('output', 'review.docx');
  let other: string | undefined;
  while (argv.length) {
    const k = argv.shift()!;
    if (k === '--data') data = argv.shift() ?? data;
    else if (k === '--out') out = argv.shift() ?? out;
    else if (k.startsWith('--')) { console.error(`无法识别的参数：${k}\n用法：npm run review -- [<Git 版本号 | 另一个数据文件>] [--data data.yaml] [--out output/review.docx]`); return 2; }
    else other = k;
  }
  try {
    const r = await writeReview(data, other, out);
    console.log(`已生成审阅稿 ${r.file}（${r.comments} 条批注${other ? `，含与 ${other} 相比的改动` : ''}）`);
    if (r.blocked) console.error(`注意：有 ${r.blocked} 处原因与方向不符，正式报告（npm run build-report）在改正前不会生成；审阅稿中已在对应位置加批注。`);
    return 0;
  } catch (e) {
    if (e instanceof InputError) { for (const p of e.problems) console.error(formatProblem(p)); return 1; }
    if (e instanceof AuditError) {
      console.error(`审核发现 ${e.result.errors.length} 个错误，未生成审阅稿（请先运行 npm run check）`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) runEntry(main);
