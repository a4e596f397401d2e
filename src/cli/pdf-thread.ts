/**
 * The PDF writer on a worker thread, for a single `build` on a multi-core
 * machine. main.ts starts the thread before the pipeline runs, so loading
 * pdf-lib and fontkit and parsing the bundled fonts (≈ 0.4 s) overlap with
 * load → compose on the main thread; it hands over the document as soon as it
 * is composed, so laying out and writing the PDF overlaps with the other
 * writers. The document model is plain data (structured clone keeps it
 * exactly) and the writer is the same function: the bytes are the same as in
 * process (tested). Batch and watch workers, which are threads already, and
 * JUESUAN_PDF_THREAD=off render in process.
 */
import * as path from 'path';
import { isMainThread, parentPort, Worker, workerData } from 'worker_threads';
import type { ReportDocument } from '../document/types';
import type { PdfOptions } from '../render/pdf';

const ROLE = 'juesuan-pdf-thread';

type Reply = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

let worker: Worker | undefined;
let pending: { doc: ReportDocument; result: Promise<Buffer> } | undefined;

export function pdfThreadWanted(): boolean {
  return isMainThread && process.env.JUESUAN_PDF_THREAD !== 'off' && __filename.endsWith('.js');
}

/** Start the thread and let it load the writer and the bundled fonts. */
export function startPdfThread(): void {
  if (worker || !pdfThreadWanted()) return;
  worker = new Worker(path.join(__dirname, 'pdf-thread.js'), { workerData: { role: ROLE } });
  worker.unref();
  // An error here surfaces through the render's promise (below); never crash the main thread.
  worker.on('error', () => undefined);
}

/** Hand the composed document to the thread; renderPdf(doc) picks the result up. */
export function beginPdf(doc: ReportDocument, options: PdfOptions): void {
  const w = worker;
  if (!w) return;
  w.ref(); // keep the process alive until the answer arrives
  const result = new Promise<Buffer>((resolve, reject) => {
    const fail = (e: Error) => reject(e);
    w.once('error', fail);
    w.once('exit', (code) => reject(new Error(`PDF 线程意外退出（代码 ${code}）`)));
    w.once('message', (r: Reply) => {
      w.off('error', fail);
      w.unref();
      if (r.ok) resolve(Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength));
      else reject(new Error(r.message));
    });
  });
  result.catch(() => undefined); // handled where it is awaited
  w.postMessage({ doc, options });
  pending = { doc, result };
}

/** The WRITERS entry: the thread's result for this document, else render in process. */
export function renderPdf(doc: ReportDocument, options: PdfOptions): Promise<Buffer> {
  if (pending && pending.doc === doc) {
    const r = pending.result;
    pending = undefined;
    return r;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../render/pdf') as typeof import('../render/pdf')).renderPdf(doc, options);
}

// As the thread: load the writer and the fonts now, then render what is posted.
if (!isMainThread && parentPort && (workerData as { role?: string } | null)?.role === ROLE) {
  const port = parentPort;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const pdf = require('../render/pdf') as typeof import('../render/pdf');
  const { FontSet } = require('../render/pdf/fonts') as typeof import('../render/pdf/fonts');
  /* eslint-enable @typescript-eslint/no-require-imports */
  try {
    new FontSet(); // parse the bundled fonts (cached per process)
  } catch {
    /* reported by the render itself */
  }
  port.on('message', (job: { doc: ReportDocument; options: PdfOptions }) => {
    pdf.renderPdf(job.doc, job.options).then(
      (bytes) => port.postMessage({ ok: true, bytes } satisfies Reply),
      (e: unknown) => port.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) } satisfies Reply),
    );
  });
}
