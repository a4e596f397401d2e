/// <reference path="./linebreak.d.ts" />
/**
 * Chinese line breaking (conventions.md §6).
 *
 * 1. Break opportunities come from UAX #14 (the `linebreak` package).
 * 2. Chinese quotation marks “ ” ‘ ’ are treated as opening/closing
 *    punctuation: UAX #14 classes them QU and forbids every break around them,
 *    which glues whole words to a quote.
 * 3. The clreq "basic" prohibition rules are applied: no line starts with a
 *    closing/pause mark, no line ends with an opening mark.
 * 4. Numbers with their separators and unit (20,624.94 · 229.52% · 2023年 ·
 *    20624.94万元) are atoms: no break inside them.
 *
 * The text is thus cut into atoms (unbreakable pieces, forbidden-start marks
 * glued to the atom before, forbidden-end marks to the atom after), and lines
 * are filled greedily with atoms. A line-end punctuation mark may hang by half
 * an em (its blank half) rather than be pushed to the next line.
 */
import type LineBreakerType from 'linebreak';

// Loaded on first use (its Unicode tables take a while to unpack): a build whose lines are all
// memoised never needs it.
let lineBreakerClass: typeof LineBreakerType | undefined;
function LineBreakerClass(): typeof LineBreakerType {
  if (!lineBreakerClass) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('linebreak') as typeof LineBreakerType & { default?: typeof LineBreakerType };
    lineBreakerClass = m.default ?? m;
  }
  return lineBreakerClass;
}

/** Never at the start of a line (clreq basic level, plus half-width forms). */
export const FORBIDDEN_START = new Set(
  Array.from('、，。．：；！？）】〕」』》〉〗〙｝］”’…‥·・-‐–—―～〜/／%％‰,.;:!?)]}'),
);
/** Never at the end of a line. */
export const FORBIDDEN_END = new Set(Array.from('（【〔「『《〈〖〘｛［“‘([{'));
/**
 * Full-width marks whose right half is blank: at a line end they may hang by
 * half an em; inside a line they may be set half-width (compressed) to fit.
 */
export const COMPRESSIBLE = new Set(Array.from('，。、；：？！）】〕」』》〉”’'));

/** Compressible marks in a line's text, not counting its last character (which hangs instead). */
export function compressibleMarks(text: string): number {
  const chars = Array.from(text.replace(/[ \t\u00a0]+$/, ''));
  let n = 0;
  for (let i = 0; i < chars.length - 1; i++) if (COMPRESSIBLE.has(chars[i])) n++;
  return n;
}

/**
 * Numbers and the unit after them. A sign is part of the number only when it
 * does not follow a letter or digit.
 */
export const NUMBER_ATOM =
  /(?:(?<![0-9A-Za-z])[-−+])?\d[\d,]*(?:\.\d+)?(?:%|％|‰|万人次|万元|亿元|万|亿|元|人次|年|月|日|个|人|次|辆|台|套|项|家|名|天|平方米|公里|小时)?/g;

const OPENING_QUOTES = new Set(Array.from('“‘'));
const CLOSING_QUOTES = new Set(Array.from('”’'));

function isCjk(ch: string | undefined): boolean {
  if (!ch) return false;
  const cp = ch.codePointAt(0)!;
  return (
    (cp >= 0x2e80 && cp <= 0x9fff) || // radicals, CJK punctuation, kana, ideographs
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x20000 && cp <= 0x3ffff)
  );
}

/**
 * Break opportunities of `text`: `allowed[i]` is true when a line may start at
 * UTF-16 index i (0 < i < text.length).
 */
