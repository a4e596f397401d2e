/**
 * PDF writer fonts: the fontkit 2 adapter produces correct CJK subsets
 * (embedded, subset-tagged, with a ToUnicode map that gives the text back),
 * user font files override the bundled ones, and characters missing from a
 * face fall back to another face.
 */
import { PDFDocument } from 'pdf-lib';
import { renderPdf } from '../src/render/pdf';
import { BUNDLED, FontSet, LoadedFont } from '../src/render/pdf/fonts';
import { miniDocument } from './fixtures/mini-document';
import { hasTool, pdffonts, pdftotext, squash, strip } from './helpers/pdf';

const HAVE_POPPLER = hasTool('pdftotext') && hasTool('pdffonts');
const itPoppler = HAVE_POPPLER ? it : it.skip;

describe('bundled fonts', () => {
  it('are Noto Serif SC (regular, bold) and Noto Sans SC, with CJK glyphs', () => {
    const fonts = new FontSet();
    expect(fonts.faces.serif.postscriptName).toBe('NotoSerifSC-Regular');
    expect(fonts.faces.serifBold.postscriptName).toBe('NotoSerifSC-Bold');
    expect(fonts.faces.sans.postscriptName).toBe('NotoSansSC-Regular');
    expect(fonts.fakeBold).toBe(false);
    for (const ch of '决算公开，。（）“”—％0') {
      for (const f of Object.values(fonts.faces)) expect(f.has(ch.codePointAt(0)!)).toBe(true);
    }
    // CJK characters are one em wide.
    expect(fonts.measure('部门决算', 'serif', 16)).toBeCloseTo(64, 5);
  });

  it('load each file once per process', () => {
    expect(new FontSet().faces.serif).toBe(new FontSet().faces.serif);
  });
});

describe('subset embedding', () => {
  itPoppler('keeps the subset small and the text extractable, glyph by glyph', async () => {
    const pdf = await renderPdf(miniDocument);
    // Three subsets of a few hundred glyphs, not three 10 MB fonts.
    expect(pdf.length).toBeLessThan(400 * 1024);
    const text = squash(pdftotext(pdf, 'raw'));
    // Every distinct character of the document comes back (ToUnicode is right).
    const printed: string[] = [];
    for (const part of miniDocument.parts) {
      printed.push(part.label, part.title);
      for (const b of part.blocks) {
        if (b.kind === 'heading') printed.push(b.text);
        else if (b.kind === 'paragraph') printed.push(...b.sentences);
        else {
          const t = b.table;
          printed.push(t.title, t.label ?? '', t.departmentLine ?? '', t.unitLine, ...t.notes);
          for (const row of t.header) for (const c of row) printed.push(c.text);
          for (const row of t.body) for (const c of row.cells) printed.push(c.text);
        }
      }
    }
    const chars = new Set(Array.from(strip(printed.join(''))));
    expect(chars.size).toBeGreaterThan(200);
    const missing = [...chars].filter((ch) => !text.includes(ch));
    expect(missing).toEqual([]);
  });
});

describe('user fonts', () => {
  itPoppler('replace the bundled serif (bold is then simulated)', async () => {
    const sansFile = BUNDLED.sans();
    const pdf = await renderPdf(miniDocument, { fonts: { serif: sansFile } });
    const fonts = pdffonts(pdf);
    // One file serves every role now (embedded twice: the second sets tabular digits on one advance),
    // but the （一） headings keep the bundled 楷体 (LXGW WenKai).
    expect([...new Set(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')))].filter((n) => n !== 'LXGWWenKai-Regular')).toEqual(['NotoSansSC-Regular']);
    expect(fonts[0]).toMatchObject({ emb: true, sub: true, uni: true });
    const text = squash(pdftotext(pdf));
    for (const p of miniDocument.parts) for (const b of p.blocks) if (b.kind === 'paragraph') for (const s of b.sentences) expect(text).toContain(strip(s));
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    expect(doc.getPageCount()).toBeGreaterThan(3);
  });

  it('leave no trace in later renders of the same document object', async () => {
    const doc = JSON.parse(JSON.stringify(miniDocument));
    const before = await renderPdf(JSON.parse(JSON.stringify(miniDocument)));
    await renderPdf(doc, { fonts: { serif: BUNDLED.sans() } });
    const after = await renderPdf(doc);
    expect(after.equals(before)).toBe(true);
  });

  it('that cannot be read give a clear error', async () => {
    await expect(renderPdf(miniDocument, { fonts: { sans: '/nonexistent/font.ttf' } })).rejects.toThrow(/无法读取字体文件：\/nonexistent\/font\.ttf/);
  });

  it('that are not fonts give a clear error', async () => {
    await expect(renderPdf(miniDocument, { fonts: { serif: __filename } })).rejects.toThrow(/字体文件/);
  });
});

describe('fallback between faces', () => {
  itPoppler('draws a character the serif lacks with the sans face, and it still extracts', async () => {
    const fonts = new FontSet();
    const serif = fonts.faces.serif as LoadedFont;
    const cp = '职'.codePointAt(0)!;
    const has = serif.has.bind(serif);
    // Pretend the serif lacks 职.
    jest.spyOn(serif, 'has').mockImplementation((c: number) => (c === cp ? false : has(c)));
    try {
      expect(fonts.faceFor('serif', cp)).toBe('sans');
      expect(fonts.faceFor('serif', '部'.codePointAt(0)!)).toBe('serif');
      const pdf = await renderPdf(miniDocument);
      expect(squash(pdftotext(pdf))).toContain('部门职责');
    } finally {
      jest.restoreAllMocks();
    }
  });
});
