/**
 * Fonts for the PDF writer: loading (bundled Noto Serif SC / Noto Sans SC, or
 * user-supplied TTF/OTF files), glyph metrics for the layout engine, and the
 * adapter that lets pdf-lib embed subsets made by upstream fontkit 2.
 *
 * Why an adapter: pdf-lib's own @pdf-lib/fontkit corrupts CJK subsets
 * (pdf-lib issue #1232). Upstream fontkit 2 subsets correctly but its subset
 * offers `encode()` where pdf-lib calls `encodeStream()`. pdf-lib's
 * `registerFontkit` wants an object with `create(bytes)`; we give it one that
 * returns a thin wrapper around the already parsed fontkit font.
 *
 * The wrapper's `layout()` maps code points straight through the cmap (no
 * OpenType shaping): Chinese text needs none, and the layout engine measures
 * with exactly the same glyphs that are drawn.
 */
import { readFileSync, statSync } from 'fs';
import * as path from 'path';
import { Readable } from 'stream';
import Module from 'module';
import { brotliDecompressSync } from 'zlib';
import { DiskCache, codeHash, moduleFile } from '../../cache/disk';

// fontkit decodes WOFF2 (the 楷体 slices) with the pure-JS `brotli` package;
// Node's native brotli gives the same bytes (decompression is exact) in a
// fraction of the time. Put it in the module cache before fontkit loads.
{
  const fkDir = path.dirname(require.resolve('fontkit'));
  try {
    const id = require.resolve('brotli/decompress.js', { paths: [fkDir] });
    if (!require.cache[id]) {
      const m = new Module(id);
      m.filename = id;
      m.loaded = true;
      m.exports = (input: Uint8Array): Uint8Array | null => {
        try {
          return brotliDecompressSync(input);
        } catch {
          return null; // as the JS decoder: fontkit reports the WOFF2 as broken
        }
      };
      require.cache[id] = m;
    }
  } catch {
    /* brotli not resolvable from fontkit: fontkit loads its own */
  }
}

// fontkit 2 ships no typings; the few members used here are declared locally.
// Loaded on first use: a build whose metrics and subsets are all cached never parses a font.
let fontkitModule: { create(buffer: Buffer): FkFont | { fonts: FkFont[] } } | undefined;
function fontkit(): { create(buffer: Buffer): FkFont | { fonts: FkFont[] } } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (fontkitModule ??= require('fontkit') as { create(buffer: Buffer): FkFont | { fonts: FkFont[] } });
}

export interface FkGlyph {
  id: number;
  advanceWidth: number;
  codePoints: number[];
}

interface FkSubset {
  includeGlyph(glyph: FkGlyph | number): number;
  encode(): Uint8Array;
  cff?: unknown;
}

/** The font-wide metrics pdf-lib reads (fontkit has them; the metrics cache keeps them). */
interface FontMetrics {
  postscriptName: string | null;
  familyName: string | null;
  unitsPerEm: number;
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
  italicAngle: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
}

export interface FkFont extends FontMetrics {
  characterSet: number[];
  numGlyphs: number;
  cff?: unknown;
  'OS/2'?: unknown;
  post: unknown;
  head: unknown;
  glyphForCodePoint(cp: number): FkGlyph;
  hasGlyphForCodePoint(cp: number): boolean;
  createSubset(): FkSubset;
}

/** The faces the layout engine asks for (kai: 楷体, for the （一） headings). */
export type FontRole = 'serif' | 'serifBold' | 'sans' | 'kai';

/** What pdf-lib reads of a font besides its glyphs (kept in the metrics cache). */
interface FontInfo extends FontMetrics {
  cff: boolean;
  sFamilyClass: number | null;
  isFixedPitch: boolean;
  macItalic: boolean;
}

/** A code point's glyph: [glyph id (0: none), advance width in font units]. */
type GlyphInfo = [number, number];

interface MetricsEntry {
  info: FontInfo;
  glyphs: Record<string, GlyphInfo>;
}

const metricsCache = new DiskCache('font-metrics', 500);
const subsetCache = new DiskCache('font-subsets', 2000);
/** The code that computes metrics and subsets: this module and fontkit. */
const fontCode = (): string => codeHash([__filename, moduleFile('fontkit/package.json', __filename)]);

