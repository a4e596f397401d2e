/**
 * Render every format to memory, then publish them into output/ only when all
 * succeeded, as one set (src/cli/publish.ts: private staging folder, lock,
 * journal with rollback), so a failed build never leaves a mix of old and new
 * files or a temporary file.
 */
import * as fs from 'fs';
import { ReportDocument } from '../document/types';
import { Built } from '../pipeline';
import { renderMarkdown } from '../render/md';
import { renderAuditReport } from './audit-report';
import { renderXlsx } from '../render/xlsx';
import { renderDocx } from '../render/docx';
import { renderPdf } from '../render/pdf';
import { renderTraceJson } from '../review/trace';
import { publish, PublishOptions } from './publish';

export interface Writer {
  format: string;
  file: string;
  render(doc: ReportDocument, built: Built): Promise<Buffer>;
}

export const WRITERS: Writer[] = [
  { format: 'md', file: 'report.md', render: async (doc) => Buffer.from(renderMarkdown(doc), 'utf8') },
  { format: 'docx', file: 'report.docx', render: (doc) => renderDocx(doc) },
  { format: 'xlsx', file: 'report.xlsx', render: (doc) => renderXlsx(doc) },
  { format: 'pdf', file: 'report.pdf', render: (doc, b) => renderPdf(doc, { fonts: b.model.output.pdfFonts }) },
  { format: 'audit', file: 'audit.md', render: async (_doc, b) => Buffer.from(renderAuditReport(b), 'utf8') },
  { format: 'trace', file: 'report.trace.json', render: async (_doc, b) => Buffer.from(renderTraceJson(b, fs.readFileSync(b.model.file, 'utf8')), 'utf8') },
];

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
