/**
 * A second thread for one build's writers, so a build uses both cores. It is
 * started before the pipeline runs and loads its writers meanwhile. Two ways
 * (src/cli/outputs.ts threadPlan chooses):
 *
 *  - 'pdf' (default when the PDF and the Word or Excel file are written): the
 *    main thread posts the document model after the pipeline; the thread lays
 *    the report out (fonts already parsed during the pipeline), sends the
 *    pagination back (目录 page numbers, table fitting, part title lines) and
 *    draws the PDF from that same layout, while the main thread writes the
 *    Word, Excel, Markdown, audit and trace files from the pagination;
 *  - 'docx' / 'xlsx': the main thread lays out and posts the document and the
 *    pagination; the thread writes those files.
 *
 * Both sides are in this file: `WriterThread` (main side) and the handler at
 * the bottom (thread side). The document model is plain data
 * (src/document/types.ts) and the pagination is numbers, strings and Maps,
 * so both travel by structured clone; the file bytes come back transferred.
 *
 * A failure in the thread comes back as the same error class (InputError,
 * FsError, RangeError for memory, else Error) with the same message, so the
 * command prints the same Chinese message and exits with the same code as a
 * build in one thread. A crash of the thread itself fails the build like an
 * internal error (or "内存不足" when it ran out of memory).
 */
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import type { ReportDocument } from '../document/types';
import { FsError, InputError, type Problem } from '../errors';
import type { FontFiles } from '../layout/pagination';
import { threadCpuMs } from './thread-cpu';

/** What the Word and Excel writers take from the one page layout (src/render/docx/pagination.ts). */
export type { WriterPagination as Pagination } from '../render/docx/pagination';
import type { WriterPagination as Pagination } from '../render/docx/pagination';

/**
 * The formats the thread can write. With 'pdf' the thread also lays the
 * report out: it sends the pagination back first (the main thread's Word
 * and Excel writers take it), then the PDF, drawn from that same layout.
 */
export type ThreadFormat = 'docx' | 'xlsx' | 'pdf';

interface Job {
  id: number;
  format: ThreadFormat;
  doc: ReportDocument;
  fonts?: FontFiles;
  /** Given for docx/xlsx; for pdf the thread lays out and answers with the pagination first. */
  pagination?: Pagination;
}

interface SentError {
  kind: 'input' | 'fs' | 'range' | 'error';
  message: string;
  problems?: Problem[];
  file?: string;
  code?: string;
}

type Reply = { id: number; ok: true; data: Uint8Array; ms: number; cpu?: number } | { id: number; pagination: Pagination } | { id: number; ok: false; error: SentError };

function sendable(e: unknown): SentError {
  if (e instanceof InputError) return { kind: 'input', message: e.message, problems: e.problems };
  if (e instanceof FsError) return { kind: 'fs', message: e.message, file: e.file, code: e.code };
  if (e instanceof RangeError) return { kind: 'range', message: e.message };
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}

function revive(s: SentError): Error {
  if (s.kind === 'input') return new InputError(s.problems ?? []);
  if (s.kind === 'fs') return new FsError(s.message, s.file ?? '', s.code);
  if (s.kind === 'range') return new RangeError(s.message);
  return new Error(s.message);
}

/** The main side: one thread, any number of renders (watch keeps it between builds). */
export class WriterThread {
  private readonly worker: Worker;
  private next = 1;
  private readonly waiting = new Map<
    number,
    { format: ThreadFormat; resolve: (b: Buffer) => void; reject: (e: Error) => void; paginated?: (p: Pagination) => void }
  >();
  private dead?: Error;
  /** Milliseconds the thread spent on its last render of each format (its own clock, not the wait). */
  readonly ms: Partial<Record<ThreadFormat, number>> = {};
  /** CPU milliseconds of the thread for its last render of each format (Linux), for timings reports. */
  readonly cpu: Partial<Record<ThreadFormat, number>> = {};

