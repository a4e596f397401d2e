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
import { documentDate, repackage } from './package';
import { tocPageNumberEstimator } from './page-numbers';

export { TOC_LEVELS } from './document';

export interface RenderDocxOptions {
  /**
   * Lay the pages out to write page numbers into the table of contents (for
   * LibreOffice/WPS; Word renumbers on opening). Default true. It takes a few
   * seconds on a full report; tests that do not look at the TOC turn it off.
   */
  tocPageNumbers?: boolean;
}

export async function renderDocx(doc: ReportDocument, options: RenderDocxOptions = {}): Promise<Buffer> {
  documentDate(doc.meta); // validate before the (slow) layout
  const withNumbers = (options.tocPageNumbers ?? true) && doc.meta.tocPageNumbers !== false;
  let packed: Buffer;
  try {
    packed = await Packer.toBuffer(buildWordDocument(doc, withNumbers ? { pageNumbers: tocPageNumberEstimator() } : {}));
  } catch (error) {
    if (!withNumbers) throw error;
    // The page layout is an estimate for other word processors; never let it cost the report.
    packed = await Packer.toBuffer(buildWordDocument(doc));
  }
  return repackage(packed, doc.meta);
}
