/**
 * `watch`: a warm process that rebuilds the outputs on every save of the data
 * file, a template, a profile or the catalog, and prints the audit findings
 * (located, as `check` does) and the files it replaced. An edit that breaks
 * the data prints the located errors and leaves the last good outputs alone
 * (the build writes nothing unless every output rendered).
 *
 * Builds run on one worker thread that stays loaded (libraries, fonts,
 * compiled templates, JIT-compiled code), so a save of the data costs only the
 * build itself. A save of a template, profile or catalog file replaces the
 * worker by a fresh one, so no cache of any module can serve the old file.
 * Saves are debounced (editors write a file in several steps).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { projectRoot } from '../paths';
import { workerScript } from './batch';
import type { BuildJob, BuildResult } from './worker';

export interface WatchOptions {
  data: string;
  out: string;
  only?: string[];
  /** Quiet period after the last save before a rebuild (ms). */
  debounceMs?: number;
}

/** Folders of the toolkit whose files feed a build (read at run time). */
export const WATCHED_DIRS = ['templates', 'profiles', 'catalog'];

function subdirs(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    out.push(d);
    for (const e of fs.readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

const clock = () => new Date().toTimeString().slice(0, 8);

export function runWatch(opts: WatchOptions): Promise<number> {
  const data = path.resolve(opts.data);
  if (!fs.existsSync(data)) {
    console.error(`找不到数据文件：${opts.data}`);
    return Promise.resolve(2);
  }
  const job: BuildJob = { data: opts.data, out: opts.out, only: opts.only, compare: true, warm: true };
  const debounce = opts.debounceMs ?? 80;
  let worker: Worker | undefined;
  let building = false;
  let pending: 'data' | 'toolkit' | undefined;
  let timer: NodeJS.Timeout | undefined;
  let freshWorker = true;
  const changed = new Set<string>();

  const spawn = () => {
    if (worker) void worker.terminate();
    const w = new Worker(workerScript());
    w.on('message', (r: BuildResult) => done(r));
    w.on('error', (e) => {
      console.error(`[${clock()}] 内部错误（不是数据问题，请联系维护人员）：${e.message}`);
    });
    w.on('exit', () => {
      if (worker === w) {
        worker = undefined;
        if (building) {
          building = false;
          schedule('toolkit');
        }
      }
    });
    worker = w;
    freshWorker = true;
  };

  const build = (kind: 'data' | 'toolkit') => {
    if (building) {
      pending = pending === 'toolkit' || kind === 'toolkit' ? 'toolkit' : 'data';
      return;
    }
    if (kind === 'toolkit' || !worker) spawn();
    building = true;
    worker!.postMessage(job);
  };

  const done = (r: BuildResult) => {
    building = false;
    const rel = (f: string) => {
      const r = path.relative(process.cwd(), f);
      return r && !r.startsWith('..') ? r : f;
    };
    const what = [...changed].map(rel).join('、');
    changed.clear();
    const cause = what ? `（${what} 已保存）` : '';
    const warm = freshWorker ? '，新线程' : '';
    freshWorker = false;
    if (r.status === 'ok') {
      console.log(`[${clock()}] 已重建${cause}：用时 ${Math.round(r.ms)} 毫秒${warm}；${r.summary}${r.lines.length ? '：' : '。'}`);
      for (const l of r.lines) console.log('  ' + l);
      const replaced = r.written.filter((w) => w.changed);
      const same = r.written.filter((w) => !w.changed);
      for (const w of replaced) console.log(`  已替换 ${path.join(r.out, w.file)}（${w.bytes.toLocaleString('en-US')} 字节）`);
      if (same.length) console.log(`  内容未变：${same.map((w) => w.file).join('、')}`);
    } else {
      console.log(`[${clock()}] 未重建${cause}：${r.summary}，保留上次生成的文件：`);
      for (const l of r.lines) console.log('  ' + l);
    }
    if (pending) {
      const k = pending;
      pending = undefined;
      build(k);
    }
  };

  let queued: 'data' | 'toolkit' | undefined;
  const schedule = (kind: 'data' | 'toolkit') => {
    queued = queued === 'toolkit' || kind === 'toolkit' ? 'toolkit' : 'data';
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const k = queued ?? 'data';
      queued = undefined;
      build(k);
    }, debounce);
  };

  const watchers: fs.FSWatcher[] = [];
  // The data file's folder, not the file: editors often save by writing a new file and renaming it.
  const dataDir = path.dirname(data);
  const dataName = path.basename(data);
  watchers.push(
    fs.watch(dataDir, (_ev, name) => {
      if (name && name.toString() === dataName) {
        changed.add(data);
        schedule('data');
      }
    }),
  );
  const root = projectRoot();
  for (const top of WATCHED_DIRS) {
    for (const dir of subdirs(path.join(root, top))) {
      watchers.push(
        fs.watch(dir, (_ev, name) => {
          if (!name || name.toString().startsWith('.')) return;
          changed.add(path.join(dir, name.toString()));
          schedule('toolkit');
        }),
      );
    }
  }

  console.log(`正在监视 ${opts.data} 和 ${WATCHED_DIRS.filter((d) => fs.existsSync(path.join(root, d))).join('/、')}/，保存后自动重新生成 ${opts.out}/ 下的文件；按 Ctrl+C 结束。`);
  build('toolkit');

  return new Promise<number>((resolve) => {
    const stop = () => {
      for (const w of watchers) w.close();
      if (timer) clearTimeout(timer);
      const w = worker;
      worker = undefined;
      if (w) void w.terminate().then(() => resolve(0));
      else resolve(0);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