export function breakOpportunities(text: string): boolean[] {
  const n = text.length;
  const allowed = new Array<boolean>(n + 1).fill(false);
  const lb = new (LineBreakerClass())(text);
  for (let b = lb.nextBreak(); b; b = lb.nextBreak()) {
    if (b.position > 0 && b.position < n) allowed[b.position] = true;
  }
  // The character before / at each index (whole code points).
  const charAt = (i: number): string | undefined => {
    if (i < 0 || i >= n) return undefined;
    const cp = text.codePointAt(i)!;
    return String.fromCodePoint(cp);
  };
  const charBefore = (i: number): string | undefined => {
    if (i <= 0) return undefined;
    const lo = text.charCodeAt(i - 1);
    if (lo >= 0xdc00 && lo <= 0xdfff && i >= 2) return text.slice(i - 2, i);
    return text[i - 1];
  };
  for (let i = 1; i < n; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff) {
      allowed[i] = false; // inside a surrogate pair
      continue;
    }
    const prev = charBefore(i)!;
    const next = charAt(i)!;
    // Chinese quotes behave as opening/closing brackets next to CJK text.
    if (OPENING_QUOTES.has(next) && isCjk(prev)) allowed[i] = true;
    if (CLOSING_QUOTES.has(prev) && isCjk(next)) allowed[i] = true;
    if (OPENING_QUOTES.has(prev) || CLOSING_QUOTES.has(next)) allowed[i] = false;
    // Prohibition rules.
    if (FORBIDDEN_START.has(next)) allowed[i] = false;
    if (FORBIDDEN_END.has(prev)) allowed[i] = false;
    // Two-em dashes and ellipses are one unit.
    if ((prev === '—' && next === '—') || (prev === '…' && next === '…')) allowed[i] = false;
  }
  // Numbers with their unit are atoms.
  NUMBER_ATOM.lastIndex = 0;
  for (let m = NUMBER_ATOM.exec(text); m; m = NUMBER_ATOM.exec(text)) {
    for (let i = m.index + 1; i < m.index + m[0].length; i++) allowed[i] = false;
  }
  allowed[0] = false;
  allowed[n] = false;
  return allowed;
}

const tokenCache = new Map<string, readonly string[]>();
const TOKEN_CACHE_LIMIT = 20000;

/** Cut `text` into atoms at its break opportunities (memoised: tables re-measure often). */
export function tokenize(text: string): string[] {
  let atoms = tokenCache.get(text);
  if (!atoms) {
    if (tokenCache.size >= TOKEN_CACHE_LIMIT) tokenCache.clear();
    atoms = tokenizeUncached(text);
    tokenCache.set(text, atoms);
  }
  return atoms.slice();
}

function tokenizeUncached(text: string): string[] {
  const allowed = breakOpportunities(text);
  const atoms: string[] = [];
  let start = 0;
  for (let i = 1; i < text.length; i++) {
    if (allowed[i]) {
      atoms.push(text.slice(start, i));
      start = i;
    }
  }
  if (start < text.length) atoms.push(text.slice(start));
  return atoms;
}

/**
 * Words that Intl.Segmenter's dictionary cuts but that a table header or an
 * item name reads as one (本年/收入/合计, not 本/年/收入/合计).
 */
export const GLUE_WORDS = ['本年', '上年', '年初', '年末', '结转', '结余', '上缴', '用车', '小计', '决算数', '预算数', '栏次', '行次', '拨款', '出国（境）'];

let segmenter: Intl.Segmenter | undefined;

/**
 * Word boundaries of `text` (Chinese by the ICU dictionary, plus GLUE_WORDS):
 * `b[i]` is true when a word starts at UTF-16 index i.
 */
export function wordBoundaries(text: string): boolean[] {
  segmenter ??= new Intl.Segmenter('zh', { granularity: 'word' });
  const b = new Array<boolean>(text.length + 1).fill(false);
  for (const seg of segmenter.segment(text)) b[seg.index] = true;
  for (const w of GLUE_WORDS) {
    for (let i = text.indexOf(w); i >= 0; i = text.indexOf(w, i + 1)) for (let k = i + 1; k < i + w.length; k++) b[k] = false;
  }
  b[0] = false;
  b[text.length] = false;
  return b;
}

const wordTokenCache = new Map<string, readonly string[]>();

/** Atoms that are whole words: break opportunities only at word boundaries (table cells). */
export function tokenizeWords(text: string): string[] {
  let atoms = wordTokenCache.get(text);
  if (!atoms) {
    if (wordTokenCache.size >= TOKEN_CACHE_LIMIT) wordTokenCache.clear();
    const allowed = breakOpportunities(text);
    const words = wordBoundaries(text);
    const out: string[] = [];
    let start = 0;
    for (let i = 1; i < text.length; i++) {
      if (allowed[i] && (words[i] || /\s/.test(text[i - 1]))) {
        out.push(text.slice(start, i));
        start = i;
      }
    }
    if (start < text.length) out.push(text.slice(start));
    atoms = out;
    wordTokenCache.set(text, atoms);
  }
  return atoms.slice();
}

export interface LineAtom {
  text: string;
  /** Width without trailing spaces. */
  width: number;
  /** Width of trailing spaces (kept inside a line, dropped at its end). */
  spaceWidth: number;
}

export interface Line {
  atoms: LineAtom[];
  /** Offset of the line's start from the left edge (first-line indent). */
  indent: number;
  /** Natural width of the atoms (trailing spaces of the last atom excluded). */
  width: number;
  /** Width the line should be justified to, or undefined for ragged (last line). */
  justifyTo?: number;
  /**
   * Points taken off each compressible mark inside the line (not the last
   * character) so that the line fits; 0 for most lines.
   */
  squeeze: number;
}

