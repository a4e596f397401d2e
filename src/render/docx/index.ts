/**
 * The Word writer: ReportDocument → .docx bytes.
 *
 * It walks the document model only (never data.yaml, never a figure of its
 * own): typography, page geometry and packaging are its whole job. The same
 * document always gives the same bytes (see package.ts). Its 目录 page numbers
 * and its table fitting come from the one page layout of the report (the PDF
 * writer's, src/layout/pagination.ts), or from `options.pagination` when the
 * caller has it already (e.g. from another thread): then it lays nothing out.
 *
 * It writes the WordprocessingML itself (document.ts, table.ts, styles-xml.ts,
 * static-parts.ts): no docx library at run time.
 */
import type { ReportDocument } from '../../document/types';
import type { FontFiles } from '../../layout/pagination';
import { withLayout } from '../../layout/spec';
import { DOCUMENT_HEAD } from './static-parts';
import { documentBodyXml } from './document';
import { packageDate } from '../zip';
import { packageDocx } from './package';
import { paginationOf, type WriterPagination } from './pagination';
import { buildStyles } from './styles';
import { stylesXml } from './styles-xml';

export { TOC_LEVELS } from './document';
export { writerPagination, type WriterPagination, type WordTableFit } from './pagination';

export interface RenderDocxOptions {
  /**
   * Write page numbers into the table of contents (for LibreOffice/WPS; Word
   * renumbers on opening). Default: the layout description's toc.pageNumbers.
   */
  tocPageNumbers?: boolean;
  /** The font files the PDF is set in (data.yaml output.pdf_fonts): the page layout is measured with them. */
  fonts?: FontFiles;
  /**
   * The report's pagination (writerPagination of its page layout). When given,
   * the writer does not lay the report out (and `fonts` is not used).
   */
  pagination?: WriterPagination;
}

/** The table type sizes the page layout chose, largest first. */
function tableSizes(pagination: WriterPagination): number[] {
  return [...new Set([...pagination.tables.values()].map((f) => f.size))].sort((a, b) => b - a);
}

export async function renderDocx(doc: ReportDocument, options: RenderDocxOptions = {}): Promise<Buffer> {
  return renderDocxSync(doc, options);
}

/** renderDocx without the promise (the work is synchronous). */
export function renderDocxSync(doc: ReportDocument, options: RenderDocxOptions = {}): Buffer {
  packageDate(doc.meta.date, 'renderDocx');
  const spec = withLayout(doc.layout);
  const withNumbers = (options.tocPageNumbers ?? spec.toc.pageNumbers) && doc.meta.tocPageNumbers !== false;
  const pagination = paginationOf(doc, options.pagination, options.fonts);
  const body = documentBodyXml(doc, { pagination, pageNumbers: !!withNumbers });
  const document = DOCUMENT_HEAD + body + '</w:body></w:document>';
  const styles = stylesXml(buildStyles(doc.meta.language, spec, tableSizes(pagination)));
  return packageDocx(doc.meta, { document, styles });
}
