/**
 * Render every format to memory, then publish them into output/ only when all
 * succeeded, as one set (src/cli/publish.ts: private staging folder, lock,
 * journal with rollback), so a failed build never leaves a mix of old and new
 * files or a temporary file.
 */
import { ReportDocument } from '../document/types';
import { buildFromFile, Built } from '../pipeline';
import { publish, PublishOptions } from './publish';

export interface Writer {
  format: string;
  file: string;
  render(doc: ReportDocument, built: Built): Promise<Buffer>;
}

// Each writer's module (and its libraries: docx, exceljs, pdf-lib, fontkit) is
// required only when that writer runs, so `check` and `--only pdf` do not pay
// for loading the others. Node caches a module after its first require.
/* eslint-disable @typescript-eslint/no-require-imports */
export const WRITERS: Writer[] = [
  { format: 'md', file: 'report.md', render: async (doc) => Buffer.from((require('../render/md') as typeof import('../render/md')).renderMarkdown(doc), 'utf8') },
  { format: 'docx', file: 'report.docx', render: (doc, b) => (require('../render/docx') as typeof import('../render/docx')).renderDocx(doc, { fonts: b.model.output.pdfFonts }) },
  { format: 'xlsx', file: 'report.xlsx', render: (doc, b) => (require('../render/xlsx') as typeof import('../render/xlsx')).renderXlsx(doc, { fonts: b.model.output.pdfFonts }) },
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

export async function renderAll(built: Built, only?: string[]): Promise<Array<{ file: string; data: Buffer }>> {
  const chosen = WRITERS.filter((w) => !only || only.includes(w.format));
  const out: Array<{ file: string; data: Buffer }> = [];
  for (const w of chosen) out.push({ file: w.file, data: await w.render(built.document, built) });
  return out;
}

export async function writeOutputs(
  built: Built, dir: string, only?: string[], opts: PublishOptions = {},
): Promise<Array<{ file: string; bytes: number }>> {
  const files = await renderAll(built, only);
  publish(dir, files, opts);
  return files.map((f) => ({ file: f.file, bytes: f.data.length }));
}
