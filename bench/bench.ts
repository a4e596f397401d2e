/**
 * npm run bench [-- --runs N] [--batch N] [--watch-runs N] [--no-soffice] [--data file]
 *
 * Whole-process figures for this machine, as a user meets them: medians over
 * several cold processes of `check`, each writer alone, all outputs; the same
 * PDF through LibreOffice (soffice --headless --convert-to pdf of our own
 * report.docx) in the same run, interleaved, and the ratio; a warm rebuild in
 * watch mode; a batch of generated departments (time and peak memory); the
 * size of each output; the cold build of all outputs in two cache states
 * (caches empty: a fresh JUESUAN_CACHE_DIR per run; rebuild after one amount
 * changed in a copy of the data, the previous build's caches present) and on
 * a second writer thread (JUESUAN_THREADS=on) for comparison. Each figure shows its
 * target. Other processes on the machine slow every figure: the
 * load average is printed with them, and medians are used throughout.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { generateFixtures } from '../src/tools/gen-fixtures';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Opts {
  runs: number;
  batch: number;
  watchRuns: number;
  soffice: boolean;
  data: string;
}

function parseOpts(argv: string[]): Opts {
  const o: Opts = { runs: 5, batch: 100, watchRuns: 5, soffice: true, data: path.join(ROOT, 'data.yaml') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${a} 需要一个非负整数`);
      return n;
    };
    if (a === '--runs') o.runs = Math.max(1, num());
    else if (a === '--batch') o.batch = num();
    else if (a === '--watch-runs') o.watchRuns = num();
    else if (a === '--no-soffice') o.soffice = false;
    else if (a === '--data') o.data = path.resolve(argv[++i]);
    else throw new Error(`无法识别的参数：${a}（可用：--runs N、--batch N、--watch-runs N、--no-soffice、--data 文件）`);
  }
  return o;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Sample {
  wall: number;
  cpu?: number;
  rssKb?: number;
  status: number | null;
  stderr: string;
}

/** One process, timed from outside (wall), with /usr/bin/time for CPU and peak RSS when it exists. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Sample {
  const out = path.join(os.tmpdir(), `juesuan-bench-time-${process.pid}.txt`);
  const [c, a] = TIME ? [TIME, ['-f', '%U %S %M', '-o', out, cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const s: Sample = { wall, status: r.status, stderr: r.stderr ?? '' };
  if (TIME && fs.existsSync(out)) {
    const last = fs.readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const m = /^([\d.]+) ([\d.]+) (\d+)$/.exec(last);
    if (m) {
      s.cpu = (Number(m[1]) + Number(m[2])) * 1000;
      s.rssKb = Number(m[3]);
    }
    fs.rmSync(out, { force: true });
  }
  return s;
}

interface Row {
  label: string;
  samples: Sample[];
  target?: number;
}

/** Display width (CJK characters take two columns), for aligned rows. */
const widthOf = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1), 0);
const padW = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - widthOf(s)));

function printRow(r: Row): void {
  const w = median(r.samples.map((s) => s.wall));
  const cpus = r.samples.map((s) => s.cpu).filter((x): x is number => x !== undefined);
  const rss = r.samples.map((s) => s.rssKb).filter((x): x is number => x !== undefined);
  const mark = r.target === undefined ? '' : w < r.target ? `  ✓ 目标 < ${secs(r.target)}` : `  ✗ 目标 < ${secs(r.target)}`;
  const extra = `${cpus.length ? `  CPU ${secs(median(cpus))}` : ''}${rss.length ? `  内存峰值 ${Math.round(median(rss) / 1024)} MB` : ''}`;
  const range = `（${r.samples.length} 次，最快 ${secs(Math.min(...r.samples.map((s) => s.wall)))}，最慢 ${secs(Math.max(...r.samples.map((s) => s.wall)))}）`;
  console.log(`  ${padW(r.label, 40)} 中位数 ${secs(w).padStart(8)}${extra}${mark}  ${range}`);
}

function ensureOk(s: Sample, what: string): void {
  if (s.status !== 0) throw new Error(`${what} 失败（退出码 ${s.status}）：\n${s.stderr}`);
}

