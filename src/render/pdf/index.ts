/**
 * PDF writer: ReportDocument → PDF bytes, with our own layout engine on
 * pdf-lib.
 *
 *   fonts.ts       font files, metrics, the fontkit 2 adapter for pdf-lib
 *   linebreaker.ts UAX #14 + Chinese prohibition rules + number atoms
 *   paragraph.ts   text → justified lines → display runs
 *   table.ts       column widths, merged header grid, wrapped cells, rules
 *   paginate.ts    blocks → pages (display list) and outline anchors
 *   emit.ts        display list → content streams, subset font embedding
 *   outline.ts     bookmarks, page labels, metadata, /ID
 *   structure.ts   tagged PDF: structure tree, marked content
 */
import { createHash } from 'crypto';
import { PDFDocument } from 'pdf-lib';
import type { ReportDocument } from '../../document/types';
import { takeLayout } from '../../layout/pagination';
import { FontSet, saveFontCaches } from './fonts';
import { paginate, type LayoutResult } from './paginate';
import { Emitter } from './emit';
import { addLinks, addOutline, addPageLabels, setMetadata } from './outline';
import { buildStructTree } from './structure';
import { beginDeflateSession, endDeflateSession, installDeflateCache } from './deflate-cache';
import { installFastStreamCopy } from './pdflib-copy';

// pdf-lib's stream compression, memoised by exact input (same bytes; see deflate-cache.ts).
installDeflateCache();
// pdf-lib's stream copy, with one Uint8Array.set instead of a byte loop (same bytes; see pdflib-copy.ts).
installFastStreamCopy();

export interface PdfOptions {
  /** Paths to user-supplied TTF/OTF files overriding the bundled ones. */
  fonts?: { serif?: string; sans?: string };
}

/** Lay out a document without writing PDF (for tests and diagnostics). */
export function layoutPdf(doc: ReportDocument, options?: PdfOptions): LayoutResult {
  return paginate(doc, new FontSet(options?.fonts));
}

export async function renderPdf(doc: ReportDocument, options?: PdfOptions): Promise<Buffer> {
  // The layout the Word and Excel writers of this build used, if they ran first (one layout per build);
  // the emitter marks it, so it leaves the memo.
  const { layout, fonts } = takeLayout(doc, options?.fonts);
  beginDeflateSession(`${doc.meta.department}|${doc.meta.title}`);
  try {
    return await writePdf(doc, layout, fonts);
  } finally {
    endDeflateSession();
  }
}

async function writePdf(doc: ReportDocument, layout: LayoutResult, fonts: FontSet): Promise<Buffer> {
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const emitter = new Emitter(pdf, fonts);
  const pageRefs = await emitter.emitPages(layout);
  buildStructTree(pdf, layout.structure, pageRefs, emitter.mcids);
  addOutline(pdf, pageRefs, layout.anchors);
  addLinks(pdf, pageRefs, layout.pages);
  addPageLabels(pdf, layout.pages.filter((p) => p.number === null).length);
  const seed = createHash('sha256')
    .update(JSON.stringify(doc))
    // The base faces (and whether a 楷体 is installed): not the 楷体 slices touched, which depend on
    // whether the layout was computed (measuring) or memoised.
    .update(JSON.stringify([...['serif', 'serifBold', 'sans'].map((k) => fonts.faces[k].postscriptName), fonts.hasKai]))
    .digest('hex');
  setMetadata(pdf, doc.meta, seed);
  // objectsPerTick: pdf-lib yields to the event loop with setTimeout(0) every 50 objects by default,
  // ≈ 1 ms each, idle time that made up a third of the PDF's wall time; the bytes do not depend on it.
  const bytes = await pdf.save({ useObjectStreams: true, addDefaultPage: false, objectsPerTick: Infinity });
  saveFontCaches(); // glyphs first drawn by the emitter (the subsets were kept as they were made)
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
