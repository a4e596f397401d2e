/**
 * Benchmark of the whole build: pipeline (load → validate → derive → audit →
 * compose) and each writer, on the bundled data.yaml. Run: npm run bench.
 * Prints the median of N runs after one warm-up, and the output sizes.
 */
import * as path from 'path';
import { buildFromFile } from '../src/pipeline';
import { renderMarkdown } from '../src/render/md';
import { renderDocx } from '../src/render/docx';
import { renderXlsx } from '../src/render/xlsx';
import { renderPdf } from '../src/render/pdf';

const N = Number(process.env.BENCH_RUNS ?? 5);
const data = path.join(__dirname, '..', '..', 'data.yaml');

async function time<T>(label: string, f: () => Promise<T> | T, size?: (x: T) => number): Promise<void> {
  const ms: number[] = [];
  let last: T | undefined;
  await f(); // warm-up
  for (let i = 0; i < N; i++) {
    const t = process.hrtime.bigint();
    last = await f();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  ms.sort((a, b) => a - b);
  const med = ms[Math.floor(ms.length / 2)];
  const bytes = size && last !== undefined ? `  ${size(last).toLocaleString('en-US')} bytes` : '';
  console.log(`${label.padEnd(28)} median ${med.toFixed(1).padStart(8)} ms  (min ${ms[0].toFixed(1)}, max ${ms[ms.length - 1].toFixed(1)}, n=${N})${bytes}`);
}

async function main(): Promise<void> {
  const doc = buildFromFile(data).document;
  await time('pipeline (data.yaml → doc)', () => buildFromFile(data));
  await time('report.md', () => Buffer.from(renderMarkdown(doc)), (b) => b.length);
  await time('report.docx', () => renderDocx(doc), (b) => b.length);
  await time('report.xlsx', () => renderXlsx(doc), (b) => b.length);
  await time('report.pdf', () => renderPdf(doc), (b) => b.length);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
