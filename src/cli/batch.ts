/**
 * `build --batch <folder>`: build every data file (*.yaml, *.yml) of a folder,
 * each into its own output subfolder (<out>/<file name without extension>/),
 * on one worker thread per core. Each worker loads the libraries, fonts and
 * templates once and builds file after file. A failing file is reported with
 * its location and does not stop the others; the exit code is 1 when any
 * file failed. Progress goes to stderr, on one self-overwriting line when it
 * is a terminal (nothing per file otherwise); the summary table to stdout.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { BuildJob, BuildResult } from './worker';

/**
 * Heap limits of a batch worker. Without limits a worker's heap limit is
 * sized from the machine's memory and V8 lets the heap grow lazily across
 * departments; the young generation (new objects) is collected by copying, so
 * its semi-spaces count in full in the RSS. Measured on 20 generated
 * departments, 2 workers, peak RSS of the process: 384 MB old / default young
 * 606 MB (CPU 32 s); 256/8 530 MB (30 s); 192/8 536 MB (31 s); 160/4 486 MB
 * (32 s); 192/4 493 MB (36 s; the machine at load 8, so CPU figures move a
 * few seconds from run to run). One department's build keeps ≈ 75–90 MB of heap
 * in use. A worker that runs out of memory anyway is replaced and its file is
 * built once more by a worker with the roomy limits; only a second failure
 * fails the file. JUESUAN_WORKER_HEAP_MB / JUESUAN_WORKER_YOUNG_MB override the
 * two figures (for measuring).
 */
const WORKER_LIMITS = {
  maxOldGenerationSizeMb: Number(process.env.JUESUAN_WORKER_HEAP_MB || 192),
  maxYoungGenerationSizeMb: Number(process.env.JUESUAN_WORKER_YOUNG_MB || 4),
};
const ROOMY_LIMITS = { maxOldGenerationSizeMb: 1024 };
/**
 * A worker is replaced by a fresh one after this many files: its heap and the
 * process's memory grow slowly across departments (peak RSS of the tree 493 MB
 * for 20 departments, 519 MB for 100), and a fresh worker costs one start-up
 * (module loading, fonts) per 25 files.
 */
const FILES_PER_WORKER = Number(process.env.JUESUAN_FILES_PER_WORKER || 25);

export interface BatchOptions {
  folder: string;
  /** Root of the output subfolders; default <folder>/output. */
  out?: string;
  only?: string[];
  /** Worker threads; default: the machine's cores (at most one per file). */
  jobs?: number;
}

/** The worker script next to this file (compiled JavaScript). */
export function workerScript(): string {
  return path.join(__dirname, 'worker.js');
}

export function dataFiles(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name))
    .map((e) => e.name)
    .sort();
}

function cores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

/** Display width: CJK characters take two columns. */
function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));

