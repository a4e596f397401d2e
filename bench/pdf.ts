/**
 * Benchmark of the PDF writer: renders the real report N times and prints the
 * time per build and the file size.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/pdf.js [N] [data.yaml]
 *
 * The first build also pays for reading the font files and warming up the
 * JIT; it is reported on its own.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import { buildDocumentFromFile } from '../src/pipeline';
import { layoutPdf, renderPdf } from '../src/render/pdf';

async function main(): Promise<void> {
  const n = Math.max(1, Number(process.argv[2] ?? 10) || 10);
  // The project root: the nearest folder up from here with a package.json
  // (dist/bench/ when compiled, bench/ otherwise).
  let root = __dirname;
  while (!existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) root = path.dirname(root);
  const file = path.resolve(process.argv[3] ?? path.join(root, 'data.yaml'));
  if (!existsSync(file)) {
    console.error(`找不到数据文件：${file}`);
    process.exit(2);
  }
  const doc = buildDocumentFromFile(file);
  const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

  let t0 = process.hrtime.bigint();
  const first = await renderPdf(doc);
  const cold = ms(t0);

  const times: number[] = [];
  let size = first.length;
  for (let i = 0; i < n; i++) {
    t0 = process.hrtime.bigint();
    const pdf = await renderPdf(doc);
    times.push(ms(t0));
    size = pdf.length;
  }
  const layoutTimes: number[] = [];
  for (let i = 0; i < Math.min(n, 5); i++) {
    t0 = process.hrtime.bigint();
    layoutPdf(doc);
    layoutTimes.push(ms(t0));
  }
  const pages = layoutPdf(doc).pages.length;
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  const median = times[Math.floor(times.length / 2)];
  const fmt = (x: number) => x.toFixed(1);
  console.log(`pdf: ${pages} pages, ${size} bytes (${(size / 1024 / 1024).toFixed(2)} MB)`);
  console.log(`pdf: first build (cold, fonts read) ${fmt(cold)} ms`);
  console.log(`pdf: ${n} builds: mean ${fmt(mean)} ms, median ${fmt(median)} ms, min ${fmt(times[0])} ms, max ${fmt(times[times.length - 1])} ms`);
  console.log(`pdf: layout only: median ${fmt(layoutTimes.sort((a, b) => a - b)[Math.floor(layoutTimes.length / 2)])} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
