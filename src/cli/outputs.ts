/**
 * Render every format to memory, then publish them into output/ only when all
 * succeeded, as one set (src/cli/publish.ts: private staging folder, lock,
 * journal with rollback), so a failed build never leaves a mix of old and new
 * files or a temporary file.
 */
import { ReportDocument } from '../document/types';
import { buildFromFile, Built } from '../pipeline';
import { publish, PublishOptions } from './publish';
import type { Pagination, ThreadFormat, WriterThread } from './writer-thread';

export interface Writer {
  format: string;
  file: string;
  /** `pagination`: the layout's pagination made elsewhere (a writer thread laid the report out): Word and Excel use it. */
  render(doc: ReportDocument, built: Built, pagination?: Pagination): Promise<Buffer>;
}

/** Writer options with the pagination when one was made elsewhere (renderDocx/renderXlsx `pagination`). */
function withPagination<T extends object>(options: T, pagination?: Pagination): T {
  return pagination ? { ...options, pagination } : options;
}

// Each writer's module (and its libraries: docx, exceljs, pdf-lib, fontkit) is
// required only when that writer runs, so `check` and `--only pdf` do not pay
// for loading the others. Node caches a module after its first require.
/* eslint-disable @typescript-eslint/no-require-imports */
export const WRITERS: Writer[] = [
  { format: 'md', file: 'report.md', render: async (doc) => Buffer.from((require('../render/md') as typeof import('../render/md')).renderMarkdown(doc), 'utf8') },
  { format: 'docx', file: 'report.docx', render: (doc, b, p) => (require('../render/docx') as typeof import('../render/docx')).renderDocx(doc, withPagination({ fonts: b.model.output.pdfFonts }, p)) },
  { format: 'xlsx', file: 'report.xlsx', render: (doc, b, p) => (require('../render/xlsx') as typeof import('../render/xlsx')).renderXlsx(doc, withPagination({ fonts: b.model.output.pdfFonts }, p)) },
  // In process, after docx and xlsx: it draws the page layout they computed (src/layout/pagination.ts).
  { format: 'pdf', file: 'report.pdf', render: (doc, b) => (require('../render/pdf') as typeof import('../render/pdf')).renderPdf(doc, { fonts: b.model.output.pdfFonts }) },
  { format: 'audit', file: 'audit.md', render: async (_doc, b) => Buffer.from((require('./audit-report') as typeof import('./audit-report')).renderAuditReport(b), 'utf8') },
  // Recorded during the build when the build was made by buildOutputs (below), else traced again.
  { format: 'trace', file: 'report.trace.json', render: async (_doc, b) => Buffer.from((require('../review/trace') as typeof import('../review/trace')).renderTraceJson(b), 'utf8') },
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The pipeline for a build that writes `only` (all when undefined): when
 * report.trace.json is among them, the one pipeline run records the trace
 * (src/review/trace.ts), so the trace writer does not run the pipeline again.
 */
export function buildFor(data: string, only?: string[]): Built {
  if (only && !only.includes('trace')) return buildFromFile(data);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../review/trace') as typeof import('../review/trace')).buildFromFileTraced(data);
}

/** The pagination of the built document's one layout (memoised): src/cli/pagination.ts. */
export function paginationOf(built: Built): Pagination {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./pagination') as typeof import('./pagination')).paginationFrom(built.document, built.model.output.pdfFonts);
}

/** Where each format is written when a writer thread is used: the rest stays on the main thread. */
export interface RenderOptions {
  thread?: WriterThread;
  /** Formats the thread writes (default: docx). */
  threadFormats?: ThreadFormat[];
  /** Milliseconds each writer took (filled in when given): on the main thread, or the thread's own time. */
  timings?: Record<string, number>;
  /** Files already rendered for this very document (watch: an unchanged document), by format: not rendered again. */
  reuse?: Map<string, Buffer>;
}

/**
 * The formats a build of `only` writes on a second thread, or undefined for
 * none. Default: the thread lays the report out and writes the PDF (it loads
 * pdf-lib, fontkit and parses the fonts while this thread runs the pipeline),
 * this thread writes the Word and Excel files from the thread's pagination
 * and the small files; only when the PDF and the Word or Excel file are both
 * chosen (one format alone never starts a thread). Measured per-thread CPU,
 * merged with the writers' pagination input, cold process (3 runs): one thread
 * 1.40–1.59 s, Word+Excel on the thread 1.08–1.25 s, layout+PDF on the thread
 * 0.81–1.00 s on the critical path; warm: 300 / 280 / 280 ms. Without a PDF,
 * the Word file goes to the thread.
 *
 * Off by default, on only with JUESUAN_THREADS=on: on an idle 2-core machine
 * (npm run bench on a fresh clone, 2026-12-01) the threaded build was no
 * faster than one thread once the caches made the layout cheap (cold build
 * 0.68 s both; after an edit 0.74 vs 0.75 s; caches empty 2.1–2.5 s vs
 * 2.1–2.4 s; watch rebuild 259 vs 228 ms), and it cost 0.15–0.4 s more CPU and
 * ≈ 30 MB more memory: the thread's start, loading the PDF writer twice over
 * and copying the document to it take what the parallel writing saves.
 */
export function threadPlan(only?: string[]): ThreadFormat[] | undefined {
  const has = (f: string) => !only || only.includes(f);
  if (process.env.JUESUAN_THREADS !== 'on') return undefined;
  // JUESUAN_THREAD_FORMATS=docx | docx,xlsx | pdf chooses another split (for measuring).
  const wanted = process.env.JUESUAN_THREAD_FORMATS?.split(',');
  if (wanted) {
    const plan = (['docx', 'xlsx', 'pdf'] as ThreadFormat[]).filter((f) => wanted.includes(f) && has(f));
    return plan.length ? plan : undefined;
  }
  if (has('pdf') && (has('docx') || has('xlsx'))) return ['pdf'];
  if (has('docx') && has('xlsx')) return ['docx'];
  return undefined;
}

/**
 * The split for a warm process (watch) from the previous build's timings:
 * the Word file always goes to the thread; the Excel file joins it when that
 * finishes both sides sooner than leaving it on the main thread.
 */
export function balancedPlan(last: Record<string, number>, only?: string[]): ThreadFormat[] | undefined {
  const plan = threadPlan(only);
  if (!plan || plan.includes('pdf') || !plan.includes('docx') || (only && !only.includes('xlsx'))) return plan;
  const t = (f: string) => last[f] ?? 0;
  const main = WRITERS.filter((w) => w.format !== 'docx' && w.format !== 'xlsx' && (!only || only.includes(w.format))).reduce((a, w) => a + t(w.format), 0);
  const apart = Math.max(t('docx'), main + t('xlsx'));
  const together = Math.max(t('docx') + t('xlsx'), main);
  return together < apart ? ['docx', 'xlsx'] : ['docx'];
}

/**
 * Render the chosen formats. With a thread, the main thread lays the report
 * out first, posts the document and its pagination to the thread and renders
 * the other formats meanwhile. The first failure in WRITERS order is thrown
 * (as a build in one thread would), after the thread has answered.
 */
export async function renderAll(built: Built, only?: string[], opts: RenderOptions = {}): Promise<Array<{ file: string; data: Buffer }>> {
  const chosen = WRITERS.filter((w) => !only || only.includes(w.format));
  const timings = opts.timings;
  const timed = async (format: string, f: () => Promise<Buffer>): Promise<Buffer> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      if (timings) timings[format] = performance.now() - t0;
    }
  };
  const reuse = opts.reuse ?? new Map<string, Buffer>();
  const inThread = new Set<string>(
    opts.thread ? (opts.threadFormats ?? ['docx']).filter((f) => !reuse.has(f) && chosen.some((w) => w.format === f)) : [],
  );
  const remote = new Map<string, Promise<Buffer>>();
  let pagination: Pagination | undefined;
  const fonts = built.model.output.pdfFonts;
  const track = (f: string, p: Promise<Buffer>, thread: WriterThread) => {
    const q = p.then((b) => {
      if (timings) timings[f] = thread.ms[f as ThreadFormat] ?? 0;
      return b;
    });
    q.catch(() => undefined); // awaited below, in order
    remote.set(f, q);
  };
  if (opts.thread && inThread.size) {
    const thread = opts.thread;
    const t0 = performance.now();
    if (inThread.has('pdf')) {
      // The thread lays out and writes the PDF; the Word and Excel writers here wait for its pagination.
      const r = thread.layoutAndPdf(built.document, fonts);
      track('pdf', r.pdf, thread);
      const needs = chosen.some((w) => (w.format === 'docx' || w.format === 'xlsx') && !inThread.has(w.format) && !reuse.has(w.format));
      if (needs) {
        try {
          pagination = await r.pagination;
        } catch {
          // the PDF's failure, reported in WRITERS order below; the writers here lay out themselves
        }
      }
    } else pagination = paginationOf(built);
    if (timings) timings.layout = performance.now() - t0;
    for (const f of inThread) {
      if (f === 'pdf') continue;
      if (!pagination) pagination = paginationOf(built);
      track(f, thread.render(f as ThreadFormat, built.document, pagination, fonts), thread);
    }
  }
  const local = new Map<string, Buffer>();
  let failure: { index: number; error: unknown } | undefined;
  for (const [i, w] of chosen.entries()) {
    if (inThread.has(w.format)) continue;
    const again = reuse.get(w.format);
    if (again) {
      local.set(w.format, again);
      if (timings) timings[w.format] = 0;
      continue;
    }
    try {
      local.set(w.format, await timed(w.format, () => w.render(built.document, built, pagination)));
    } catch (e) {
      failure = { index: i, error: e };
      break;
    }
  }
  const out: Array<{ file: string; data: Buffer }> = [];
  for (const [i, w] of chosen.entries()) {
    if (failure && failure.index === i) throw failure.error;
    const r = remote.get(w.format);
    // A thread failure earlier in WRITERS order than the main thread's is the one reported.
    const data = r ? await r : local.get(w.format);
    if (data === undefined) throw failure?.error ?? new Error(`writer ${w.format} produced nothing`);
    out.push({ file: w.file, data });
  }
  return out;
}

export async function writeOutputs(
  built: Built, dir: string, only?: string[], opts: PublishOptions = {}, render: RenderOptions = {},
): Promise<Array<{ file: string; bytes: number }>> {
  const files = await renderAll(built, only, render);
  publish(dir, files, opts);
  return files.map((f) => ({ file: f.file, bytes: f.data.length }));
}
