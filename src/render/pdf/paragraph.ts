/**
 * Paragraph layout: text → justified lines in one face and size, and lines →
 * positioned text runs for the display list.
 */
import type { FontSet, FontRole } from './fonts';
import { adjacentCompressions, breakLines, breakParagraph, compressibleMarks, lineText, type Line } from './linebreaker';
import { DEFAULT_LAYOUT } from '../../layout/spec';

/** Largest stretch between two characters of a justified line, in ems (shared layout description). */
const MAX_STRETCH_EM = DEFAULT_LAYOUT.body.maxStretchEm;
/** Largest tightening between two characters (a twentieth of an em: not seen, but it gives a line room). */
const MAX_SHRINK_EM = 0.08;
import type { StructNode } from './structure';
import { layoutMemo } from './layout-cache';

export type TextAlign = 'justify' | 'left' | 'center' | 'right';

export interface TextStyle {
  role: FontRole;
  size: number;
  /** Line pitch (baseline to baseline). */
  pitch: number;
  /** First-line indent in ems. */
  indentEm: number;
  align: TextAlign;
  /** Fixed-width digits (tables). */
  tabular?: boolean;
}

export interface LaidLine {
  line: Line;
  style: TextStyle;
  /** x offset of the line's start from the left of its measure. */
  x: number;
}

/** A run of text drawn after `before` points of extra space. */
export interface TextRun {
  text: string;
  before: number;
}

/** A line of text in the display list. */
export interface TextItem {
  kind: 'text';
  x: number;
  /** Baseline. */
  y: number;
  role: FontRole;
  size: number;
  tabular: boolean;
  runs: TextRun[];
  /** Points taken off each compressible mark but the last character (see Line.squeeze). */
  squeeze: number;
  /** Code-point indices of marks set half width (clreq adjacent punctuation), justified text only. */
  compress?: number[];
  /** What the line belongs to (for checks): 'body', 'heading', 'part', 'table', … */
  tag?: ItemTag;
  /** The structure element the line belongs to; none: an artifact (page number, repeated header). */
  node?: StructNode;
}

export type ItemTag = 'cover' | 'toc' | 'part' | 'heading' | 'body' | 'note' | 'table-title' | 'table-meta' | 'cell' | 'table-note' | 'page-number';

const laidCache = new WeakMap<FontSet, Map<string, LaidLine[]>>();

/**
 * Break `text` into lines of `width` and place them horizontally (memoised
 * per font set: keep-with-next looks ahead at the same paragraphs it later
 * places; the lines are never modified).
 */
export function layoutText(text: string, style: TextStyle, width: number, fonts: FontSet): LaidLine[] {
  const key = `${style.role}|${style.size}|${style.pitch}|${style.indentEm}|${style.align}|${style.tabular ? 1 : 0}|${width}|${text}`;
  // Across builds (watch, batch, the next cold run): by content, for the font files' identity.
  const memo = layoutMemo(fonts.key);
  if (memo) return memo.text(key, () => layoutTextUncached(text, style, width, fonts));
  let cache = laidCache.get(fonts);
  if (!cache) laidCache.set(fonts, (cache = new Map()));
  let laid = cache.get(key);
  if (!laid) {
    laid = layoutTextUncached(text, style, width, fonts);
    if (cache.size < 20000) cache.set(key, laid);
  }
  return laid;
}

function layoutTextUncached(text: string, style: TextStyle, width: number, fonts: FontSet): LaidLine[] {
  const measure = fonts.measurer(style.role, style.size, style.tabular);
  const o = { width, firstIndent: style.indentEm * style.size, measure, em: style.size, justify: style.align === 'justify' };
  // Justified text: total-fit breaking with at most maxStretch between two characters.
  let lines = o.justify ? breakParagraph(text, { ...o, maxStretch: MAX_STRETCH_EM * style.size, maxShrink: MAX_SHRINK_EM * style.size }) : breakLines(text, o);
  if (style.align === 'center' && lines.length > 1) {
    // A centred title over several lines is balanced: the narrowest measure that keeps the line count,
    // so it never ends with a lone character (“……部门决算 / 表”); and broken between words when that
    // keeps the count (“上海市滨江档案服务中心 / 2024年度部门决算表”, not “……服务中 / 心2024……”).
    const words = breakLines(text, { ...o, words: true }).length === lines.length;
    let lo = width / 2;
    let hi = width;
    for (let k = 0; k < 14; k++) {
      const mid = (lo + hi) / 2;
      if (breakLines(text, { ...o, width: mid, words }).length > lines.length) lo = mid;
      else hi = mid;
    }
    lines = breakLines(text, { ...o, width: hi, words });
  }
  return lines.map((line) => {
    let x = line.indent;
    if (style.align === 'center') x = Math.max(0, (width - line.width) / 2);
    else if (style.align === 'right') x = Math.max(0, width - line.width);
    return { line, style, x };
  });
}

/** Turn a laid line into display runs, spreading justification space between atoms. */
export function runsOf(l: LaidLine): TextRun[] {
  const { atoms, justifyTo, squeeze } = l.line;
  const width = squeeze ? l.line.width - squeeze * compressibleMarks(lineText(l.line)) : l.line.width;
  let gap = 0;
  if (justifyTo !== undefined && atoms.length > 1) {
    gap = (justifyTo - width) / (atoms.length - 1);
    // A line that would need more than half an em per gap (a very long
    // unbreakable atom pushed down) is left ragged rather than torn apart.
    if (gap > l.style.size * 0.5) gap = 0;
  }
  const runs: TextRun[] = [];
  atoms.forEach((a, i) => {
    const text = i === atoms.length - 1 ? a.text.replace(/[ \t\u00a0]+$/, '') : a.text;
    if (!text) return;
    if (i > 0 && Math.abs(gap) > 0.001) runs.push({ text, before: gap });
    else if (runs.length > 0) runs[runs.length - 1].text += text;
    else runs.push({ text, before: 0 });
  });
  return runs;
}

function runsText(l: LaidLine): string {
  return l.line.atoms.map((a) => a.text).join('').replace(/[ \t\u00a0]+$/, '');
}

function compressOf(text: string): { compress?: number[] } {
  const c = adjacentCompressions(text);
  return c.length ? { compress: c } : {};
}

/** A display item for a laid line whose measure starts at `left`, baseline `y`. */
export function textItem(l: LaidLine, left: number, y: number, tag?: ItemTag): TextItem {
  return {
    tag,
    kind: 'text',
    x: left + l.x,
    y,
    role: l.style.role,
    size: l.style.size,
    tabular: !!l.style.tabular,
    runs: runsOf(l),
    squeeze: l.line.squeeze,
    ...(l.style.align === 'justify' && !l.style.tabular ? compressOf(runsText(l)) : {}),
  };
}

/** A single unbroken line of text (furniture: labels, page numbers). */
export function simpleItem(
  text: string,
  role: FontRole,
  size: number,
  x: number,
  y: number,
  tag?: ItemTag,
): TextItem {
  return { kind: 'text', x, y, role, size, tabular: false, runs: [{ text, before: 0 }], squeeze: 0, tag };
}

/** Drawn width of a display line (runs, spacing, compression, tabular digits). */
export function itemWidth(it: TextItem, fonts: FontSet): number {
  const text = it.runs.map((r) => r.text).join('');
  let w = it.runs.reduce((s, r) => s + r.before + fonts.measure(r.text, it.role, it.size, it.tabular), 0);
  if (it.squeeze) w -= it.squeeze * compressibleMarks(text);
  if (it.compress) w -= (it.compress.length * it.size) / 2;
  return w;
}
