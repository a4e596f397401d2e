/**
 * The Word and Excel writers' part of the report's one page layout (the 目录
 * page numbers, each table's fitting, the part titles' lines), as plain data
 * that crosses to a writer thread by structured clone. Lays the document out
 * through the memo of src/layout/pagination.ts (so the PDF writer of the same
 * thread draws the same layout).
 */
import type { ReportDocument } from '../document/types';
import type { FontFiles } from '../layout/pagination';
import type { Pagination } from './writer-thread';

export function paginationFrom(doc: ReportDocument, fonts?: FontFiles): Pagination {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { layoutReport } = require('../layout/pagination') as typeof import('../layout/pagination');
  const { writerPagination } = require('../render/docx/pagination') as typeof import('../render/docx/pagination');
  /* eslint-enable @typescript-eslint/no-require-imports */
  return writerPagination(layoutReport(doc, fonts));
}
