/**
 * Typography and page geometry of the Word writer, after GB/T 9704-2012
 * (党政机关公文格式) as summarised in docs/conventions.md §5.
 *
 * All lengths are in twips (1/20 pt) unless a name says otherwise; font sizes
 * are in half-points, as WordprocessingML stores them (w:sz).
 */

import { DEFAULT_LAYOUT, bodyPitchPt, type FaceRole, type LayoutSpec, type PageSpec } from '../../layout/spec';

/** Millimetres to twips, rounded to whole twips. */
export const mm = (value: number): number => Math.round((value * 1440) / 25.4);

/** Points to twips. */
export const pt = (value: number): number => Math.round(value * 20);

/** Chinese type sizes (字号) in half-points. */
export const SIZE = {
  /** 一号 26pt */
  yihao: 52,
  /** 二号 22pt */
  erhao: 44,
  /** 小二 18pt */
  xiaoer: 36,
  /** 三号 16pt */
  sanhao: 32,
  /** 四号 14pt */
  sihao: 28,
  /** 小四 12pt */
  xiaosi: 24,
  /** 五号 10.5pt */
  wuhao: 21,
  /** 小五 9pt */
  xiaowu: 18,
} as const;

/**
 * Font names as a Chinese Word/WPS installation knows them, from the shared
 * layout description. The East Asian face is named with its GB2312-era name
 * first (what 公文 templates use); the font table (fonts.ts) gives each an
 * altName so Word falls back to the face Windows ships (仿宋_GB2312 → 仿宋 →
 * FangSong, 楷体_GB2312 → 楷体 → KaiTi).
 */
export const FONT = {
  latin: DEFAULT_LAYOUT.latinFace,
  fangsong: DEFAULT_LAYOUT.faces.fangsong.wordName,
  heiti: DEFAULT_LAYOUT.faces.hei.wordName,
  kaiti: DEFAULT_LAYOUT.faces.kai.wordName,
  songti: DEFAULT_LAYOUT.faces.song.wordName,
  /** Title face of 公文 (方正小标宋简体); falls back to 宋体. */
  xiaobiaosong: DEFAULT_LAYOUT.faces.xiaobiaosong.wordName,
} as const;

/** The Word name of a 公文 face role. */
export const faceName = (spec: LayoutSpec, face: FaceRole): string => spec.faces[face].wordName;

export interface PageGeometry {
  orientation: 'portrait' | 'landscape';
  width: number;
  height: number;
  margin: { top: number; bottom: number; left: number; right: number; header: number; footer: number };
}

function pageGeometry(orientation: 'portrait' | 'landscape', p: PageSpec): PageGeometry {
  return {
    orientation,
    width: mm(p.widthMm),
    height: mm(p.heightMm),
    margin: {
      top: mm(p.marginMm.top),
      bottom: mm(p.marginMm.bottom),
      left: mm(p.marginMm.left),
      right: mm(p.marginMm.right),
      header: mm(p.headerMm),
      footer: mm(p.footerMm),
    },
  };
}

/** Page geometries of a layout description, in twips (the same millimetres as the PDF's). */
export function docxPages(spec: LayoutSpec): { portrait: PageGeometry; landscape: PageGeometry } {
  return { portrait: pageGeometry('portrait', spec.page.portrait), landscape: pageGeometry('landscape', spec.page.landscape) };
}

/** A4 portrait with the GB/T 9704 margins (type area 156 × 225 mm). */
export const PORTRAIT = docxPages(DEFAULT_LAYOUT).portrait;
/** A4 landscape for wide tables: the portrait type area turned (225 × 156 mm), as in the PDF. */
export const LANDSCAPE = docxPages(DEFAULT_LAYOUT).landscape;

/** Width of the text column of a page. */
export const textWidth = (page: PageGeometry): number => page.width - page.margin.left - page.margin.right;

/** Fixed line pitch of body text: 22 lines on the 225 mm type area (≈ 28.95 pt), as in the PDF. */
export const bodyLine = (spec: LayoutSpec): number => Math.round((bodyPitchPt(spec) * 20));
export const BODY_LINE = bodyLine(DEFAULT_LAYOUT);

/** First-line indent of two 三号 characters. */
export const BODY_INDENT = { firstLine: pt(32), firstLineChars: 200 } as const;

/** Table text: 五号 (10.5 pt) on a fixed 14 pt line. */
export const TABLE_LINE = pt(14);
/** One 五号 character, the indent step of a name cell per row level. */
export const TABLE_CHAR = pt(10.5);
/** Crowded tables: 小五 (9 pt) on a fixed 12 pt line. */
export const TABLE_LINE_SMALL = pt(12);
export const TABLE_CHAR_SMALL = pt(9);
export const TABLE_ROW_MIN_SMALL = mm(5);
/** Minimum row height of table body rows (about 6 mm, as on the printed forms). */
export const TABLE_ROW_MIN = mm(6);
/** Left/right padding inside table cells. */
export const TABLE_CELL_PAD = mm(1);

/** One 四号 character: the page number sits one character in from the edge of the type area. */
export const PAGE_NUMBER_INDENT = pt(14);
