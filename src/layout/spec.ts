/**
 * The shared layout description: page geometry, type scale and heading
 * hierarchy, read by both the PDF writer and the Word writer so the two agree
 * on where every part, section and table starts (GB/T 9704-2012 党政机关公文格式,
 * docs/conventions.md §5).
 *
 * It is a plain data object with defaults (DEFAULT_LAYOUT); a profile may
 * override any part of it with `withLayout(overrides)`. Lengths are in
 * millimetres (geometry) and points (type sizes); each writer converts to its
 * own unit (PDF points, Word twips and half-points).
 */
import type { Heading } from '../document/types';

export type Orientation = 'portrait' | 'landscape';

/** One page size with its margins, in millimetres. */
export interface PageSpec {
  widthMm: number;
  heightMm: number;
  marginMm: { top: number; bottom: number; left: number; right: number };
  /** Word header/footer distances from the page edge (the PDF places its page number by `pageNumber.gapMm`). */
  headerMm: number;
  footerMm: number;
}

/**
 * A face by its typographic role in 公文: 仿宋 (body), 黑体, 楷体, 宋体 and the
 * 小标宋 title face. Each writer maps a role to a font it has.
 */
export type FaceRole = 'fangsong' | 'hei' | 'kai' | 'song' | 'xiaobiaosong';

export interface FaceSpec {
  /** The name a Chinese Word/WPS installation knows (East Asian face of a run). */
  wordName: string;
  /** Alternative names Word tries (font table altName). */
  wordAltName?: string;
}

/** How one heading rank is set. */
export interface HeadingSpec {
  face: FaceRole;
  bold: boolean;
  sizePt: number;
  /** First-line indent in characters. */
  indentChars: number;
}

export type HeadingRank = 1 | 2 | 3 | 4;

export interface LayoutSpec {
  page: Record<Orientation, PageSpec>;
  faces: Record<FaceRole, FaceSpec>;
  /** Latin letters and digits. */
  latinFace: string;
  body: {
    face: FaceRole;
    sizePt: number;
    /** Lines per portrait type area: the fixed line pitch is the type area height / this. */
    linesPerPage: number;
    indentChars: number;
    /** Largest stretch allowed between two characters of a justified line, in ems. */
    maxStretchEm: number;
  };
  /** Part titles ("第一部分 / 部门概况") and the 目录 heading. */
  partTitle: { face: FaceRole; bold: boolean; sizePt: number };
  cover: { titleSizePt: number; subtitleSizePt: number };
  /**
   * Heading ranks by numbering form: 1 "一、" 黑体, 2 "（一）" 楷体, 3 "1．" 仿宋
   * bold, 4 "（1）" 仿宋; all indented two characters.
   */
  headings: Record<HeadingRank, HeadingSpec>;
  pageNumber: { sizePt: number; gapMm: number; indentChars: number };
  note: { sizePt: number; pitchPt: number };
  toc: {
    /** Print page numbers in the 目录 (a profile may turn them off). */
    pageNumbers: boolean;
    /** List the 公开 tables under 第二部分. */
    tables: boolean;
    sizePt: number;
  };
  tables: {
    titleSizePt: number;
    metaSizePt: number;
    /** Candidate body sizes of 公开 tables, largest first. */
    sizesPt: number[];
    /** Smallest body size of a 公开 table. */
    minSizePt: number;
    /** Smallest number of body rows on a continuation page. */
    minRowsPerPage: number;
    /** Line pitch of cell text in ems (single spacing, as Word sets a table), and the cell padding. */
    lineEm: number;
    padYEm: number;
    padXEm: number;
    /** Line boxes of the title and of the label / 部门·单位 lines above a 公开 table. */
    titlePitchPt: number;
    metaPitchPt: number;
  };
}

const A4 = { w: 210, h: 297 };

