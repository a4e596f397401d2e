/**
 * Text renditions of the binary outputs for `git diff` (diff.<name>.textconv):
 * paragraphs one per line, table cells as "表 行 列: 值".
 *  - docx: word/document.xml read with jszip (paragraph and table elements);
 *  - xlsx: exceljs, numbers shown with their number format;
 *  - pdf: our own tagged PDF read back with pdf-lib — the content streams'
 *    marked content (MCID) decoded through each font's ToUnicode CMap, then
 *    assembled by the structure tree (P/H → one line, Table → TR → TD cells).
 *    No external tool (pdftotext) is needed.
 */
import JSZip from 'jszip';
import ExcelJS from 'exceljs';
import {
  decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream,
} from 'pdf-lib';

export type BinaryFormat = 'docx' | 'xlsx' | 'pdf';

export function formatOf(file: string, data: Buffer): BinaryFormat | undefined {
  const ext = file.toLowerCase().split('.').pop();
  if (ext === 'docx' || ext === 'xlsx' || ext === 'pdf') return ext;
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  return undefined;
}

export async function textconv(file: string, data: Buffer): Promise<string> {
  const f = formatOf(file, data);
  if (data.length === 0) return '';
  if (!f && data.subarray(0, 2).toString('latin1') === 'PK') {
    // git's temporary copies keep the name, but guess from the contents when a name has no extension
    const zip = await JSZip.loadAsync(data);
    if (zip.file('word/document.xml')) return docxText(data);
    if (zip.file('xl/workbook.xml')) return xlsxText(data);
  }
  if (f === 'docx') return docxText(data);
  if (f === 'xlsx') return xlsxText(data);
  if (f === 'pdf') return pdfText(data);
  throw new Error(`不支持的文件类型：${file}（只支持 .docx、.xlsx、.pdf）`);
}

const cellLine = (table: string, row: string, col: string, value: string) => `${table} ${row} ${col}: ${value}`;
const TABLE_LABEL = /公开\d+表/;

/** Lines of a table given as rows of cell texts: "表 行 列: 值", rows and columns counted from 1. */
function tableLines(label: string, rows: string[][]): string[] {
  const out: string[] = [];
  rows.forEach((r, ri) => r.forEach((v, ci) => { if (v !== '') out.push(cellLine(label, `第${ri + 1}行`, `第${ci + 1}列`, v)); }));
  return out;
}

// ───────────────────────── docx ─────────────────────────

const unxml = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&');

export function runText(xml: string): string {
  let s = '';
  for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:(?:br|cr)\/>/g)) s += m[1] !== undefined ? unxml(m[1]) : m[0].startsWith('<w:tab') ? '\t' : '';
  return s;
}

/** Top-level elements of a body: paragraphs and tables, in order. */
export function topLevel(xml: string, tags: string[]): Array<{ tag: string; xml: string; start: number }> {
  const out: Array<{ tag: string; xml: string; start: number }> = [];
  const open = new RegExp(`<(${tags.join('|')})(?=[\\s>/])`, 'g');
  let m: RegExpExecArray | null;
  while ((m = open.exec(xml))) {
    const tag = m[1];
    const start = m.index;
    const selfClose = xml.indexOf('>', start);
    if (xml[selfClose - 1] === '/') { out.push({ tag, xml: '', start }); open.lastIndex = selfClose + 1; continue; }
    // find the matching close tag, counting nested elements of the same name
    const re = new RegExp(`<(/?)${tag}(?=[\\s>/])[^>]*?(/?)>`, 'g');
    re.lastIndex = start;
    let depth = 0;
    let end = xml.length;
    let t: RegExpExecArray | null;
    while ((t = re.exec(xml))) {
      if (t[2] === '/') continue;
      depth += t[1] ? -1 : 1;
      if (depth === 0) { end = t.index + t[0].length; break; }
    }
    out.push({ tag, xml: xml.slice(start, end), start });
    open.lastIndex = end;
  }
  return out;
}

export async function docxText(data: Buffer): Promise<string> {
  const zip = await JSZip.loadAsync(data);
  const xml = await zip.file('word/document.xml')!.async('string');
  const body = xml.slice(xml.indexOf('<w:body'), xml.lastIndexOf('</w:body>'));
  const out: string[] = [];
  let lastLabel = '';
  let n = 0;
  for (const el of topLevel(body, ['w:p', 'w:tbl'])) {
    if (el.tag === 'w:p') {
      const t = runText(el.xml.replace(/<w:instrText[\s\S]*?<\/w:instrText>/g, ''));
      if (t.trim()) {
        out.push(t);
        const m = TABLE_LABEL.exec(t);
        if (m) lastLabel = m[0];
      }
    } else {
      n++;
      const rows = topLevel(el.xml.slice(el.xml.indexOf('>') + 1), ['w:tr']).map((tr) =>
        topLevel(tr.xml.slice(tr.xml.indexOf('>') + 1), ['w:tc']).map((tc) =>
          topLevel(tc.xml.slice(tc.xml.indexOf('>') + 1), ['w:p']).map((p) => runText(p.xml)).join('')));
      out.push(...tableLines(lastLabel || `表${n}`, rows));
      lastLabel = '';
    }
  }
  return out.join('\n') + '\n';
}