function findSoffice(): string | undefined {
  for (const p of ['/usr/bin/soffice', '/usr/local/bin/soffice', '/usr/bin/libreoffice', '/opt/libreoffice/program/soffice']) if (fs.existsSync(p)) return p;
  const r = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The load average now, for the section headers (other processes slow every figure). */
const load = () => `系统负载 ${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}`;

/**
 * The data text with one amount changed, the n-th variant (n ≥ 0): 公用经费的上年支出
 * (public_prior_year), which no identity binds, so the audit stays clean; it
 * changes derived figures and words in the text (节约/增加 amount, 下降 rate),
 * hence the document and the Word, PDF and Markdown files.
 */
function editedAmount(text: string, n: number): string {
  const re = /(public_prior_year:\s*)(\d+(?:\.\d+)?)/;
  const m = re.exec(text);
  if (!m) throw new Error('数据文件中没有 public_prior_year，无法测量“改一个数后重建”（用 --data 指定含该项的数据文件）');
  // In fen, from the digits (no float touches an amount, even in the bench): + (n + 1) yuan.
  const [int, frac = ''] = m[2].split('.');
  const fen = BigInt(int) * 100n + BigInt((frac + '00').slice(0, 2)) + 100n * BigInt(n + 1);
  return text.replace(re, `$1${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`);
}

/** Warm rebuilds: save the data file, wait for watch's "已重建" line; its own time and the wall time from the save. */
async function watchRebuilds(data: string, n: number): Promise<{ own: number[]; wall: number[]; unchanged: number[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-bench-watch-'));
  const file = path.join(dir, 'data.yaml');
  const text = fs.readFileSync(data, 'utf8');
  fs.writeFileSync(file, text);
  const child = spawn(process.execPath, [CLI, 'watch', '--data', file, '--out', path.join(dir, 'out')], { cwd: ROOT });
  let buf = '';
  child.stdout.on('data', (d: Buffer) => (buf += d.toString()));
  child.stderr.on('data', (d: Buffer) => (buf += d.toString()));
  const next = (from: number) =>
    new Promise<{ at: number; ms: number }>((resolve, reject) => {
      const t0 = Date.now();
      const poll = () => {
        const m = /已重建[^\n]*用时 (\d+) 毫秒|未重建[^\n]*/.exec(buf.slice(from));
        if (m) {
          if (!m[1]) return reject(new Error(`watch 未能重建：\n${buf.slice(from)}`));
          return resolve({ at: from + m.index + m[0].length, ms: Number(m[1]) });
        }
        if (Date.now() - t0 > 300000) return reject(new Error(`watch 没有输出：\n${buf}`));
        setTimeout(poll, 2);
      };
      poll();
    });
  const own: number[] = [];
  const wall: number[] = [];
  const unchanged: number[] = [];
  try {
    let { at } = await next(0);
    // One untimed save first: the second build in a thread still compiles some code paths.
    // Every timed save changes one amount (a new document each time, as a finance officer's edit does).
    for (let i = -1; i < n; i++) {
      const t0 = process.hrtime.bigint();
      fs.writeFileSync(file, editedAmount(text, i + 1));
      const r = await next(at);
      at = r.at;
      if (i >= 0) {
        own.push(r.ms);
        wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }
    // Saves that leave the document as it was (a comment added): watch reuses the last files.
    for (let i = 0; i < Math.min(n, 3); i++) {
      fs.writeFileSync(file, `${editedAmount(text, n)}\n# bench ${i}\n`);
      const r = await next(at);
      at = r.at;
      unchanged.push(r.ms);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { own, wall, unchanged };
}

/** Peak RSS of a process tree, sampled from /proc (fallback when /usr/bin/time is missing). */
function treeRssKb(pid: number): number {
  let total = 0;
  const kids = new Map<number, number[]>();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(d)]);
    } catch {
      /* gone */
    }
  }
  const walk = (p: number) => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) total += Number(m[1]);
    } catch {
      /* gone */
    }
    for (const k of kids.get(p) ?? []) walk(k);
  };
  walk(pid);
  return total;
}

async function batchRun(dir: string, out: string, env: NodeJS.ProcessEnv = {}): Promise<{ wall: number; peakKb: number; status: number | null; stdout: string }> {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [CLI, 'build', '--batch', dir, '--out', out], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid!))), 100);
  const status = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(timer);
  if (status !== 0) stdout += stderr;
  return { wall: Number(process.hrtime.bigint() - t0) / 1e6, peakKb: peak, status, stdout };
}

