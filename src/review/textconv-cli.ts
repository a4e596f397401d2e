/**
 * `npm run textconv -- <report.docx | report.xlsx | report.pdf>`: prints the
 * file as text (git uses it through diff.<name>.textconv, see README).
 */
import * as fs from 'fs';
import { textconv } from './textconv';

async function main(): Promise<number> {
  const file = process.argv[2];
  if (!file) {
    console.error('用法：npm run textconv -- <文件.docx | 文件.xlsx | 文件.pdf>');
    return 2;
  }
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    console.error(`无法读取文件 ${file}：${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    return 1;
  }
  process.stdout.write(await textconv(file, data));
  return 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (e: unknown) => {
    console.error('无法转换为文本：文件不是本工具能读的 Word、Excel 或 PDF 文件（可能已损坏或不是由本工具生成）；设置环境变量 DEBUG=1 重新运行可看到技术细节。');
    if (process.env.DEBUG) console.error(e);
    process.exitCode = 1;
  },
);