  /**
   * Lay the document out in the thread and write its PDF: resolves the
   * pagination as soon as the layout is done, and the PDF bytes after.
   */
  layoutAndPdf(doc: ReportDocument, fonts?: FontFiles): { pagination: Promise<Pagination>; pdf: Promise<Buffer> } {
    let give!: (p: Pagination) => void;
    const pagination = new Promise<Pagination>((resolve) => (give = resolve));
    const pdf = this.render('pdf', doc, undefined, fonts, give);
    // The PDF's failure (before the layout was done too) is the pagination's failure.
    const both = Promise.race([pagination, pdf.then(() => Promise.reject(new Error('no pagination')))]);
    return { pagination: both as Promise<Pagination>, pdf };
  }

  /** Start the thread; it loads the writers of `preload` at once. */
  constructor(preload: ThreadFormat[]) {
    this.worker = new Worker(path.join(__dirname, 'writer-thread.js'), { workerData: { preload } });
    this.worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      if (!w) return;
      if ('pagination' in r) {
        w.paginated?.(r.pagination);
        return;
      }
      this.waiting.delete(r.id);
      if (r.ok) {
        this.ms[w.format] = r.ms;
        if (r.cpu !== undefined) this.cpu[w.format] = r.cpu;
      }
      if (r.ok) w.resolve(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
      else w.reject(revive(r.error));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => this.fail(new Error(`写文件的线程意外退出（退出码 ${code}）`)));
    // An idle thread does not keep the process alive (a build that fails before posting exits at once).
    this.worker.unref();
  }

  private fail(e: Error): void {
    const err =
      (e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY' ? new RangeError('worker out of memory') : e;
    this.dead ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }

  /** Render one format in the thread (docx, xlsx: from the pagination given). */
  render(format: ThreadFormat, doc: ReportDocument, pagination: Pagination | undefined, fonts?: FontFiles, paginated?: (p: Pagination) => void): Promise<Buffer> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    const job: Job = { id, format, doc, fonts, pagination };
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { format, resolve, reject, paginated });
      this.worker.ref();
      try {
        this.worker.postMessage(job);
      } catch (e) {
        this.waiting.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    }).finally(() => {
      if (!this.waiting.size) this.worker.unref();
    });
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

// ---------------------------------------------------------------------------
// Thread side

/* eslint-disable @typescript-eslint/no-require-imports */
const writers = {
  docx: () => require('../render/docx') as typeof import('../render/docx'),
  xlsx: () => require('../render/xlsx') as typeof import('../render/xlsx'),
  pdf: () => require('../render/pdf') as typeof import('../render/pdf'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

async function renderJob(job: Job, send: (p: Pagination) => void): Promise<Buffer> {
  if (job.format === 'pdf') {
    // Lay out (memoised for the PDF writer, which takes this very layout), hand the pagination over, then draw.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { paginationFrom } = require('./pagination') as typeof import('./pagination');
    send(paginationFrom(job.doc, job.fonts));
    return writers.pdf().renderPdf(job.doc, { fonts: job.fonts });
  }
  // The options carry the pagination: renderDocx/renderXlsx then compute no layout of their own.
  const options = { fonts: job.fonts, pagination: job.pagination };
  if (job.format === 'docx') return writers.docx().renderDocx(job.doc, options);
  return writers.xlsx().renderXlsx(job.doc, options);
}

if (!isMainThread && parentPort && (workerData as { preload?: ThreadFormat[] } | undefined)?.preload) {
  const port = parentPort;
  for (const f of (workerData as { preload: ThreadFormat[] }).preload) {
    writers[f]();
    // The PDF side also parses the bundled fonts now, while the main thread runs the pipeline.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (f === 'pdf') new (require('../render/pdf/fonts') as typeof import('../render/pdf/fonts')).FontSet();
  }
  port.on('message', (job: Job) => {
    const t0 = performance.now();
    const c0 = threadCpuMs();
    renderJob(job, (pagination) => port.postMessage({ id: job.id, pagination } satisfies Reply)).then(
      (b) => {
        const data = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
        port.postMessage({ id: job.id, ok: true, data, ms: performance.now() - t0, cpu: c0 === undefined ? undefined : (threadCpuMs() ?? c0) - c0 } satisfies Reply, whole ? [b.buffer as ArrayBuffer] : []);
      },
      (e: unknown) => port.postMessage({ id: job.id, ok: false, error: sendable(e) } satisfies Reply),
    );
  });
}