// ───────────────────────── xlsx ─────────────────────────

function grouped(v: number, decimals: number): string {
  const s = v.toFixed(decimals);
  const neg = s.startsWith('-');
  const [i, f] = (neg ? s.slice(1) : s).split('.');
  return (neg ? '-' : '') + i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (f !== undefined ? '.' + f : '');
}

/** A number as its format shows it (the formats the Excel writer uses: #,##0.00, 0.00, 0.00"%", 0.00%). */
export function formatNumber(v: number, fmt: string | undefined): string {
  const f = (fmt ?? '').split(';')[0];
  const dec = /0\.(0+)/.exec(f)?.[1].length ?? (/0/.test(f) ? 0 : -1);
  if (dec < 0) return String(v);
  const pctSign = /(?<!")%(?!")/.test(f.replace(/"[^"]*"/g, ''));
  const x = pctSign ? v * 100 : v;
  const s = f.includes(',') ? grouped(x, dec) : x.toFixed(dec);
  return s + (pctSign || /"%"/.test(f) ? '%' : '');
}

export async function xlsxText(data: Buffer): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  const out: string[] = [];
  wb.eachSheet((ws) => {
    out.push(`【${ws.name}】`);
    ws.eachRow({ includeEmpty: false }, (row, r) => {
      row.eachCell({ includeEmpty: false }, (cell, c) => {
        if (cell.isMerged && cell.master !== cell) return;
        let v: unknown = cell.value;
        if (v && typeof v === 'object' && 'result' in (v as object)) v = (v as { result: unknown }).result;
        if (v && typeof v === 'object' && 'richText' in (v as object)) v = (v as { richText: Array<{ text: string }> }).richText.map((t) => t.text).join('');
        const text = typeof v === 'number' ? formatNumber(v, cell.numFmt) : v === null || v === undefined ? '' : String(v);
        if (text !== '') out.push(cellLine(ws.name, `第${r}行`, `第${c}列`, text));
      });
    });
  });
  return out.join('\n') + '\n';
}

// ───────────────────────── pdf ─────────────────────────

interface CMap { bytes: number; map: Map<number, string> }

function parseCMap(text: string): CMap {
  const map = new Map<number, string>();
  const hexStr = (h: string) => {
    let s = '';
    for (let i = 0; i + 4 <= h.length; i += 4) s += String.fromCharCode(parseInt(h.slice(i, i + 4), 16));
    return s;
  };
  const range = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/.exec(text.slice(text.indexOf('begincodespacerange')));
  const bytes = range ? range[1].length / 2 : 2;
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g)) map.set(parseInt(m[1], 16), hexStr(m[2]));
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1].matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const lo = parseInt(m[1], 16);
      const hi = parseInt(m[2], 16);
      if (m[3].startsWith('[')) {
        const dst = [...m[3].matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => hexStr(x[1]));
        for (let c = lo; c <= hi; c++) map.set(c, dst[c - lo] ?? '');
      } else {
        const base = hexStr(m[3].slice(1, -1));
        const last = base.charCodeAt(base.length - 1);
        for (let c = lo; c <= hi; c++) map.set(c, base.slice(0, -1) + String.fromCharCode(last + c - lo));
      }
    }
  }
  return { bytes, map };
}