function infoOf(font: FkFont): FontInfo {
  const os2 = font['OS/2'] as { sFamilyClass?: number } | undefined;
  return {
    postscriptName: font.postscriptName ?? null,
    familyName: font.familyName ?? null,
    unitsPerEm: font.unitsPerEm,
    ascent: font.ascent,
    descent: font.descent,
    capHeight: font.capHeight,
    xHeight: font.xHeight,
    italicAngle: font.italicAngle,
    bbox: { minX: font.bbox.minX, minY: font.bbox.minY, maxX: font.bbox.maxX, maxY: font.bbox.maxY },
    cff: !!font.cff,
    sFamilyClass: os2 ? os2.sFamilyClass ?? 0 : null,
    isFixedPitch: !!(font.post as { isFixedPitch?: unknown }).isFixedPitch,
    macItalic: !!(font.head as { macStyle?: { italic?: unknown } }).macStyle?.italic,
  };
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A metrics cache entry as read from disk, or undefined when it is not one (never trusted blindly). */
function validEntry(e: unknown): MetricsEntry | undefined {
  if (!e || typeof e !== 'object') return undefined;
  const { info, glyphs } = e as Partial<MetricsEntry>;
  if (!info || !glyphs || typeof glyphs !== 'object') return undefined;
  if (![info.unitsPerEm, info.ascent, info.descent, info.capHeight, info.xHeight, info.italicAngle].every(isNum)) return undefined;
  if (!info.bbox || ![info.bbox.minX, info.bbox.minY, info.bbox.maxX, info.bbox.maxY].every(isNum)) return undefined;
  if (info.unitsPerEm <= 0) return undefined;
  for (const k in glyphs) {
    const g = glyphs[k];
    if (!Array.isArray(g) || g.length !== 2 || !Number.isInteger(g[0]) || g[0] < 0 || !isNum(g[1]) || !/^\d+$/.test(k)) return undefined;
  }
  return { info, glyphs };
}

/**
 * A physical font file, kept per process (by path, size and modification
 * time). Its metrics (the glyph and advance of each code point asked for, and
 * the font-wide figures pdf-lib writes) come from a disk cache when a previous
 * run measured them, so a rebuild need not parse the large CJK fonts with
 * fontkit; the file is parsed only when a code point, or a subset, is new.
 * The values are the same either way: they are what fontkit reads.
 */
export class LoadedFont {
  /** Identity of the file (path, size, mtime): the key of its cache entries. */
  readonly id: string;
  /** Identity tokens handed to pdf-lib in place of the font bytes (see fontkitAdapter). */
  readonly token = new Uint8Array(1);
  readonly tabToken = new Uint8Array(1);
  private parsed: FkFont | undefined;
  private fileBytes: Buffer | undefined;
  readonly info: FontInfo;
  readonly scale: number;
  private readonly glyphs = new Map<number, GlyphInfo>();
  private dirty = false;
  /** Widest advance of the digits 0–9, for tabular figures (in 1/1000 em). */
  readonly digitWidth: number;

  constructor(readonly path: string, readonly label: string) {
    let st: import('fs').Stats;
    try {
      st = statSync(path);
      if (!st.isFile()) throw new Error('不是文件');
    } catch (e) {
      throw new Error(`无法读取字体文件：${path}（${(e as Error).message}）`);
    }
    this.id = `${path}|${st.size}|${st.mtimeMs}`;
    const cached = validEntry(metricsCache.getJsonChecked<unknown>(this.metricsKey()));
    if (cached) {
      this.info = cached.info;
      for (const k in cached.glyphs) this.glyphs.set(Number(k), cached.glyphs[k]);
    } else {
      this.info = infoOf(this.font);
      this.dirty = true;
    }
    this.scale = 1000 / this.info.unitsPerEm;
    let dw = 0;
    for (let d = 0x30; d <= 0x39; d++) dw = Math.max(dw, this.advance(d));
    this.digitWidth = dw;
  }

  private metricsKey(): string {
    return `metrics|v1|${fontCode()}|${this.id}`;
  }

  /** The font file's bytes (read on first use). */
  get bytes(): Buffer {
    if (!this.fileBytes) {
      try {
        this.fileBytes = readFileSync(this.path);
      } catch (e) {
        throw new Error(`无法读取字体文件：${this.path}（${(e as Error).message}）`);
      }
    }
    return this.fileBytes;
  }

  /** The fontkit font (parsed on first use). */
  get font(): FkFont {
    if (!this.parsed) {
      const bytes = this.bytes;
      let parsed: FkFont | { fonts: FkFont[] };
      try {
        parsed = fontkit().create(bytes);
      } catch (e) {
        throw new Error(`无法解析字体文件：${this.path}（${(e as Error).message}）`);
      }
      // A collection (.ttc): prefer its Simplified Chinese member.
      const font =
        'fonts' in parsed
          ? parsed.fonts.find((f) => /cjksc|(^|[^a-z])sc([^a-z]|$)/i.test(f.postscriptName ?? '')) ?? parsed.fonts[0]
          : parsed;
      if (!font || typeof font.glyphForCodePoint !== 'function') {
        throw new Error(`不支持的字体文件：${this.path}`);
      }
      this.parsed = font;
    }
    return this.parsed;
  }

  /** The glyph id and advance (font units) of a code point. */
  glyph(cp: number): GlyphInfo {
    let g = this.glyphs.get(cp);
    if (g === undefined) {
      const fg = this.font.glyphForCodePoint(cp);
      g = [fg.id, fg.advanceWidth];
      this.glyphs.set(cp, g);
      this.dirty = true;
    }
    return g;
  }

  /** Advance width of a code point in 1/1000 em. */
  advance(cp: number): number {
    return this.glyph(cp)[1] * this.scale;
  }

  has(cp: number): boolean {
    return this.glyph(cp)[0] !== 0;
  }

  get postscriptName(): string {
    return (this.info.postscriptName || this.label).replace(/[^A-Za-z0-9-]/g, '');
  }

  /** Write newly measured code points to the metrics cache. */
  save(): void {
    if (!this.dirty) return;
    this.dirty = false;
    const glyphs: Record<string, GlyphInfo> = {};
    for (const [cp, g] of [...this.glyphs].sort((a, b) => a[0] - b[0])) glyphs[cp] = g;
    metricsCache.setJsonChecked(this.metricsKey(), { info: this.info, glyphs } satisfies MetricsEntry);
  }

  /**
   * The encoded subset (TrueType/CFF font program) of the glyphs `gids`, in
   * that order (as fontkit's subset numbers them): from the disk cache, else
   * made by fontkit (and kept).
   */
  subsetBytes(gids: number[]): Buffer {
    const key = `subset|v1|${fontCode()}|${this.id}|${gids.join(',')}`;
    const hit = subsetCache.getChecked(key);
    if (hit) return hit;
    const sub = fixWoff2Subset(this.font, this.font.createSubset());
    for (const g of gids) sub.includeGlyph(g);
    const bytes = Buffer.from(sub.encode());
    subsetCache.setChecked(key, bytes);
    return bytes;
  }
}

/** Keep what this process measured for the next cold run (after a layout and after a PDF). */
export function saveFontCaches(): void {
  for (const f of cache.values()) f.save();
}

const cache = new Map<string, LoadedFont>();

function load(file: string, label: string): LoadedFont {
  const key = path.resolve(file);
  let f = cache.get(key);
  if (!f) {
    f = new LoadedFont(key, label);
    cache.set(key, f);
  }
  return f;
}

function bundled(pkg: string, file: string): string {
  const root = path.dirname(require.resolve(`${pkg}/package.json`));
  return path.join(root, file);
}

export const BUNDLED = {
  serif: () => bundled('@expo-google-fonts/noto-serif-sc', '400Regular/NotoSerifSC_400Regular.ttf'),
  serifBold: () => bundled('@expo-google-fonts/noto-serif-sc', '700Bold/NotoSerifSC_700Bold.ttf'),
  sans: () => bundled('@expo-google-fonts/noto-sans-sc', '400Regular/NotoSansSC_400Regular.ttf'),
};

/** A physical face the emitter embeds: 'serif', 'serifBold', 'sans', or one slice of the 楷体 ('kai:<file>'). */
export type FaceKey = string;

const FALLBACK: Record<FontRole, FaceKey[]> = {
  serif: ['serif', 'sans', 'serifBold'],
  serifBold: ['serifBold', 'serif', 'sans'],
  sans: ['sans', 'serif', 'serifBold'],
  kai: ['serif', 'sans', 'serifBold'],
};

/**
 * The bundled 楷体: LXGW WenKai (SIL OFL 1.1, npm lxgw-wenkai-webfont), which
 * ships only as unicode-range slices (woff2) for the web. Each slice is a font
 * of its own: a character is drawn from the slice whose range holds it, and
 * only the slices used are loaded and embedded (subset). Undefined when the
 * package is not installed.
 */
class KaiSlices {
  private constructor(
    /** Identity of the package's slice list (for cache keys). */
    readonly id: string,
    private readonly dir: string,
    private readonly ranges: Array<{ file: string; ranges: Array<[number, number]> }>,
  ) {}

  static load(): KaiSlices | undefined {
    let root: string;
    try {
      root = path.dirname(require.resolve('lxgw-wenkai-webfont/package.json'));
    } catch {
      return undefined;
    }
    const cssPath = path.join(root, 'lxgwwenkai-regular.css');
    const css = readFileSync(cssPath, 'utf8');
    const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: string }).version;
    const ranges: Array<{ file: string; ranges: Array<[number, number]> }> = [];
    for (const m of css.matchAll(/src: url\('\.\/files\/([^']+)'\)[^;]*;\s*unicode-range: ([^;}]+)/g)) {
      // "U+4E00-4E3F, U+4E41, …" (9,000 ranges: parsed without a regex per range).
      const list: Array<[number, number]> = [];
      for (const part of m[2].split(',')) {
        let r = part.trim();
        if (r[1] === '+' && (r[0] === 'U' || r[0] === 'u')) r = r.slice(2);
        const dash = r.indexOf('-');
        const a = parseInt(dash < 0 ? r : r.slice(0, dash), 16);
        list.push([a, dash < 0 ? a : parseInt(r.slice(dash + 1), 16)]);
      }
      ranges.push({ file: m[1], ranges: list });
    }
    return ranges.length ? new KaiSlices(`${cssPath}|${version}|${css.length}`, path.join(root, 'files'), ranges) : undefined;
  }

  /**
   * The slices' ranges sorted by start, each with its slice's CSS position,
   * when no two ranges overlap (then the range that holds a code point is the
   * only one, so the first slice in CSS order); else a map of every code
   * point to its first slice. Built on first use.
   */
  private sorted: Array<[number, number, string]> | undefined;
  private byCp: Map<number, string> | undefined;

  /** The slice file that holds `cp`, if any (the first in CSS order). */
  sliceFor(cp: number): string | undefined {
    if (!this.sorted && !this.byCp) {
      const all: Array<[number, number, string]> = [];
      for (const s of this.ranges) for (const [a, b] of s.ranges) all.push([a, b, s.file]);
      all.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
      let disjoint = true;
      for (let i = 1; i < all.length; i++) if (all[i][0] <= all[i - 1][1]) disjoint = false;
      if (disjoint) this.sorted = all;
      else {
        const m = new Map<number, string>();
        for (const s of this.ranges) for (const [a, b] of s.ranges) for (let c = a; c <= b; c++) if (!m.has(c)) m.set(c, s.file);
        this.byCp = m;
      }
    }
    if (this.byCp) return this.byCp.get(cp);
    const r = this.sorted!;
    let lo = 0;
    let hi = r.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < r[mid][0]) hi = mid - 1;
      else if (cp > r[mid][1]) lo = mid + 1;
      else return r[mid][2];
    }
    return undefined;
  }

  path(file: string): string {
    return path.join(this.dir, file);
  }
}

