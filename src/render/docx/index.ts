/**
 * The Word writer: ReportDocument → .docx bytes.
 *
 * It walks the document model only (never data.yaml, never a figure of its
 * own): typography, page geometry and packaging are its whole job. The same
 * document always gives the same bytes (see package.ts).
 */
import { Packer } from 'docx';
import type { ReportDocument } from '../../document/types';
import { buildWordDocument } from './document';
import { repackage } from './package';

export { TOC_TITLE, TOC_LEVELS } from './document';

export async function renderDocx(doc: ReportDocument): Promise<Buffer> {
  const packed = await Packer.toBuffer(buildWordDocument(doc));
  return repackage(packed, doc.meta);
}
