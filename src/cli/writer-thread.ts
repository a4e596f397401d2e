/**
 * A second thread for the Word (and, when chosen, the Excel) writer, so one
 * build uses both cores: the main thread runs the pipeline, lays the report
 * out once, posts the document model and the pagination (the 目录 page
 * numbers and the table fitting of that one layout) to this thread, and goes
 * on with the PDF, Markdown, audit and trace while this thread writes the
 * docx. The thread is started before the pipeline runs, so it loads its
 * libraries (docx, jszip, exceljs) while the main thread works.
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
import type { FontFiles, TocEntry } from '../layout/pagination';
import type { TableFit } from '../render/pdf/paginate';
import { threadCpuMs } from './thread-cpu';

/** What the Word and Excel writers take from the one page layout (renderDocx/renderXlsx `pagination`). */
export interface Pagination {
  toc: TocEntry[];
  tables: Map<string, TableFit>;
  /** Each part title's lines as the PDF sets them (the Word file breaks them there). */
  partTitleLines?: Map<string, string[]>;
}

/** The formats the thread can write. */
export type ThreadFormat = 'docx' | 'xlsx';

interface Job {
  id: number;
  format: ThreadFormat;
  doc: ReportDocument;
  fonts?: FontFiles;
  pagination: Pagination;
}

interface SentError {
  kind: 'input' | 'fs' | 'range' | 'error';
  message: string;
  problems?: Problem[];
  file?: string;
  code?: string;
}

type Reply = { id: number; ok: true; data: Uint8Array; ms: number; cpu?: number } | { id: number; ok: false; error: SentError };

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
  private readonly waiting = new Map<number, { format: ThreadFormat; resolve: (b: Buffer) => void; reject: (e: Error) => void }>();
  private dead?: Error;
  /** Milliseconds the thread spent on its last render of each format (its own clock, not the wait). */
  readonly ms: Partial<Record<ThreadFormat, number>> = {};
  /** CPU milliseconds of the thread for its last render of each format (Linux), for timings reports. */
  readonly cpu: Partial<Record<ThreadFormat, number>> = {};

  /** Start the thread; it loads the writers of `preload` at once. */
  constructor(preload: ThreadFormat[]) {
    this.worker = new Worker(path.join(__dirname, 'writer-thread.js'), { workerData: { preload } });
    this.worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      if (!w) return;
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

  /** Render one format in the thread. */
  render(format: ThreadFormat, doc: ReportDocument, pagination: Pagination, fonts?: FontFiles): Promise<Buffer> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.next++;
    const job: Job = { id, format, doc, fonts, pagination };
    return new Promise<Buffer>((resolve, reject) => {
      this.waiting.set(id, { format, resolve, reject });
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
};

async function renderJob(job: Job): Promise<Buffer> {
  // The options carry the pagination: renderDocx/renderXlsx then compute no layout of their own.
  const options = { fonts: job.fonts, pagination: job.pagination };
  if (job.format === 'docx') return writers.docx().renderDocx(job.doc, options);
  return writers.xlsx().renderXlsx(job.doc, options);
}

if (!isMainThread && parentPort && (workerData as { preload?: ThreadFormat[] } | undefined)?.preload) {
  const port = parentPort;
  for (const f of (workerData as { preload: ThreadFormat[] }).preload) writers[f]();
  port.on('message', (job: Job) => {
    const t0 = performance.now();
    const c0 = threadCpuMs();
    renderJob(job).then(
      (b) => {
        const data = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
        const whole = b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
        port.postMessage({ id: job.id, ok: true, data, ms: performance.now() - t0, cpu: c0 === undefined ? undefined : (threadCpuMs() ?? c0) - c0 } satisfies Reply, whole ? [b.buffer as ArrayBuffer] : []);
      },
      (e: unknown) => port.postMessage({ id: job.id, ok: false, error: sendable(e) } satisfies Reply),
    );
  });
}
