/**
 * Typography and page geometry of the Word writer, after GB/T 9704-2012
 * (党政机关公文格式) as summarised in docs/conventions.md §5.
 *
 * All lengths are in twips (1/20 pt) unless a name says otherwise; font sizes
 * are in half-points, as WordprocessingML stores them (w:sz).
 */

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
 * Font names as a Chinese Word/WPS installation knows them. The East Asian
 * face is named with its GB2312-era name first (what 公文 templates use); the
 * font table (fonts.ts) gives each an altName so Word falls back to the face
 * Windows ships (仿宋_GB2312 → 仿宋 → FangSong, 楷体_GB2312 → 楷体 → KaiTi).
 */
export const FONT = {
  latin: 'Times New Roman',
  fangsong: '仿宋_GB2312',
  heiti: '黑体',
  kaiti: '楷体_GB2312',
  songti: '宋体',
  /** Title face of 公文 (方正小标宋简体); falls back to 宋体. */
  xiaobiaosong: '方正小标宋简体',
} as const;

/** A4 portrait with the GB/T 9704 margins (type area 156 × 225 mm). */
export const PORTRAIT = {
  width: mm(210) /* 11906 */,
  height: mm(297) /* 16838 */,
  margin: { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), header: mm(15), footer: mm(22) },
} as const;

/**
 * A4 landscape for wide tables. GB/T 9704 does not cover landscape pages; the
 * margins keep the page number clear of the table and leave a 237 mm line.
 */
export const LANDSCAPE = {
  width: mm(297),
  height: mm(210),
  margin: { top: mm(25), bottom: mm(30), left: mm(30), right: mm(30), header: mm(12), footer: mm(18) },
} as const;

export type PageGeometry = typeof PORTRAIT | typeof LANDSCAPE;

/** Width of the text column of a page. */
export const textWidth = (page: PageGeometry): number => page.width - page.margin.left - page.margin.right;

/** Fixed line pitch of body text: 28 pt (22 lines on the 225 mm type area). */
export const BODY_LINE = pt(28);

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
