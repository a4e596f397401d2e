/**
 * Emitting: the display list → PDF objects with pdf-lib. Fonts are embedded
 * as subsets (upstream fontkit through the adapter in fonts.ts); page content
 * streams are written here directly (text with TJ, rules with m/l/S), so the
 * bytes depend on nothing but the layout.
 */
import { createHash } from 'crypto';
import { PDFDocument, PDFName, PDFRef, type PDFFont, type PDFDict } from 'pdf-lib';
import { fontkitAdapter, type FaceKey, type FontSet, type LoadedFont } from './fonts';
import type { LayoutResult, Page } from './paginate';
import type { TextItem } from './paragraph';
import { COMPRESSIBLE } from './linebreaker';
import type { RulesItem } from './table';

const BASE_FACES: FaceKey[] = ['serif', 'serifBold', 'sans'];

/** The faces of a font set in a fixed order: the base faces, then the 楷体 slices by name. */
function faceOrder(fonts: FontSet): FaceKey[] {
  return [...BASE_FACES, ...Object.keys(fonts.faces).filter((k) => !BASE_FACES.includes(k)).sort()];
}

/** A number for a content stream: at most 3 decimals, no exponent, no "-0". */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  if (Math.abs(r) >= 1e21) throw new Error(`number out of range in content stream: ${n}`);
  if (Object.is(r, -0) || r === 0) return '0';
  return String(r);
}

/** Six capital letters from a hash: the subset tag of a font name. */
function subsetTag(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (h[i] % 26));
  return tag;
}

export class Emitter {
  /** Distinct font files in embedding order, with the face keys they serve. */
  private readonly files: Array<{ file: LoadedFont; faces: FaceKey[] }> = [];
  private readonly pdfFonts = new Map<FaceKey, { font: PDFFont; name: string }>();
  private readonly glyphHex = new Map<string, Map<string, string>>();
  /** Per role (and tabular setting): each code point's font resource name, glyph hex and whether it is a compressible mark. */
  private readonly chars = new Map<string, Map<number, { name: string; hex: string; compressible: boolean }>>();
  /** Second embeddings of the files whose digits are set tabular (digits on one advance in /W). */
  private readonly tabFonts = new Map<FaceKey, { font: PDFFont; name: string }>();

  constructor(private readonly pdf: PDFDocument, private readonly fonts: FontSet) {}

  /**
   * The font files in embedding order. Made after the pages' characters have
   * been assigned their faces: a 楷体 slice joins the font set when a
   * character first needs it, which with a cached layout is here, not while
   * laying out.
   */
  private collectFiles(): void {
    const fonts = this.fonts;
    for (const k of faceOrder(fonts)) {
      const file = fonts.faces[k];
      const known = this.files.find((f) => f.file === file);
      if (known) known.faces.push(k);
      else this.files.push({ file, faces: [k] });
    }
  }

  /** Embed the fonts the pages use (subset, with a tag derived from the characters). */
  async embedFonts(layout: LayoutResult): Promise<void> {
    const used = new Map<LoadedFont, Set<string>>();
    const usedTab = new Map<LoadedFont, Set<string>>();
    // The distinct characters of each role (and tabular setting), then each one's face as the content
    // stream will draw it (see text()).
    const chars = new Map<string, { role: TextItem['role']; tabular: boolean; cps: Set<number> }>();
    for (const page of layout.pages) {
      for (const item of page.items) {
        if (item.kind !== 'text') continue;
        const key = item.tabular ? `${item.role}|t` : item.role;
        let c = chars.get(key);
        if (!c) chars.set(key, (c = { role: item.role, tabular: item.tabular, cps: new Set() }));
        const cps = c.cps;
        for (const run of item.runs) {
          const t = run.text;
          for (let i = 0; i < t.length; ) {
            const cp = t.codePointAt(i)!;
            cps.add(cp);
            i += cp > 0xffff ? 2 : 1;
          }
        }
      }
    }
    for (const { role, tabular, cps } of chars.values()) {
      for (const cp of cps) {
        const file = this.fonts.faces[this.fonts.faceFor(role, cp)];
        const map = tabular && cp >= 0x30 && cp <= 0x39 ? usedTab : used;
        let set = map.get(file);
        if (!set) map.set(file, (set = new Set()));
        set.add(String.fromCodePoint(cp));
      }
    }
    this.collectFiles();
    // The adapter implements only what pdf-lib's subset embedder uses; the fonts are passed by identity tokens.
    type Fontkit = Parameters<PDFDocument['registerFontkit']>[0];
    this.pdf.registerFontkit(fontkitAdapter(this.files.map((f) => f.file)) as unknown as Fontkit);
    // One subset per file for the proportional glyphs, and one for the tabular figures (tnum), in that order.
    let n = 0;
    const kinds = [
      { chars: used, token: (f: (typeof this.files)[number]['file']) => f.token, tag: '', into: this.pdfFonts },
      { chars: usedTab, token: (f: (typeof this.files)[number]['file']) => f.tabToken, tag: 'tnum\u0000', into: this.tabFonts },
    ];
    for (const kind of kinds) {
      for (const { file, faces } of this.files) {
        const chars = kind.chars.get(file);
        if (!chars) continue;
        const ps = file.postscriptName;
        const tag = subsetTag(ps + '\u0000' + kind.tag + Array.from(chars).sort().join(''));
        const font = await this.pdf.embedFont(kind.token(file), { subset: true, customName: `${tag}+${ps}` });
        const name = `F${++n}`;
        for (const k of faces) kind.into.set(k, { font, name });
      }
    }
  }