export interface BreakOptions {
  /** Width of the measure (line length). */
  width: number;
  /** Indent of the first line. */
  firstIndent?: number;
  /** Text width in points. */
  measure: (s: string) => number;
  /** The font size: an em, for hanging punctuation. */
  em: number;
  /** Justify all lines but the last (default true). */
  justify?: boolean;
  /**
   * Let line-end marks hang and compress marks inside a line to fit (default
   * true). Table cells turn it off: they have no margin to hang into.
   */
  squeeze?: boolean;
  /** Break only between words (table cells: "其他一般/公共服务支出", never "其他一般公/共服务支出"). */
  words?: boolean;
}

const EPS = 0.01;

/** Split an atom that is wider than a line into pieces that fit (emergency). */
function splitLongAtom(text: string, avail: number, measure: (s: string) => number): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (cur && measure(cur + ch) > avail + EPS) {
      pieces.push(cur);
      cur = ch;
    } else {
      cur += ch;
    }
  }
  if (cur) pieces.push(cur);
  return pieces;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0xa0;

function makeAtom(text: string, measure: (s: string) => number): LineAtom {
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  if (end === text.length) return { text, width: measure(text), spaceWidth: 0 };
  const width = measure(text.slice(0, end));
  return { text, width, spaceWidth: measure(text) - width };
}

/**
 * Break `text` into lines of `opts.width`, greedily. Every line except the
 * last carries `justifyTo` (the width to spread it to).
 */
export function breakLines(text: string, opts: BreakOptions): Line[] {
  const { width, measure, em } = opts;
  const justify = opts.justify ?? true;
  const lines: Line[] = [];
  let indent = opts.firstIndent ?? 0;
  let atoms: LineAtom[] = [];
  let lineWidth = 0; // including trailing spaces of inner atoms
  let hanging = 0;
  let squeeze = 0;

  const flush = (last: boolean) => {
    if (atoms.length === 0) return;
    const natural = atoms.reduce((s, a, i) => s + a.width + (i < atoms.length - 1 ? a.spaceWidth : 0), 0);
    const line: Line = { atoms, indent, width: natural, squeeze };
    if (justify && !last) line.justifyTo = width - indent + hanging;
    lines.push(line);
    atoms = [];
    lineWidth = 0;
    hanging = 0;
    squeeze = 0;
    indent = 0;
  };

  const queue = (opts.words ? tokenizeWords(text) : tokenize(text)).map((t) => makeAtom(t, measure));
  for (let qi = 0; qi < queue.length; qi++) {
    const atom = queue[qi];
    const avail = width - indent;
    const end = lineWidth + atom.width;
    if (end <= avail + EPS) {
      atoms.push(atom);
      lineWidth = end + atom.spaceWidth;
      continue;
    }
    // Before pushing the atom down, try to make it fit: a line-end mark
    // hangs by its blank half, then marks inside the line are compressed
    // (clreq: compress punctuation before moving characters).
    if (atoms.length > 0 && opts.squeeze !== false) {
      const lineText = atoms.map((a) => a.text).join('') + atom.text;
      const lastCh = Array.from(lineText.trimEnd()).pop() ?? '';
      const hang = COMPRESSIBLE.has(lastCh) ? em / 2 : 0;
      const marks = compressibleMarks(lineText);
      const overflow = end - avail;
      if (overflow <= hang + (marks * em) / 2 + EPS) {
        atoms.push(atom);
        hanging = Math.min(hang, overflow);
        squeeze = marks > 0 ? Math.max(0, overflow - hanging) / marks : 0;
        flush(false);
        continue;
      }
    }
    if (atoms.length > 0) flush(false);
    const avail2 = width - indent;
    if (atom.width > avail2 + EPS) {
      // Emergency: an atom longer than a line is cut by characters.
      const pieces = splitLongAtom(atom.text, avail2, measure).map((p) => makeAtom(p, measure));
      queue.splice(qi + 1, 0, ...pieces.slice(1));
      const first = pieces[0];
      atoms.push(first);
      lineWidth = first.width + first.spaceWidth;
      continue;
    }
    atoms.push(atom);
    lineWidth = atom.width + atom.spaceWidth;
  }
  flush(true);
  if (justify) avoidRunt(lines, width, em);
  return lines;
}

const lineWidthOf = (atoms: LineAtom[]) =>
  atoms.reduce((s, a, i) => s + a.width + (i < atoms.length - 1 ? a.spaceWidth : 0), 0);

