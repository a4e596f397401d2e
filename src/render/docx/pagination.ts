/**
 * What the Word and Excel writers take from the report's page layout, as plain
 * data (numbers, strings, arrays and Maps: structured-cloneable, so a worker
 * thread can be handed it instead of laying the report out again):
 *
 *  - the 目录 entries with their page numbers (Word's TOC);
 *  - each part title's lines as set (Word breaks the title where the PDF does);
 *  - per table: orientation, type size, column edges, cell padding, the header
 *    and body cell lines as text, row heights and the body rows of each page
 *    (Word's table fitting; Excel takes the orientation).
 *
 * This module loads no layout code: `writerPagination` only reads a
 * LayoutResult, and `paginationOf` lays the document out (memoised per
 * document object and font files, src/layout/pagination.ts) when no
 * pagination is given.
 */
import type { ReportDocument } from '../../document/types';
import type { FontFiles, TocEntry } from '../../layout/pagination';
import type { Orientation } from '../../layout/spec';
import type { LayoutResult } from '../pdf/paginate';

export interface WordTableFit {
  orientation: Orientation;
  /** Type size of the table text, pt. */
  size: number;
  /** Cell padding, pt (left/right, top/bottom). */
  padX: number;
  padY: number;
  /** Column edges, n + 1 offsets from the table's left, pt. */
  colX: number[];
  /** Header row heights, pt. */
  headerHeights: number[];
  /** Header cells as laid out: grid position and lines of text. */
  header: Array<{ row: number; col: number; lines: string[] }>;
  /** Body rows: height (pt) and, per model cell, its lines and extra left indent (pt). */
  rows: Array<{ height: number; cells: Array<{ lines: string[]; indent: number }> }>;
  /** Body rows [from, to) of each page the table is on. */
  pages: Array<[number, number]>;
}

export interface WriterPagination {
  /** The 目录 entries in document order, with their printed page numbers (tocEntries of the layout). */
  toc: TocEntry[];
  /** Set when the layout's 目录 entries have no page numbers (an entry on an unnumbered page): the message. */
  tocError?: string;
  /** Table fitting by table id. */
  tables: Map<string, WordTableFit>;
  /** Each part title's lines as set, by the title text. */
  partTitleLines: Map<string, string[]>;
}

const lineText = (l: { atoms: ReadonlyArray<{ text: string }> }): string => l.atoms.map((a) => a.text).join('').trimEnd();

/** The writers' part of a page layout, as plain data. */
export function writerPagination(layout: LayoutResult): WriterPagination {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { tocEntries } = require('../../layout/pagination') as typeof import('../../layout/pagination');
  const tables = new Map<string, WordTableFit>();
  for (const [id, fit] of layout.tables) {
    const t = fit.layout;
    tables.set(id, {
      orientation: fit.orientation,
      size: t.size,
      padX: t.padX,
      padY: t.padY,
      colX: [...t.colX],
      headerHeights: [...t.headerHeights],
      header: t.header.map((h) => ({ row: h.row, col: h.col, lines: h.lines.map(lineText) })),
      rows: t.rows.map((r) => ({ height: r.height, cells: r.cells.map((c) => ({ lines: c.lines.map(lineText), indent: c.indent })) })),
      pages: fit.pages.map(([from, to]) => [from, to] as [number, number]),
    });
  }
  let toc: TocEntry[] = [];
  let tocError: string | undefined;
  try {
    toc = tocEntries(layout);
  } catch (e) {
    tocError = (e as Error).message;
  }
  return { toc, ...(tocError !== undefined ? { tocError } : {}), tables, partTitleLines: new Map(layout.partTitleLines ?? []) };
}

const memo = new WeakMap<LayoutResult, WriterPagination>();

/** The pagination of a document: the given one, else from its (memoised) page layout. */
export function paginationOf(doc: ReportDocument, given: WriterPagination | undefined, fonts: FontFiles | undefined): WriterPagination {
  if (given) return given;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { layoutReport } = require('../../layout/pagination') as typeof import('../../layout/pagination');
  const layout = layoutReport(doc, fonts);
  let hit = memo.get(layout);
  if (!hit) memo.set(layout, (hit = writerPagination(layout)));
  return hit;
}