export async function runBatch(opts: BatchOptions): Promise<number> {
  const folder = path.resolve(opts.folder);
  let names: string[];
  try {
    names = dataFiles(folder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '目录不存在' : code === 'ENOTDIR' ? '这不是一个目录' : code === 'EACCES' ? '没有读取权限' : '无法读取';
    console.error(`批量目录 ${opts.folder}：${why}。`);
    return 2;
  }
  if (!names.length) {
    console.error(`批量目录 ${opts.folder} 中没有数据文件（*.yaml）。`);
    return 2;
  }
  const outRoot = path.resolve(opts.out ?? path.join(folder, 'output'));
  const rel = (p: string) => {
    const r = path.relative(process.cwd(), p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const jobs: BuildJob[] = names.map((n) => ({
    data: rel(path.join(folder, n)),
    out: path.join(outRoot, n.replace(/\.ya?ml$/i, '')),
    only: opts.only,
  }));
  const threads = Math.max(1, Math.min(opts.jobs ?? cores(), jobs.length));
  const tty = Boolean(process.stderr.isTTY);
  const t0 = Date.now();
  const results: Array<BuildResult | undefined> = new Array(jobs.length);
  let next = 0;
  let done = 0;
  let failed = 0;

  const progress = (final = false) => {
    if (!tty) return;
    const s = `批量生成：${done}/${jobs.length} 完成，失败 ${failed}，${threads} 个线程，已用 ${((Date.now() - t0) / 1000).toFixed(1)} 秒`;
    process.stderr.write(`\r\x1b[K${s}${final ? '\n' : ''}`);
  };
  const report = (r: BuildResult) => {
    done++;
    if (r.status !== 'ok') {
      failed++;
      if (tty) process.stderr.write('\r\x1b[K');
      console.error(`失败：${r.data}：${r.summary}，未生成该单位的文件：`);
      for (const l of r.lines) console.error('  ' + l);
    }
    progress();
  };

  const runWorker = () =>
    new Promise<void>((resolve) => {
      let current = -1;
      let worker: Worker;
      let terminating = false;
      const retried = new Set<number>();
      const retiring = new Set<Worker>();
      let served = 0;
      const start = (roomy = false) => {
        let crash = '线程意外退出';
        const w = new Worker(workerScript(), { resourceLimits: roomy ? ROOMY_LIMITS : WORKER_LIMITS });
        worker = w;
        w.on('message', (r: BuildResult) => {
          results[current] = r;
          report(r);
          if (++served >= FILES_PER_WORKER && next < jobs.length) {
            // Retire this worker and go on with a fresh one once it is gone (never two alive at once).
            retiring.add(w);
            served = 0;
            void w.terminate().then(() => {
              start();
              feed();
            });
            return;
          }
          feed();
        });
        w.on('error', (e) => {
          crash = e.message;
          oom = (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
        });
        let oom = false;
        w.on('exit', () => {
          if (terminating || retiring.has(w)) return;
          // Out of memory under the tight limits: the same file once more, in a worker with room.
          if (oom && !roomy && current >= 0 && !results[current] && !retried.has(current)) {
            retried.add(current);
            start(true);
            worker.postMessage(jobs[current]);
            return;
          }
          // A crash (e.g. out of memory) fails the file it was building; a fresh worker goes on.
          if (current >= 0 && !results[current]) {
            const j = jobs[current];
            const r: BuildResult = {
              data: j.data,
              out: j.out,
              status: 'internal',
              summary: '内部错误（不是数据问题，请联系维护人员）',
              lines: [crash],
              errors: 1,
              warnings: 0,
              written: [],
              ms: 0,
            };
            results[current] = r;
            report(r);
          }
          start();
          feed();
        });
      };
      const feed = () => {
        if (next >= jobs.length) {
          terminating = true;
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        worker.postMessage(jobs[current]);
      };
      start();
      feed();
    });

  progress();
  const timer = tty ? setInterval(() => progress(), 500) : undefined;
  await Promise.all(Array.from({ length: threads }, runWorker));
  if (timer) clearInterval(timer);
  progress(true);

  const rows = results.map((r, i) => {
    const name = names[i];
    if (!r) return [name, '未运行', '', '', ''];
    const status = r.status === 'ok' ? '成功' : r.status === 'invalid' ? `失败 ${r.where ?? ''}`.trim() : '内部错误';
    return [name, status, String(r.warnings), String(r.errors), `${(r.ms / 1000).toFixed(2)} s`];
  });
  const head = ['文件', '结果', '提示', '错误', '用时'];
  const w = head.map((h, c) => Math.max(width(h), ...rows.map((r) => width(r[c]))));
  const line = (cells: string[]) => cells.map((x, c) => pad(x, w[c])).join('  ').trimEnd();
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
  const ok = results.filter((r) => r?.status === 'ok').length;
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(`共 ${jobs.length} 个数据文件：成功 ${ok}，失败 ${jobs.length - ok}；${threads} 个线程，用时 ${secs} 秒；输出在 ${rel(outRoot)}/<文件名>/。`);
  return ok === jobs.length ? 0 : 1;
}
