/**
 * Render every format to memory, then write them into output/ only when all
 * succeeded: each file goes to a temporary name first and is renamed into
 * place, so a failed build never leaves a mix of old and new files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ReportDocument } from '../document/types';
import { Built } from '../pipeline';
import { renderMarkdown } from '../render/md';
import { renderAuditReport } from './audit-report';
import { renderXlsx } from '../render/xlsx';
import { renderDocx } from '../render/docx';
import { renderPdf } from '../render/pdf';

export interface Writer {
  format: string;
  file: string;
  render(doc: ReportDocument, built: Built): Promise<Buffer>;
}

export const WRITERS: Writer[] = [
  { format: 'md', file: 'report.md', render: async (doc) => Buffer.from(renderMarkdown(doc), 'utf8') },
  { format: 'docx', file: 'report.docx', render: (doc, b) => renderDocx(doc, { fonts: b.model.output.pdfFonts }) },
  { format: 'xlsx', file: 'report.xlsx', render: (doc, b) => renderXlsx(doc, { fonts: b.model.output.pdfFonts }) },
  { format: 'pdf', file: 'report.pdf', render: (doc, b) => renderPdf(doc, { fonts: b.model.output.pdfFonts }) },
  { format: 'audit', file: 'audit.md', render: async (_doc, b) => Buffer.from(renderAuditReport(b), 'utf8') },
];

export async function renderAll(built: Built, only?: string[]): Promise<Array<{ file: string; data: Buffer }>> {
  const chosen = WRITERS.filter((w) => !only || only.includes(w.format));
  const out: Array<{ file: string; data: Buffer }> = [];
  for (const w of chosen) out.push({ file: w.file, data: await w.render(built.document, built) });
  return out;
}

export async function writeOutputs(built: Built, dir: string, only?: string[]): Promise<Array<{ file: string; bytes: number }>> {
  const files = await renderAll(built, only);
  fs.mkdirSync(dir, { recursive: true });
  const temps: Array<[string, string]> = [];
  try {
    for (const f of files) {
      const tmp = path.join(dir, `.${f.file}.tmp`);
      fs.writeFileSync(tmp, f.data);
      temps.push([tmp, path.join(dir, f.file)]);
    }
  } catch (e) {
    for (const [tmp] of temps) fs.rmSync(tmp, { force: true });
    throw e;
  }
  for (const [tmp, final] of temps) fs.renameSync(tmp, final);
  return files.map((f) => ({ file: f.file, bytes: f.data.length }));
}