let kaiSlices: KaiSlices | undefined | null = null;

/**
 * The fonts of one render: which file serves which role, per-character
 * fallback between them, and measuring.
 */
export class FontSet {
  readonly faces: Record<FaceKey, LoadedFont>;
  private readonly kai: KaiSlices | undefined;
  /** True when bold is simulated (user serif without a bold file). */
  readonly fakeBold: boolean;

  constructor(options?: { serif?: string; sans?: string }) {
    const serifPath = options?.serif;
    const sansPath = options?.sans;
    const serif = load(serifPath ?? BUNDLED.serif(), 'Serif');
    const sans = load(sansPath ?? BUNDLED.sans(), 'Sans');
    // A user serif has no matching bold file: bold is drawn with fill+stroke.
    const serifBold = serifPath ? serif : load(BUNDLED.serifBold(), 'SerifBold');
    this.faces = { serif, serifBold, sans };
    this.fakeBold = serifPath !== undefined;
    if (kaiSlices === null) kaiSlices = KaiSlices.load();
    this.kai = kaiSlices;
    this.key = JSON.stringify([serif.id, serifBold.id, sans.id, this.fakeBold, this.kai?.id ?? null]);
  }

  /** Identity of the font files (and the 楷体 slices) this set measures with: the key of layout memos. */
  readonly key: string;