/**
 * A paragraph should not end with a line of one character (中： alone under
 * a full line): the last atom of the line before moves down to keep it
 * company, if that leaves the line before no more than two ems short.
 */
function avoidRunt(lines: Line[], width: number, em: number): void {
  const n = lines.length;
  if (n < 2) return;
  const last = lines[n - 1];
  const prev = lines[n - 2];
  const visible = Array.from(lineText(last)).filter((ch) => !FORBIDDEN_START.has(ch) && !/\s/.test(ch) && !COMPRESSIBLE.has(ch));
  if (visible.length > 1 || prev.atoms.length < 3) return;
  const keep = prev.atoms.slice(0, -1);
  const moved = prev.atoms[prev.atoms.length - 1];
  const keepWidth = lineWidthOf(keep);
  const prevAvail = width - prev.indent;
  if (keepWidth > prevAvail + EPS || keepWidth < prevAvail - 2 * em) return;
  const lastAtoms = [moved, ...last.atoms];
  const lastWidth = lineWidthOf(lastAtoms);
  if (lastWidth > width - last.indent + EPS) return;
  lines[n - 2] = { atoms: keep, indent: prev.indent, width: keepWidth, squeeze: 0, justifyTo: prevAvail };
  lines[n - 1] = { ...last, atoms: lastAtoms, width: lastWidth };
}

/** The text of a line (for tests and text checks). */
export function lineText(line: Line): string {
  return line.atoms.map((a) => a.text).join('');
}

/** Marks whose blank right half clreq compresses when another mark follows ("。”" → "。" half width). */
const COMPRESS_FIRST = new Set(Array.from('，。、）】〕」』》〉”’'));
const COMPRESS_NEXT = new Set(Array.from('，。、；：？！）】〕」』》〉”’（【〔「『《〈“‘'));

/**
 * Code-point indices of `text` set half width by the clreq rule for adjacent
 * punctuation: a mark with a blank right half directly followed by another
 * mark. The same in every line (it is not a justification tool).
 */
export function adjacentCompressions(text: string): number[] {
  const chars = Array.from(text);
  const out: number[] = [];
  for (let i = 0; i + 1 < chars.length; i++) if (COMPRESS_FIRST.has(chars[i]) && COMPRESS_NEXT.has(chars[i + 1])) out.push(i);
  return out;
}

/**
 * A number atom with a Chinese unit after it ("16077.09万元，"): in total-fit
 * breaking the unit may go to the next line (the number itself never splits),
 * at a cost, when no paragraph-wide choice fills the lines otherwise.
 */
const UNIT_SPLIT = /^([-−+]?\d[\d,]*(?:\.\d+)?)((?:万人次|万元|亿元|万|亿|元|人次|个|人|次|辆|台|套|项|家|名|天|平方米|公里|小时).*)$/;
const UNIT_BREAK_DEMERITS = 5e4;

/**
 * Total-fit paragraph breaking (Knuth–Plass, as TeX and Typst's
 * linebreak_optimized): the breaks of the whole paragraph are chosen together
 * so that every line fills its measure by stretching the inter-character glue
 * as little as possible, never more than `maxStretch` (points) per gap where
 * any choice allows it. Punctuation keeps its full width on every line (no
 * compression, no hanging, as a justification tool). The atoms are those of
 * the greedy breaker (UAX #14, clreq prohibitions, number atoms), so the same
 * rules hold.
 *
 * Demerits per line: (1 + 100·r³)² with r the stretch ratio (used / allowed);
 * a line that would need more than the allowed stretch costs 10⁸·r (used only
 * when no paragraph-wide choice avoids it); a last line of one character
 * costs 10⁴ (a runt).
 */