  /** The font dictionary shared by all pages. */
  fontResources(): PDFDict {
    const dict = this.pdf.context.obj({});
    const seen = new Set<string>();
    for (const fonts of [this.pdfFonts, this.tabFonts]) {
      for (const k of faceOrder(this.fonts)) {
        const f = fonts.get(k);
        if (!f || seen.has(f.name)) continue;
        seen.add(f.name);
        dict.set(PDFName.of(f.name), f.font.ref);
      }
    }
    return dict;
  }

  /** Hex glyph code of one character in a face (cached; registers the glyph in the subset). */
  private glyph(face: FaceKey, ch: string, tab = false): string {
    const res = (tab ? this.tabFonts : this.pdfFonts).get(face)!;
    let cache = this.glyphHex.get(res.name);
    if (!cache) this.glyphHex.set(res.name, (cache = new Map()));
    let hex = cache.get(ch);
    if (hex === undefined) {
      hex = res.font.encodeText(ch).toString().slice(1, -1);
      cache.set(ch, hex);
    }
    return hex;
  }

  /**
   * One line of text as a text object. Justification space is set with Tc
   * (character spacing, applied after every glyph) and cancelled inside
   * atoms with TJ adjustments, so no space is added inside a number; other
   * offsets (run spacing, tabular digits) are TJ adjustments too.
   */
  private text(item: TextItem, out: string[], state: { tc: number }): void {
    const size = item.size;
    const runs = item.runs.filter((r) => r.text.length > 0);
    if (runs.length === 0) return;
    // Justified lines have the same space before every run but the first.
    const gaps = runs.slice(1).map((r) => r.before);
    const tc = gaps.length > 0 && gaps.every((g) => Math.abs(g - gaps[0]) < 1e-6) ? gaps[0] : 0;
    const toTj = 1000 / size; // points → thousandths of an em
    const fake = item.role === 'serifBold' && this.fonts.fakeBold;
    out.push('BT');
    if (fake) out.push(`2 Tr ${num(size * 0.03)} w`);
    const tcRounded = Math.round(tc * 1000) / 1000;
    if (tcRounded !== state.tc) {
      out.push(`${num(tcRounded)} Tc`);
      state.tc = tcRounded;
    }
    out.push(`${num(item.x)} ${num(item.y)} Td`);
    let face: string | undefined;
    let tj: string[] = [];
    let hex = '';
    let pending = 0; // TJ adjustment before the next glyph
    const flushHex = () => {
      if (hex) tj.push(`<${hex}>`);
      hex = '';
    };
    const flushTj = () => {
      flushHex();
      if (tj.length) out.push(`[${tj.join(' ')}] TJ`);
      tj = [];
    };
    const total = runs.reduce((n, r) => n + Array.from(r.text).length, 0);
    const compress = item.compress ? new Set(item.compress) : undefined;
    let index = 0;
    const ckey = item.tabular ? `${item.role}|t` : item.role;
    let chars = this.chars.get(ckey);
    if (!chars) this.chars.set(ckey, (chars = new Map()));
    runs.forEach((run, ri) => {
      if (ri > 0) pending -= (run.before - tcRounded) * toTj;
      else pending -= run.before * toTj;
      let first = true;
      for (const ch of run.text) {
        index++;
        const cp = ch.codePointAt(0)!;
        if (!first) pending += tcRounded * toTj; // no spacing inside an atom
        first = false;
        let e = chars.get(cp);
        if (e === undefined) {
          const f = this.fonts.faceFor(item.role, cp);
          // Tabular digits come from the second embedding, whose widths put every digit on one advance.
          const tab = item.tabular && cp >= 0x30 && cp <= 0x39 && this.tabFonts.has(f);
          const res = (tab ? this.tabFonts : this.pdfFonts).get(f)!;
          // The first use of a glyph registers it in its subset (glyph numbers in order of first use).
          e = { name: res.name, hex: this.glyph(f, ch, tab), compressible: COMPRESSIBLE.has(ch) };
          chars.set(cp, e);
        }
        if (e.name !== face) {
          flushTj();
          out.push(`/${e.name} ${num(size)} Tf`);
          face = e.name;
        }
        // Offsets under half a thousandth of an em are carried, not written.
        if (Math.abs(pending) >= 0.5) {
          const adj = Math.round(pending * 10) / 10;
          flushHex();
          tj.push(num(adj));
          pending -= adj;
        }
        hex += e.hex;
        // A compressed mark gives back part of its blank right half.
        if (item.squeeze && index < total && e.compressible) pending += item.squeeze * toTj;
        // clreq: a mark followed by another mark gives back its blank half.
        if (compress?.has(index - 1)) pending += (size / 2) * toTj;
      }
    });
    flushTj();
    if (fake) out.push('0 Tr');
    out.push('ET');
  }