  /** True when a 楷体 is installed (the （一） headings are set in it). */
  get hasKai(): boolean {
    return this.kai !== undefined;
  }

  /** The role that draws 楷体 (the body face until a 楷体 font is loaded). */
  kaiRole(bold: boolean): FontRole {
    return this.kai && !bold ? 'kai' : bold ? 'serifBold' : 'serif';
  }

  private readonly faceCache: Record<FontRole, Map<number, FaceKey>> = {
    serif: new Map(),
    serifBold: new Map(),
    sans: new Map(),
    kai: new Map(),
  };
  private readonly measurers = new Map<string, (s: string) => number>();

  /** The face that draws `cp` for a role (the role's face, else a fallback). */
  faceFor(role: FontRole, cp: number): FaceKey {
    const cache = this.faceCache[role];
    let face = cache.get(cp);
    if (face === undefined) {
      if (role === 'kai' && this.kai) {
        const file = this.kai.sliceFor(cp);
        if (file) {
          const key = `kai:${file}`;
          if (!this.faces[key]) this.faces[key] = load(this.kai.path(file), 'Kai');
          if (this.faces[key].has(cp)) face = key;
        }
      }
      if (face === undefined) {
        const order = FALLBACK[role];
        face = order.find((k) => this.faces[k].has(cp)) ?? order[0];
      }
      cache.set(cp, face);
    }
    return face;
  }