export function breakParagraph(text: string, opts: BreakOptions & { maxStretch: number; maxShrink?: number; unitBreaks?: boolean }): Line[] {
  const { width, em } = opts;
  // Adjacent punctuation is compressed (clreq) wherever it occurs: measure atoms with it.
  const measure = (t: string) => opts.measure(t) - (adjacentCompressions(t).length * em) / 2;
  const firstIndent = opts.firstIndent ?? 0;
  // Atoms, with emergency splitting of an atom wider than a line.
  const atoms: LineAtom[] = [];
  // penalty[k]: demerits of a break before atom k (a unit taken from its number: allowed, avoided).
  const penalty: number[] = [];
  for (const t of tokenize(text)) {
    const a = makeAtom(t, measure);
    if (a.width > width - firstIndent + EPS) {
      for (const p of splitLongAtom(t, width - firstIndent, measure)) {
        atoms.push(makeAtom(p, measure));
        penalty.push(0);
      }
      continue;
    }
    const u = opts.unitBreaks === false ? null : UNIT_SPLIT.exec(t);
    if (u) {
      atoms.push(makeAtom(u[1], measure), makeAtom(u[2], measure));
      penalty.push(0, UNIT_BREAK_DEMERITS);
    } else {
      atoms.push(a);
      penalty.push(0);
    }
  }
  const n = atoms.length;
  if (n === 0) return [];
  // A mark ending an atom before a mark starting the next is compressed too, unless a line ends between them.
  const cross = atoms.map((a, k) => {
    const next = atoms[k + 1];
    const last = Array.from(a.text).pop() ?? '';
    return next !== undefined && a.spaceWidth === 0 && COMPRESS_FIRST.has(last) && COMPRESS_NEXT.has(Array.from(next.text)[0] ?? '');
  });
  cross.forEach((c, k) => {
    if (c) atoms[k] = { ...atoms[k], width: atoms[k].width - em / 2 };
  });
  // prefix[k]: width of atoms [0, k) with their trailing spaces.
  const prefix = new Array<number>(n + 1).fill(0);
  for (let k = 0; k < n; k++) prefix[k + 1] = prefix[k] + atoms[k].width + atoms[k].spaceWidth;
  const natural = (i: number, j: number) => prefix[j] - prefix[i] - atoms[j - 1].spaceWidth + (cross[j - 1] ? em / 2 : 0); // atoms [i, j)
  const visibleChars = (i: number, j: number) =>
    Array.from(atoms.slice(i, j).map((a) => a.text).join('')).filter((ch) => !FORBIDDEN_START.has(ch) && !/\s/.test(ch) && !COMPRESSIBLE.has(ch)).length;

  // A line ending in a mark whose right half is blank may let that half hang into the margin.
  const hangs = atoms.map((a) => {
    const last = Array.from(a.text.trimEnd()).pop() ?? '';
    return opts.squeeze !== false && COMPRESSIBLE.has(last) ? em / 2 : 0;
  });
  const hangOf = (j: number) => hangs[j - 1];
  /** Demerits of a line of atoms [i, j) and how it is set. */
  const fit = (i: number, j: number): { d: number; justifyTo?: number } | undefined => {
    const avail = width - (i === 0 ? firstIndent : 0);
    const w = natural(i, j);
    const hang = hangOf(j);
    const gaps = j - i - 1;
    const shrink = gaps * (opts.maxShrink ?? 0);
    if (w > avail + Math.max(hang, shrink) + EPS && j > i + 1) return undefined;
    if (j === n) {
      if (w > avail + EPS) return { d: 1e9 };
      return { d: 1 + (n > 1 && i > 0 && visibleChars(i, j) <= 1 ? 1e4 : 0) };
    }
    const p = penalty[j] ?? 0;
    if (w > avail + EPS) {
      if (w <= avail + hang + EPS) return { d: 1 + p, justifyTo: w }; // fits exactly by hanging its last mark
      // Characters set a little closer (at most maxShrink a gap).
      const r = (w - avail) / shrink;
      return { d: (1 + 100 * r * r * r) ** 2 + p + 50, justifyTo: avail };
    }
    const slack = avail - w;
    if (gaps === 0) return slack < EPS ? { d: 1 + p, justifyTo: avail } : { d: 1e8 * (1 + slack / em) };
    const r = slack / (gaps * opts.maxStretch);
    // Beyond the allowed stretch the line is set ragged (no letter-spacing), at a high cost.
    return r <= 1 ? { d: (1 + 100 * r * r * r) ** 2 + p, justifyTo: avail } : { d: 1e8 * r };
  };
  const best = new Array<number>(n + 1).fill(Infinity);
  const from = new Array<number>(n + 1).fill(-1);
  const how = new Array<number | undefined>(n + 1);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    if (best[i] === Infinity) continue;
    for (let j = i + 1; j <= n; j++) {
      const f = fit(i, j);
      if (!f) break;
      if (best[i] + f.d < best[j]) {
        best[j] = best[i] + f.d;
        from[j] = i;
        how[j] = f.justifyTo;
      }
    }
  }
  const breaks: number[] = [];
  for (let j = n; j > 0; j = from[j]) breaks.unshift(j);
  const lines: Line[] = [];
  let i = 0;
  const justify = opts.justify ?? true;
  for (const j of breaks) {
    const indent = i === 0 ? firstIndent : 0;
    const line: Line = { atoms: atoms.slice(i, j), indent, width: natural(i, j), squeeze: 0 };
    if (justify && j < n && how[j] !== undefined) line.justifyTo = how[j]! - 0;
    lines.push(line);
    i = j;
  }
  return lines;
}
