/**
 * Build one data file into one output folder and describe the result as plain
 * data (no printing): shared by `watch` and `--batch`. Loaded as a worker
 * thread (worker_threads) it builds every job posted to it, so the fonts,
 * templates and libraries it loads once serve every later build.
 *
 * Messages are the same located Chinese lines `check` prints.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isMainThread, parentPort } from 'worker_threads';
import { InputError, formatLocation, formatProblem } from '../errors';
import { AuditError } from '../pipeline';
import type { Finding } from '../audit/rules';
import { balancedPlan, buildFor, renderAll, threadPlan, WRITERS } from './outputs';
import { publish } from './publish';
import type { WriterThread } from './writer-thread';

export interface BuildJob {
  data: string;
  out: string;
  only?: string[];
  /** Compare each output with the file it replaces (watch: "which files changed"). */
  compare?: boolean;
  /**
   * Watch: write the Word (and Excel) file on a second thread that stays
   * loaded between builds, and do not render again the files of a document
   * equal to the last one built (same worker, so same toolkit files).
   */
  warm?: boolean;
}

export interface WrittenFile {
  file: string;
  bytes: number;
  /** Only with `compare`: false when the new bytes equal the file replaced. */
  changed?: boolean;
}

export interface BuildResult {
  data: string;
  out: string;
  /** ok: outputs written; invalid: data or audit errors, nothing written; internal: a bug or I/O failure. */
  status: 'ok' | 'invalid' | 'internal';
  /** Headline in Chinese, e.g. "审核通过，另有 15 条尾数差异提示". */
  summary: string;
  /** Located lines: the errors (invalid) or the warnings (ok). */
  lines: string[];
  /** The first location of an error, "file:line:col" (for a summary table). */
  where?: string;
  errors: number;
  warnings: number;
  written: WrittenFile[];
  ms: number;
}

export function formatFinding(f: Finding): string {
  const where = formatLocation(f.loc);
  const tag = f.severity === 'error' ? '错误' : '提示';
  return `${where ? where + ': ' : ''}${tag} [${f.rule}] ${f.message}`;
}

function previous(out: string, only?: string[]): Map<string, Buffer> {
  const m = new Map<string, Buffer>();
  for (const w of WRITERS) {
    if (only && !only.includes(w.format)) continue;
    try {
      m.set(w.file, fs.readFileSync(path.join(out, w.file)));
    } catch {
      /* not there yet */
    }
  }
  return m;
}

/** Watch's warm state in this worker: the writer thread, the last timings, the last document's files. */
let thread: WriterThread | undefined;
let lastTimings: Record<string, number> | undefined;
let lastBuild: { key: string; files: Map<string, Buffer> } | undefined;
/** Formats whose bytes are a function of the document (and its font files) alone. */
const FROM_DOCUMENT = ['md', 'docx', 'xlsx', 'pdf'];

export async function buildOne(job: BuildJob): Promise<BuildResult> {
  const t0 = process.hrtime.bigint();
  const plan = job.warm ? (lastTimings ? balancedPlan(lastTimings, job.only) : threadPlan(job.only)) : undefined;
  if (plan && !thread) {
    // Started before the pipeline runs, so it loads its libraries meanwhile; kept for every later build.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    thread = new (require('./writer-thread') as typeof import('./writer-thread')).WriterThread(plan);
  }
  const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const base = { data: job.data, out: job.out, written: [] as WrittenFile[] };
  let built;
  try {
    built = buildFor(job.data, job.only);
  } catch (e) {
    if (e instanceof InputError) {
      return {
        ...base,
        status: 'invalid',
        summary: `数据文件有 ${e.problems.length} 处错误`,
        lines: e.problems.map(formatProblem),
        where: formatLocation(e.problems.find((p) => p.loc)?.loc) || undefined,
        errors: e.problems.length,
        warnings: 0,
        ms: ms(),
      };
    }
    if (e instanceof AuditError) {
      const errs = e.result.errors;
      return {
        ...base,
        status: 'invalid',
        summary: `审核发现 ${errs.length} 个错误`,
        lines: errs.map(formatFinding),
        where: formatLocation(errs.find((f) => f.loc)?.loc) || undefined,
        errors: errs.length,
        warnings: e.result.warnings.length,
        ms: ms(),
      };
    }
    return internal(base, e, ms());
  }
  const warnings = built.audit.warnings;
  try {
    const before = job.compare ? previous(job.out, job.only) : undefined;
    const key = job.warm ? JSON.stringify([built.document, built.model.output.pdfFonts]) : '';
    const reuse = new Map<string, Buffer>();
    if (lastBuild && lastBuild.key === key) for (const [f, b] of lastBuild.files) reuse.set(f, b);
    const timings: Record<string, number> = {};
    const rendered = await renderAll(built, job.only, { thread: plan ? thread : undefined, threadFormats: plan, timings, reuse });
    publish(job.out, rendered);
    if (job.warm) {
      const files = new Map<string, Buffer>();
      for (const w of WRITERS) {
        const r = rendered.find((f) => f.file === w.file);
        if (r && FROM_DOCUMENT.includes(w.format)) files.set(w.format, r.data);
      }
      lastBuild = { key, files };
      // Timings of reused files are 0: keep the ones last measured.
      lastTimings = { ...lastTimings, ...Object.fromEntries(Object.entries(timings).filter(([f, ms]) => ms > 0 || !reuse.has(f))) };
    }
    const written = rendered.map((f) => ({ file: f.file, bytes: f.data.length }));
    const files: WrittenFile[] = written.map((w) => {
      if (!before) return w;
      const old = before.get(w.file);
      const changed = !old || !old.equals(fs.readFileSync(path.join(job.out, w.file)));
      return { ...w, changed };
    });
    return {
      ...base,
      status: 'ok',
      summary: warnings.length ? `审核通过，另有 ${warnings.length} 条尾数差异提示` : '审核通过',
      lines: warnings.map(formatFinding),
      errors: 0,
      warnings: warnings.length,
      written: files,
      ms: ms(),
    };
  } catch (e) {
    return internal({ ...base }, e, ms(), warnings.length);
  }
}

function internal(base: { data: string; out: string; written: WrittenFile[] }, e: unknown, t: number, warnings = 0): BuildResult {
  const message = e instanceof Error ? e.message : String(e);
  return {
    ...base,
    status: 'internal',
    summary: '内部错误（不是数据问题，请联系维护人员）',
    lines: [message],
    errors: 1,
    warnings,
    ms: t,
  };
}

// As a worker thread: build each posted job, answer with its result.
if (!isMainThread && parentPort) {
  const port = parentPort;
  port.on('message', (job: BuildJob) => {
    buildOne(job).then(
      (r) => port.postMessage(r),
      (e: unknown) => port.postMessage(internal({ data: job.data, out: job.out, written: [] }, e, 0)),
    );
  });
}