  /** Width in points of `text` set in `role` at `size`. */
  measure(text: string, role: FontRole, size: number, tabular = false): number {
    let units = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const face = this.faces[this.faceFor(role, cp)];
      units += tabular && cp >= 0x30 && cp <= 0x39 ? face.digitWidth : face.advance(cp);
    }
    return (units * size) / 1000;
  }

  /** A measuring function bound to one role and size (memoised: atoms repeat a lot). */
  measurer(role: FontRole, size: number, tabular = false): (s: string) => number {
    const key = `${role}|${size}|${tabular ? 1 : 0}`;
    let m = this.measurers.get(key);
    if (!m) {
      const widths = new Map<string, number>();
      m = (s: string) => {
        let w = widths.get(s);
        if (w === undefined) {
          w = this.measure(s, role, size, tabular);
          if (widths.size < 100000) widths.set(s, w);
        }
        return w;
      };
      this.measurers.set(key, m);
    }
    return m;
  }
}

// ---------------------------------------------------------------------------
// pdf-lib adapter

interface GlyfPoint {
  x: number;
  y: number;
  onCurve: boolean;
  endContour: boolean;
}

/**
 * A simple TrueType glyph (glyf entry) from decoded points, without
 * instructions, every coordinate a 16-bit delta. For WOFF2 fonts, whose
 * glyf/loca fontkit 2 cannot copy into a subset (it writes 64 KB per glyph).
 */
function encodeSimpleGlyph(points: GlyfPoint[]): Uint8Array {
  if (points.length === 0) return new Uint8Array(0);
  const endPts: number[] = [];
  points.forEach((p, i) => {
    if (p.endContour || i === points.length - 1) endPts.push(i);
  });
  const uniqueEnds = [...new Set(endPts)];
  const xs = points.map((p) => Math.round(p.x));
  const ys = points.map((p) => Math.round(p.y));
  const size = 10 + 2 * uniqueEnds.length + 2 + points.length + 4 * points.length;
  const buf = new Uint8Array(size + ((4 - (size % 4)) % 4));
  const view = new DataView(buf.buffer);
  let o = 0;
  const i16 = (v: number) => {
    view.setInt16(o, v);
    o += 2;
  };
  i16(uniqueEnds.length);
  i16(Math.min(...xs));
  i16(Math.min(...ys));
  i16(Math.max(...xs));
  i16(Math.max(...ys));
  for (const e of uniqueEnds) i16(e);
  i16(0); // no instructions
  for (const p of points) buf[o++] = p.onCurve ? 1 : 0;
  let last = 0;
  for (const x of xs) {
    i16(x - last);
    last = x;
  }
  last = 0;
  for (const y of ys) {
    i16(y - last);
    last = y;
  }
  return buf;
}

