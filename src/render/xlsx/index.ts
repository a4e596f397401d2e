/**
 * The Excel writer: one worksheet per 公开 table (公开01表 … 公开09表), laid out
 * like the printed form, amounts as numbers, totals as SUM formulas with their
 * cached values. Reads only the ReportDocument; same document → same bytes.
 */
import type ExcelJS from 'exceljs';
import type { ReportDocument, Table } from '../../document/types';
import { packageDate } from '../zip';
import { workbookParts, zipParts } from './deterministic-zip';
import { addIgnoredErrors } from './ignored-errors';
import { sheetName, writeTableSheet } from './sheet';
import type { FontFiles } from '../../layout/pagination';
import { paginationOf, type WriterPagination } from '../docx/pagination';

export { sheetLayout, sheetName, type SheetLayout } from './sheet';

/**
 * exceljs's Workbook class, required on its own: the package's entry point
 * also loads its streaming reader and writer (unzipper, archiver and their
 * dependencies), which a workbook written in memory never uses — about half
 * of exceljs's module loading. It is the same class as ExcelJS.Workbook.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const Workbook = require('exceljs/lib/doc/workbook') as typeof ExcelJS.Workbook;

/** The 公开 tables of a document, in document order: the table blocks that have a label. */
export function disclosureTables(doc: ReportDocument): Table[] {
  const tables: Table[] = [];
  for (const part of doc.parts) {
    for (const block of part.blocks) {
      if (block.kind === 'table' && block.table.label) tables.push(block.table);
    }
  }
  return tables;
}

/** Build the exceljs workbook (before zip normalization). */
export interface RenderXlsxOptions {
  /** The font files the PDF is set in: the table fitting (orientation) is measured with them. */
  fonts?: FontFiles;
  /** The report's pagination (src/render/docx/pagination.ts): when given, the writer does not lay the report out. */
  pagination?: WriterPagination;
}

export function buildWorkbook(doc: ReportDocument, options: RenderXlsxOptions = {}): ExcelJS.Workbook {
  const fits = paginationOf(doc, options.pagination, options.fonts).tables;
  const tables = disclosureTables(doc);
  if (tables.length === 0) throw new Error('xlsx: the document has no 公开 tables (table blocks with a label)');
  const date = packageDate(doc.meta.date, 'xlsx');

  const wb = new Workbook();
  wb.creator = doc.meta.department;
  wb.lastModifiedBy = doc.meta.department;
  wb.company = doc.meta.department;
  wb.created = date;
  wb.modified = date;
  wb.title = doc.meta.title;
  wb.subject = doc.meta.subject;
  wb.keywords = doc.meta.keywords.join(', ');
  // exceljs writes dc:language but its typings lack the property.
  (wb as ExcelJS.Workbook & { language: string }).language = doc.meta.language;
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 0, visibility: 'visible' }];

  const used = new Set<string>();
  for (const table of tables) {
    let name = sheetName(table);
    for (let n = 2; used.has(name); n++) name = `${sheetName(table).slice(0, 27)}(${n})`;
    used.add(name);
    const orientation = fits.get(table.id)?.orientation ?? table.orientation;
    const ws = wb.addWorksheet(name, { pageSetup: { paperSize: 9, orientation } });
    writeTableSheet(ws, table, orientation);
  }
  return wb;
}

/** Render the 公开 tables of a document as an .xlsx file (deterministic bytes). */
export async function renderXlsx(doc: ReportDocument, options: RenderXlsxOptions = {}): Promise<Buffer> {
  const wb = buildWorkbook(doc, options);
  const parts = await workbookParts(wb);
  return zipParts(parts, packageDate(doc.meta.date, 'xlsx'), (name, data) =>
    /^xl\/worksheets\/sheet\d+\.xml$/.test(name) ? addIgnoredErrors(typeof data === 'string' ? data : data.toString('utf8')) : data,
  );
}
