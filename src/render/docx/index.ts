/**
 * The Word writer: ReportDocument → .docx bytes.
 *
 * It walks the document model only (never data.yaml, never a figure of its
 * own): typography, page geometry and packaging are its whole job. The same
 * document always gives the same bytes (see package.ts). Its 目录 page numbers
 * and its table fitting come from the one page layout of the report (the PDF
 * writer's, src/layout/pagination.ts).
 */
import { Packer } from 'docx';
import type { ReportDocument } from '../../document/types';
import { layoutReport, tocEntries, type FontFiles } from '../../layout/pagination';
import { withLayout } from '../../layout/spec';
import { buildWordDocument } from './document';
import { documentDate, repackage } from './package';
import { tocPageNumbersFrom } from './page-numbers';

export { TOC_LEVELS } from './document';

export interface RenderDocxOptions {
  /**
   * Write page numbers into the table of contents (for LibreOffice/WPS; Word
   * renumbers on opening). Default: the layout description's toc.pageNumbers.
   */
  tocPageNumbers?: boolean;
  /** The font files the PDF is set in (data.yaml output.pdf_fonts): the page layout is measured with them. */
  fonts?: FontFiles;
}

export async function renderDocx(doc: ReportDocument, options: RenderDocxOptions = {}): Promise<Buffer> {
  documentDate(doc.meta);
  const spec = withLayout(doc.layout);
  const withNumbers = (options.tocPageNumbers ?? spec.toc.pageNumbers) && doc.meta.tocPageNumbers !== false;
  const layout = layoutReport(doc, options.fonts);
  const pageNumbers = withNumbers ? tocPageNumbersFrom(tocEntries(layout)) : undefined;
  const packed = await Packer.toBuffer(buildWordDocument(doc, { pageNumbers, layout }));
  return repackage(packed, doc.meta);
}