/** Make a fontkit subset of a WOFF2 font re-encode its glyphs from their points. */
function fixWoff2Subset(font: FkFont, subset: FkSubset): FkSubset {
  if ((font as unknown as { type?: string }).type !== 'WOFF2') return subset;
  type Internal = {
    font: { getGlyph(gid: number): { _decode(): { numberOfContours: number; points?: GlyfPoint[] } | null; advanceWidth: number; _getMetrics(): { leftBearing: number } } };
    glyf: Uint8Array[];
    loca: { offsets: number[] };
    hmtx: { metrics: Array<{ advance: number; bearing: number }> };
    offset: number;
    glyphs: number[];
    _addGlyph(gid: number): number;
  };
  const sub = subset as unknown as Internal;
  sub._addGlyph = function (this: Internal, gid: number): number {
    const glyph = this.font.getGlyph(gid);
    const glyf = glyph._decode();
    const buffer = glyf && glyf.numberOfContours > 0 && glyf.points ? encodeSimpleGlyph(glyf.points) : new Uint8Array(0);
    this.glyf.push(buffer);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing });
    this.offset += buffer.length;
    return this.glyf.length - 1;
  };
  return subset;
}

/** fontkit's subset numbering (glyph 0 first, then each new glyph in order), its bytes from LoadedFont.subsetBytes. */
class SubsetAdapter {
  private readonly gids: number[] = [];
  private readonly mapping = new Map<number, number>();
  constructor(private readonly file: LoadedFont) {
    this.includeGlyph(0);
  }
  includeGlyph(glyph: FkGlyph | number): number {
    const id = typeof glyph === 'object' ? glyph.id : glyph;
    let n = this.mapping.get(id);
    if (n === undefined) {
      this.gids.push(id);
      n = this.gids.length - 1;
      this.mapping.set(id, n);
    }
    return n;
  }
  get cff(): unknown {
    return this.file.info.cff ? true : undefined;
  }
  /** pdf-lib reads the subset as a stream of 'data' events then 'end'. */
  encodeStream(): Readable {
    return Readable.from([this.file.subsetBytes(this.gids)]);
  }
}

/**
 * What pdf-lib sees of a font: the font-wide figures and the glyph of each
 * code point (id, advance, the code point), all from the LoadedFont's
 * metrics, so embedding needs no fontkit parse when the metrics and the
 * subset are cached.
 */
class FontAdapter {
  /**
   * `tabularUnits`: this embedding sets the digits 0–9 on one advance (in font
   * units), so the PDF's glyph widths say what the layout drew and text
   * extraction reads "20.11", not "20.1 1".
   */
  constructor(private readonly file: LoadedFont, private readonly tabularUnits?: number) {}
  get postscriptName() { return this.file.info.postscriptName; }
  get unitsPerEm() { return this.file.info.unitsPerEm; }
  get ascent() { return this.file.info.ascent; }
  get descent() { return this.file.info.descent; }
  get capHeight() { return this.file.info.capHeight; }
  get xHeight() { return this.file.info.xHeight; }
  get italicAngle() { return this.file.info.italicAngle; }
  get bbox() { return this.file.info.bbox; }
  get cff() { return this.file.info.cff ? true : undefined; }
  get 'OS/2'() { return this.file.info.sFamilyClass === null ? undefined : { sFamilyClass: this.file.info.sFamilyClass }; }
  get post() { return { isFixedPitch: this.file.info.isFixedPitch }; }
  get head() { return { macStyle: { italic: this.file.info.macItalic } }; }
  glyphForCodePoint(cp: number): FkGlyph {
    const [id, advance] = this.file.glyph(cp);
    const tab = this.tabularUnits !== undefined && cp >= 0x30 && cp <= 0x39;
    return { id, advanceWidth: tab ? this.tabularUnits! : advance, codePoints: [cp] };
  }
  /** Straight cmap mapping, no shaping (see the module comment). */
  layout(text: string): { glyphs: FkGlyph[] } {
    const glyphs: FkGlyph[] = [];
    for (const ch of text) glyphs.push(this.glyphForCodePoint(ch.codePointAt(0)!));
    return { glyphs };
  }
  createSubset() {
    return new SubsetAdapter(this.file);
  }
}

/**
 * The object handed to `PDFDocument.registerFontkit`. It knows the fonts of
 * this render by the identity tokens the emitter passes as font bytes
 * (pdf-lib passes the same object back).
 */
export function fontkitAdapter(fonts: LoadedFont[]): { create(bytes: Uint8Array): FontAdapter } {
  return {
    create(bytes: Uint8Array): FontAdapter {
      for (const f of fonts) {
        if (f.token === bytes) return new FontAdapter(f);
        if (f.tabToken === bytes) return new FontAdapter(f, (f.digitWidth * f.info.unitsPerEm) / 1000);
      }
      throw new Error('pdf-lib asked for a font this render did not load');
    },
  };
}