async function main(): Promise<void> {
  const o = parseOpts(process.argv.slice(2));
  if (!fs.existsSync(o.data)) throw new Error(`找不到数据文件：${o.data}`);
  const cpus = os.cpus();
  console.log(`本机：${cpus.length} 个 CPU 核（${cpus[0]?.model.trim() ?? '未知型号'}），内存 ${Math.round(os.totalmem() / 2 ** 30)} GB，Node ${process.version}，${os.platform()} ${os.release()}`);
  console.log(`CPU 核数：${os.availableParallelism?.() ?? cpus.length}；开始时的系统负载（1/5/15 分钟平均）：${os.loadavg().map((x) => x.toFixed(2)).join(' / ')}（高于核数说明有其他进程在争用 CPU，各数取中位数）`);
  console.log(`数据：${path.relative(ROOT, o.data) || o.data}；每项 ${o.runs} 个冷启动进程（各自从零加载），取中位数。\n`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-bench-'));
  const node = process.execPath;
  const cli = (args: string[]) => [CLI, ...args, '--data', o.data];
  // Warm the disk cache and the template cache once (a user's second run onwards).
  ensureOk(timed(node, cli(['build', '--out', path.join(tmp, 'all')])), '预热构建');

  console.log(`冷启动进程（node dist/src/cli/main.js …），缓存已有（同一数据再次生成）；${load()}：`);
  const cases: Array<{ label: string; args: string[]; target?: number; env?: NodeJS.ProcessEnv }> = [
    { label: 'check', args: ['check'], target: 300 },
    { label: 'build --only md', args: ['build', '--only', 'md', '--out', path.join(tmp, 'md')] },
    { label: 'build --only docx', args: ['build', '--only', 'docx', '--out', path.join(tmp, 'docx')] },
    { label: 'build --only xlsx', args: ['build', '--only', 'xlsx', '--out', path.join(tmp, 'xlsx')] },
    { label: 'build --only pdf', args: ['build', '--only', 'pdf', '--out', path.join(tmp, 'pdf')] },
    { label: 'build（全部四种格式 + audit.md）', args: ['build', '--out', path.join(tmp, 'all')], target: 1000 },
    { label: 'build 四种格式 + audit.md，不写 trace', args: ['build', '--only', 'md,docx,xlsx,pdf,audit', '--out', path.join(tmp, 'all1')] },
    { label: 'build 全部，另开写出线程（JUESUAN_THREADS=on）', args: ['build', '--out', path.join(tmp, 'all2')], target: 1000, env: { JUESUAN_THREADS: 'on' } },
  ];
  const rows: Row[] = [];
  for (const c of cases) {
    const r: Row = { label: c.label, samples: [], target: c.target };
    for (let i = 0; i < o.runs; i++) {
      const s = timed(node, cli(c.args), c.env);
      ensureOk(s, c.label);
      r.samples.push(s);
    }
    printRow(r);
    rows.push(r);
  }

  // The two cold figures a finance officer meets: the first build ever (no cache) and the
  // rebuild after changing one figure (the previous build's caches present).
  console.log(`\n冷启动进程，全部输出，两种缓存状态（${load()}）：`);
  const empty: Row = { label: '缓存为空（首次生成）', samples: [], target: 1000 };
  for (let i = 0; i < o.runs; i++) {
    const dir = fs.mkdtempSync(path.join(tmp, 'cache-empty-'));
    const s = timed(node, cli(['build', '--out', path.join(tmp, 'empty')]), { JUESUAN_CACHE_DIR: dir });
    ensureOk(s, '缓存为空的构建');
    empty.samples.push(s);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printRow(empty);
  const editDir = fs.mkdtempSync(path.join(tmp, 'edit-'));
  const editCache = path.join(editDir, 'cache');
  const editData = path.join(editDir, 'data.yaml');
  const original = fs.readFileSync(o.data, 'utf8');
  fs.writeFileSync(editData, original);
  const editArgs = [CLI, 'build', '--data', editData, '--out', path.join(editDir, 'out')];
  ensureOk(timed(node, editArgs, { JUESUAN_CACHE_DIR: editCache }), '改数前的构建');
  const edited: Row = { label: '改一个金额后重建（上次的缓存在）', samples: [], target: 1000 };
  for (let i = 0; i < o.runs; i++) {
    fs.writeFileSync(editData, editedAmount(original, i));
    const s = timed(node, editArgs, { JUESUAN_CACHE_DIR: editCache });
    ensureOk(s, '改数后的构建');
    edited.samples.push(s);
  }
  printRow(edited);
  const npmRow: Row = { label: 'npm run check（含 npm 自身启动）', samples: [] };
  const npmCheck = spawnSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' });
  if (npmCheck.status === 0) {
    for (let i = 0; i < o.runs; i++) {
      const s = timed(npmCheck.stdout.trim(), ['run', '-s', 'check', '--', '--data', o.data]);
      ensureOk(s, 'npm run check');
      npmRow.samples.push(s);
    }
    printRow(npmRow);
    const bare = timed(npmCheck.stdout.trim(), ['--version']);
    console.log(`  （对照：npm --version 本身 ${secs(bare.wall)}）`);
  }

  console.log('\n输出文件大小：');
  for (const f of fs.readdirSync(path.join(tmp, 'all')).sort()) {
    console.log(`  ${f.padEnd(14)} ${fs.statSync(path.join(tmp, 'all', f)).size.toLocaleString('en-US').padStart(10)} 字节`);
  }

  const soffice = o.soffice ? findSoffice() : undefined;
  console.log(`\nPDF：我们的路径（data.yaml → report.pdf，冷启动进程）与 LibreOffice（report.docx → PDF），交替运行（${load()}）：`);
  if (!soffice) console.log(`  ${o.soffice ? '未找到 soffice（apt-get install libreoffice-writer），跳过' : '已按 --no-soffice 跳过'}`);
  else {
    const docx = path.join(tmp, 'all', 'report.docx');
    const profile = `file://${path.join(tmp, 'lo-profile')}`;
    const lo = (outdir: string) => timed(soffice, [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', outdir, docx]);
    ensureOk(lo(path.join(tmp, 'lo')), 'soffice（预热，创建配置目录）');
    const ours: Row = { label: '我们：build --only pdf', samples: [] };
    const theirs: Row = { label: 'LibreOffice：soffice --convert-to pdf', samples: [] };
    for (let i = 0; i < o.runs; i++) {
      const a = timed(node, cli(['build', '--only', 'pdf', '--out', path.join(tmp, 'pdf')]));
      ensureOk(a, 'build --only pdf');
      ours.samples.push(a);
      const b = lo(path.join(tmp, 'lo'));
      ensureOk(b, 'soffice');
      theirs.samples.push(b);
    }
    printRow(ours);
    printRow(theirs);
    const ratio = median(ours.samples.map((s) => s.wall)) / median(theirs.samples.map((s) => s.wall));
    console.log(`  比值（我们 / LibreOffice）：${ratio.toFixed(2)}  ${ratio <= 1 / 3 ? '✓' : '✗'} 目标 ≤ 0.33`);
  }

  if (o.watchRuns > 0) {
    console.log(`\nwatch 模式热重建（全部格式，保存 data.yaml 后；${o.watchRuns} 次；${load()}）：`);
    const w = await watchRebuilds(o.data, o.watchRuns);
    const m = median(w.own);
    console.log(`  每次保存改一个金额：重建用时（watch 自报）中位数 ${Math.round(m)} 毫秒  ${m < 300 ? '✓' : '✗'} 目标 < 300 毫秒；从保存到打印完成 ${Math.round(median(w.wall))} 毫秒（含文件变动通知和 80 毫秒的防抖等待）`);
    if (w.unchanged.length) console.log(`  保存后文档未变（只加了注释）：中位数 ${Math.round(median(w.unchanged))} 毫秒（沿用上次的 Word/Excel/PDF/Markdown，只重写 audit.md 和 trace）`);
  }

  if (o.batch > 0) {
    console.log(`\n批量：${o.batch} 个模拟单位（npm run gen-fixtures），全部格式，${os.availableParallelism?.() ?? cpus.length} 个线程（${load()}）：`);
    const dir = path.join(tmp, 'fixtures');
    generateFixtures({ count: o.batch, out: dir, seed: 1 });
    // Twice on one fresh cache folder: first with every cache empty (code cache, fonts, layouts,
    // streams: a province's first batch of new reports), then again with the caches it left (the
    // batch rebuilt after late adjustments).
    const cache = path.join(tmp, 'batch-cache');
    const states = [
      { label: '首次（缓存全空：程序代码、字体、排版、压缩都从头算）', out: 'batch' },
      { label: '再次生成同一批（上次留下的缓存在）', out: 'batch2' },
    ];
    for (const st of states) {
      const r = await batchRun(dir, path.join(tmp, st.out), { JUESUAN_CACHE_DIR: cache });
      if (r.status !== 0) throw new Error(`批量生成失败：\n${r.stdout}`);
      const scaled = o.batch === 100 ? '' : `（按 100 个折算约 ${secs((r.wall * 100) / o.batch)}）`;
      console.log(`  ${st.label}：用时 ${secs(r.wall)}${scaled}  ${o.batch === 100 ? (r.wall < 40000 ? '✓' : '✗') + ' 目标 < 40 s' : ''}；内存峰值（整个进程树的 RSS，每 100 毫秒采样 /proc）${Math.round(r.peakKb / 1024)} MB  ${r.peakKb < 500 * 1024 ? '✓' : '✗'} 目标 < 500 MB`);
    }
  }
  console.log(`\n结束时的${load()}。`);
  fs.rmSync(tmp, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(`基准测试未完成：${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
