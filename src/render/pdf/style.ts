/**
 * Page geometry and typography of the PDF writer, in PDF points (1/72 in),
 * computed from the shared layout description (src/layout/spec.ts) that the
 * Word writer reads too.
 */
import { DEFAULT_LAYOUT, MM_PT, bodyPitchPt, type LayoutSpec, type Orientation, type PageSpec } from '../../layout/spec';

export const MM = MM_PT;

export type { Orientation };

export interface PageGeometry {
  orientation: Orientation;
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

function pageGeometry(orientation: Orientation, p: PageSpec): PageGeometry {
  return {
    orientation,
    width: p.widthMm * MM,
    height: p.heightMm * MM,
    top: p.marginMm.top * MM,
    bottom: p.marginMm.bottom * MM,
    left: p.marginMm.left * MM,
    right: p.marginMm.right * MM,
  };
}

/** Everything the PDF layout needs from a layout description, in points. */
export interface PdfStyle {
  spec: LayoutSpec;
  portrait: PageGeometry;
  landscape: PageGeometry;
  bodySize: number;
  bodyPitch: number;
  titleSize: number;
  coverTitleSize: number;
  coverSubtitleSize: number;
  pageNumberSize: number;
  pageNumberGap: number;
  noteSize: number;
  notePitch: number;
  tableTitleSize: number;
  tableMetaSize: number;
  labelledTableSizes: number[];
  minTableSize: number;
}

export function pdfStyle(spec: LayoutSpec = DEFAULT_LAYOUT): PdfStyle {
  return {
    spec,
    portrait: pageGeometry('portrait', spec.page.portrait),
    landscape: pageGeometry('landscape', spec.page.landscape),
    bodySize: spec.body.sizePt,
    bodyPitch: bodyPitchPt(spec),
    titleSize: spec.partTitle.sizePt,
    coverTitleSize: spec.cover.titleSizePt,
    coverSubtitleSize: spec.cover.subtitleSizePt,
    pageNumberSize: spec.pageNumber.sizePt,
    pageNumberGap: spec.pageNumber.gapMm * MM,
    noteSize: spec.note.sizePt,
    notePitch: spec.note.pitchPt,
    tableTitleSize: spec.tables.titleSizePt,
    tableMetaSize: spec.tables.metaSizePt,
    labelledTableSizes: spec.tables.sizesPt,
    minTableSize: spec.tables.minSizePt,
  };
}

const DEFAULT = pdfStyle(DEFAULT_LAYOUT);

/** The default geometry (tests, diagnostics). */
export const PORTRAIT: PageGeometry = DEFAULT.portrait;
export const LANDSCAPE: PageGeometry = DEFAULT.landscape;

export function textWidth(g: PageGeometry): number {
  return g.width - g.left - g.right;
}

export function textHeight(g: PageGeometry): number {
  return g.height - g.top - g.bottom;
}

/** Body text: 三号 (16 pt), 22 lines per type area (≈ 28.95 pt pitch). */
export const BODY_SIZE = DEFAULT.bodySize;
export const BODY_PITCH = DEFAULT.bodyPitch;
export const PAGE_NUMBER_SIZE = DEFAULT.pageNumberSize;

/** Furniture pitches (line box heights) by size. */
export const TABLE_TITLE_PITCH = 30;
export const TABLE_META_PITCH = 20;
/** Title of an in-text table. */
export const INLINE_TABLE_TITLE_SIZE = 14;
export const INLINE_TABLE_TITLE_PITCH = 24;
export const INLINE_TABLE_SIZES = [12, 10.5, 10, 9.5, 9, 8.5, 8];

/** Table rules. */
export const RULE_WIDTH = 0.5;

/**
 * Where the baseline sits in a line box of height `pitch` for text of `size`:
 * CJK glyphs fill the ideographic em box (about −0.12 em … 0.88 em), so
 * centring that box in the line puts the baseline 0.38 em under the middle.
 */
export function baselineOffset(pitch: number, size: number): number {
  return pitch / 2 + 0.38 * size;
}