  private rules(item: RulesItem, out: string[]): void {
    const s = item.segs;
    if (!s.length) return;
    out.push(`${num(item.width)} w 0 J`);
    for (let i = 0; i < s.length; i += 4) out.push(`${num(s[i])} ${num(s[i + 1])} m ${num(s[i + 2])} ${num(s[i + 3])} l`);
    out.push('S');
  }

  /** The content stream of one page. */
  /** MCIDs used on each page (for the structure tree's ParentTree). */
  readonly mcids: number[] = [];

  /**
   * The content stream of page `index`. Each line is marked content of its
   * structure element (or an artifact: page numbers, rules, repeated headers).
   */
  content(page: Page, index: number): string {
    const out: string[] = [];
    const state = { tc: 0 };
    let mcid = 0;
    for (const item of page.items) {
      if (item.kind === 'text') {
        if (item.node) {
          out.push(`/${item.node.type} <</MCID ${mcid}>> BDC`);
          item.node.content.push({ page: index, mcid });
          mcid++;
        } else if (item.tag === 'page-number') {
          out.push('/Artifact <</Type /Pagination /Subtype /Footer>> BDC');
        } else {
          out.push('/Artifact BMC');
        }
        this.text(item, out, state);
        out.push('EMC');
      } else {
        out.push('/Artifact BMC');
        this.rules(item, out);
        out.push('EMC');
      }
    }
    this.mcids[index] = mcid;
    return out.join('\n');
  }

  /** Add all pages; returns their refs in order. */
  async emitPages(layout: LayoutResult): Promise<PDFRef[]> {
    await this.embedFonts(layout);
    const ctx = this.pdf.context;
    const resources = ctx.register(ctx.obj({ Font: ctx.register(this.fontResources()), ProcSet: ['PDF', 'Text'] }));
    const refs: PDFRef[] = [];
    for (const [i, page] of layout.pages.entries()) {
      const p = this.pdf.addPage([page.geometry.width, page.geometry.height]);
      // ASCII only: latin1 bytes are the char codes pdf-lib would copy one by one.
      const stream = ctx.flateStream(Buffer.from(this.content(page, i), 'latin1'));
      p.node.set(PDFName.of('Contents'), ctx.register(stream));
      p.node.set(PDFName.of('Resources'), resources);
      refs.push(p.ref);
    }
    return refs;
  }
}