export const DEFAULT_LAYOUT: LayoutSpec = {
  page: {
    // Portrait: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm → type area 156 × 225 mm.
    portrait: {
      widthMm: A4.w,
      heightMm: A4.h,
      marginMm: { top: 37, bottom: 35, left: 28, right: 26 },
      headerMm: 15,
      footerMm: 22,
    },
    // Landscape (wide tables; GB/T 9704 has no landscape page): the portrait
    // line length of 225 mm across, 172 mm down, the page number 7 mm under
    // the type area as on portrait pages.
    landscape: {
      widthMm: A4.h,
      heightMm: A4.w,
      marginMm: { top: 18, bottom: 20, left: 37, right: 35 },
      headerMm: 10,
      footerMm: 8,
    },
  },
  faces: {
    fangsong: { wordName: '仿宋_GB2312', wordAltName: '仿宋' },
    hei: { wordName: '黑体', wordAltName: 'SimHei' },
    kai: { wordName: '楷体_GB2312', wordAltName: '楷体' },
    song: { wordName: '宋体', wordAltName: 'SimSun' },
    xiaobiaosong: { wordName: '方正小标宋简体', wordAltName: '宋体' },
  },
  latinFace: 'Times New Roman',
  body: { face: 'fangsong', sizePt: 16, linesPerPage: 22, indentChars: 2, maxStretchEm: 0.1 },
  partTitle: { face: 'hei', bold: false, sizePt: 22 },
  cover: { titleSizePt: 26, subtitleSizePt: 16 },
  headings: {
    1: { face: 'hei', bold: false, sizePt: 16, indentChars: 2 },
    2: { face: 'kai', bold: false, sizePt: 16, indentChars: 2 },
    3: { face: 'fangsong', bold: true, sizePt: 16, indentChars: 2 },
    4: { face: 'fangsong', bold: false, sizePt: 16, indentChars: 2 },
  },
  pageNumber: { sizePt: 14, gapMm: 7, indentChars: 1 },
  note: { sizePt: 12, pitchPt: 20 },
  toc: { pageNumbers: true, tables: true, sizePt: 16 },
  tables: {
    titleSizePt: 18,
    metaSizePt: 12,
    sizesPt: [10.5, 10, 9.5, 9],
    minSizePt: 9,
    minRowsPerPage: 5,
    lineEm: 1.2,
    padYEm: 0,
    padXEm: 0.35,
    titlePitchPt: 24,
    metaPitchPt: 16,
  },
};

type DeepPartial<T> = { [K in keyof T]?: T[K] extends Array<unknown> ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge<T>(base: T, over: DeepPartial<T> | undefined): T {
  if (over === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[k] = merge((base as Record<string, unknown>)[k], v as never);
  }
  return out as T;
}

/** The default layout with a profile's overrides applied. */
export function withLayout(overrides?: DeepPartial<LayoutSpec>): LayoutSpec {
  return merge(DEFAULT_LAYOUT, overrides);
}

export type LayoutOverrides = DeepPartial<LayoutSpec>;

/**
 * The rank of a heading from its numbering form ("一、" 1, "（一）" 2, "1．" 3,
 * "（1）" 4), so a heading is set the same wherever it stands (the 附件 nests
 * its sections one level under its own title, but they are numbered, and so
 * set, as in 第三部分). A heading without a numbering form keeps its level.
 */
export function headingRank(h: Pick<Heading, 'level' | 'text'>): HeadingRank {
  const t = h.text.trimStart();
  if (/^[一二三四五六七八九十百]+、/.test(t)) return 1;
  if (/^[（(][一二三四五六七八九十百]+[）)]/.test(t)) return 2;
  if (/^\d+[．.](?!\d)/.test(t)) return 3;
  if (/^[（(]\d+[）)]/.test(t)) return 4;
  return h.level;
}

/** Millimetres to PDF points. */
export const MM_PT = 72 / 25.4;

/** Type-area size of a page in millimetres. */
export function typeArea(p: PageSpec): { widthMm: number; heightMm: number } {
  return {
    widthMm: p.widthMm - p.marginMm.left - p.marginMm.right,
    heightMm: p.heightMm - p.marginMm.top - p.marginMm.bottom,
  };
}

/** The fixed body line pitch in points: the portrait type-area height over the lines per page. */
export function bodyPitchPt(spec: LayoutSpec): number {
  return (typeArea(spec.page.portrait).heightMm * MM_PT) / spec.body.linesPerPage;
}