function streamBytes(obj: unknown): Uint8Array {
  if (obj instanceof PDFRawStream) return decodePDFRawStream(obj).decode();
  if (obj instanceof PDFStream) return (obj as PDFStream & { getContents(): Uint8Array }).getContents();
  return new Uint8Array();
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

/** Marked-content text of one page by MCID. */
function pageTexts(doc: PDFDocument, pageIndex: number): Map<number, string> {
  const page = doc.getPages()[pageIndex];
  const fonts = new Map<string, CMap>();
  const fontDict = page.node.Resources()?.lookup(PDFName.of('Font'));
  if (fontDict instanceof PDFDict) {
    for (const [name, ref] of fontDict.entries()) {
      const f = doc.context.lookup(ref);
      const tu = f instanceof PDFDict ? f.lookup(PDFName.of('ToUnicode')) : undefined;
      if (tu) fonts.set(name.asString().slice(1), parseCMap(latin1(streamBytes(tu))));
    }
  }
  const contents = page.node.Contents();
  const parts = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  const src = parts.map((p) => latin1(streamBytes(p))).join('\n');
  const out = new Map<number, string>();
  const stack: Array<number | undefined> = [];
  let font: CMap | undefined;
  const operands: string[] = [];
  const decode = (hex: string) => {
    if (!font) return '';
    let s = '';
    const w = font.bytes * 2;
    for (let i = 0; i + w <= hex.length; i += w) s += font.map.get(parseInt(hex.slice(i, i + w), 16)) ?? '';
    return s;
  };
  const emit = (t: string) => {
    const mcid = [...stack].reverse().find((x) => x !== undefined);
    if (mcid !== undefined) out.set(mcid, (out.get(mcid) ?? '') + t);
  };
  const tok = /\/[^\s/<>[\]()]+|<<|>>|<[0-9a-fA-F\s]*>|\[|\]|\((?:\\.|[^\\)])*\)|[-+]?\d*\.?\d+|[A-Za-z'"*]+/g;
  let m: RegExpExecArray | null;
  while ((m = tok.exec(src))) {
    const t = m[0];
    if (/^[A-Za-z'"*]+$/.test(t)) {
      if (t === 'BDC') {
        const i = operands.lastIndexOf('/MCID');
        stack.push(i >= 0 ? Number(operands[i + 1]) : undefined);
      } else if (t === 'BMC') stack.push(undefined);
      else if (t === 'EMC') stack.pop();
      else if (t === 'Tf') font = fonts.get((operands[operands.length - 2] ?? '').slice(1));
      else if (t === 'TJ' || t === 'Tj' || t === "'" || t === '"')
        for (const o of operands) if (o.startsWith('<') && !o.startsWith('<<')) emit(decode(o.slice(1, -1).replace(/\s+/g, '')));
      operands.length = 0;
    } else operands.push(t);
  }
  return out;
}

export async function pdfText(data: Buffer): Promise<string> {
  const doc = await PDFDocument.load(data, { updateMetadata: false });
  const pageIndex = new Map<string, number>(doc.getPages().map((p, i) => [p.ref.toString(), i]));
  const texts = new Map<number, Map<number, string>>();
  const textOf = (page: number, mcid: number) => {
    if (!texts.has(page)) texts.set(page, pageTexts(doc, page));
    return texts.get(page)!.get(mcid) ?? '';
  };
  const root = doc.catalog.lookup(PDFName.of('StructTreeRoot'));
  if (!(root instanceof PDFDict)) throw new Error('此 PDF 没有结构树（不是本工具生成的带标签 PDF），无法转换为文本');
  const type = (d: PDFDict) => (d.lookup(PDFName.of('S')) as PDFName | undefined)?.asString().slice(1) ?? '';
  const kids = (d: PDFDict): unknown[] => {
    const k = d.get(PDFName.of('K'));
    const v = k instanceof PDFRef ? doc.context.lookup(k) : k;
    return v instanceof PDFArray ? v.asArray() : v === undefined ? [] : [k];
  };
  /** Text of an element: its marked content in order, through its descendants. */
  const textOfElement = (d: PDFDict, pg?: PDFRef): string => {
    const own = d.get(PDFName.of('Pg'));
    const page = own instanceof PDFRef ? own : pg;
    let s = '';
    for (const k of kids(d)) {
      const v = k instanceof PDFRef ? doc.context.lookup(k) : k;
      if (v instanceof PDFNumber) { if (page) s += textOf(pageIndex.get(page.toString())!, v.asNumber()); continue; }
      if (!(v instanceof PDFDict)) continue;
      const t = (v.lookup(PDFName.of('Type')) as PDFName | undefined)?.asString();
      if (t === '/MCR') {
        const p = v.get(PDFName.of('Pg'));
        const mp = p instanceof PDFRef ? p : page;
        const mcid = (v.lookup(PDFName.of('MCID')) as PDFNumber).asNumber();
        if (mp) s += textOf(pageIndex.get(mp.toString())!, mcid);
      } else if (t !== '/OBJR') s += textOfElement(v, page);
    }
    return s;
  };
  const out: string[] = [];
  let lastLabel = '';
  let n = 0;
  const rowsOf = (d: PDFDict): PDFDict[] => {
    const rows: PDFDict[] = [];
    for (const k of kids(d)) {
      const v = k instanceof PDFRef ? doc.context.lookup(k) : k;
      if (!(v instanceof PDFDict)) continue;
      if (type(v) === 'TR') rows.push(v);
      else rows.push(...rowsOf(v));
    }
    return rows;
  };
  const walk = (d: PDFDict) => {
    const s = type(d);
    if (s === 'Table') {
      n++;
      const rows = rowsOf(d).map((tr) => kids(tr).map((k) => (k instanceof PDFRef ? doc.context.lookup(k) : k)).filter((v): v is PDFDict => v instanceof PDFDict).map((c) => textOfElement(c)));
      out.push(...tableLines(lastLabel || `表${n}`, rows));
      lastLabel = '';
      return;
    }
    if (s === 'P' || /^H\d$/.test(s)) {
      const t = textOfElement(d);
      if (t.trim()) {
        out.push(t);
        const m = TABLE_LABEL.exec(t);
        if (m) lastLabel = m[0];
      }
      return;
    }
    for (const k of kids(d)) {
      const v = k instanceof PDFRef ? doc.context.lookup(k) : k;
      if (v instanceof PDFDict && !(v.lookup(PDFName.of('Type')) as PDFName | undefined)?.asString().match(/^\/(MCR|OBJR)$/)) walk(v);
    }
  };
  walk(root);
  return out.join('\n') + '\n';
}


