/**
 * Page geometry and typography of the PDF writer (conventions.md §5,
 * GB/T 9704-2012). All lengths are PDF points (1/72 in).
 */

export const MM = 72 / 25.4;

export type Orientation = 'portrait' | 'landscape';

export interface PageGeometry {
  orientation: Orientation;
  width: number;
  height: number;
  top: number;
  bottom: number;
  left: number;
  right: number;
}

const A4_W = 210 * MM;
const A4_H = 297 * MM;

/** Portrait: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm → type area 156 × 225 mm. */
export const PORTRAIT: PageGeometry = {
  orientation: 'portrait',
  width: A4_W,
  height: A4_H,
  top: 37 * MM,
  bottom: 35 * MM,
  left: 28 * MM,
  right: 26 * MM,
};

/**
 * Landscape: the portrait type area turned by 90°, so the type area is
 * 225 × 156 mm and the page number still has room under it.
 */
export const LANDSCAPE: PageGeometry = {
  orientation: 'landscape',
  width: A4_H,
  height: A4_W,
  top: 28 * MM,
  bottom: 26 * MM,
  left: 37 * MM,
  right: 35 * MM,
};

export function geometry(o: Orientation): PageGeometry {
  return o === 'landscape' ? LANDSCAPE : PORTRAIT;
}

export function textWidth(g: PageGeometry): number {
  return g.width - g.left - g.right;
}

export function textHeight(g: PageGeometry): number {
  return g.height - g.top - g.bottom;
}

/** Body text: 三号 (16 pt), 22 lines per type area (≈ 28.95 pt pitch). */
export const BODY_SIZE = 16;
export const BODY_PITCH = (225 * MM) / 22;

/** Document title and part titles: 二号 (22 pt). */
export const TITLE_SIZE = 22;
/** Cover title lines. */
export const COVER_TITLE_SIZE = 26;
export const COVER_SUBTITLE_SIZE = 16;

/** Page number: 四号 (14 pt), its line 7 mm under the type area. */
export const PAGE_NUMBER_SIZE = 14;
export const PAGE_NUMBER_GAP = 7 * MM;

/** Paragraphs of style 'note' in the text flow. */
export const NOTE_SIZE = 12;
export const NOTE_PITCH = 20;

/** Furniture of a 公开 table. */
export const TABLE_TITLE_SIZE = 18;
export const TABLE_TITLE_PITCH = 30;
export const TABLE_META_SIZE = 12;
export const TABLE_META_PITCH = 20;
/** Title of an in-text table. */
export const INLINE_TABLE_TITLE_SIZE = 14;
export const INLINE_TABLE_TITLE_PITCH = 24;

/** Candidate cell sizes, largest first: 五号 (10.5) down to 8 pt. */
export const LABELLED_TABLE_SIZES = [10.5, 10, 9.5, 9, 8.5, 8];
export const INLINE_TABLE_SIZES = [12, 10.5, 10, 9.5, 9, 8.5, 8];
/** A 公开 table is shrunk to fit one page only down to this size. */
export const MIN_ONE_PAGE_TABLE_SIZE = 9;

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
