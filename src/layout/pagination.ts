/**
 * One pagination for every writer: the PDF writer's page layout (our own line
 * and page breaking, on the shared layout description) is the layout of the
 * report. The Word writer takes its 目录 page numbers and its table fitting
 * from it, so the two formats agree on where each part, section and table
 * starts.
 *
 * Loads fontkit and the fonts (to measure), never pdf-lib.
 */
import type { ReportDocument } from '../document/types';
import { FontSet } from '../render/pdf/fonts';
import { paginate, type LayoutResult } from '../render/pdf/paginate';

export interface FontFiles {
  serif?: string;
  sans?: string;
}

/** One 目录 entry with the page it starts on. */
export interface TocEntry {
  kind: 'part' | 'heading' | 'table';
  /** The entry's text (as the Word TOC writes it). */
  text: string;
  /** 1: part; 2: section or table under its part. */
  level: 1 | 2;
  /** The printed page number ("— N —"); the cover and the 目录 have none. */
  page: number;
  /** Physical page index (0-based) and the top of the target (PDF y), for links. */
  pageIndex: number;
  y: number;
}

const cache = new WeakMap<ReportDocument, Map<string, { layout: LayoutResult; fonts: FontSet }>>();

/**
 * The page layout of a document and the font set it was measured with,
 * memoised per document object and font files: the Word, Excel and PDF
 * writers of one build share one layout (the PDF writer draws it with the
 * same font set).
 */
export function layoutWithFonts(doc: ReportDocument, fonts?: FontFiles): { layout: LayoutResult; fonts: FontSet } {
  const key = JSON.stringify(fonts ?? {});
  let byFonts = cache.get(doc);
  if (!byFonts) cache.set(doc, (byFonts = new Map()));
  let hit = byFonts.get(key);
  if (!hit) {
    const set = new FontSet(fonts);
    hit = { layout: paginate(doc, set), fonts: set };
    byFonts.set(key, hit);
  }
  return hit;
}

/**
 * The layout for the PDF emitter, which marks it (the structure tree gets its
 * marked-content ids): the memoised one, taken out of the memo, else a fresh
 * one. So a second PDF of the same document object is laid out again.
 */
export function takeLayout(doc: ReportDocument, fonts?: FontFiles): { layout: LayoutResult; fonts: FontSet } {
  const hit = layoutWithFonts(doc, fonts);
  cache.get(doc)?.delete(JSON.stringify(fonts ?? {}));
  return hit;
}

/** The page layout of a document (memoised per document object and font files). */
export function layoutReport(doc: ReportDocument, fonts?: FontFiles): LayoutResult {
  return layoutWithFonts(doc, fonts).layout;
}

/** The 目录 entries of a laid-out document, in document order. */
export function tocEntries(layout: LayoutResult): TocEntry[] {
  return layout.anchors.flatMap((a) => {
    if (a.toc === undefined) return [];
    const page = layout.pages[a.page].number;
    if (page === null) throw new Error(`目录条目“${a.toc}”落在无页码的页面上`);
    return [{ kind: a.kind, text: a.toc, level: a.kind === 'part' ? 1 : 2, page, pageIndex: a.page, y: a.y } as TocEntry];
  });
}
