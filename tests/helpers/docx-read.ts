/**
 * Reads a .docx back for tests: unzips it with JSZip and parses its XML parts
 * with a small, strict XML reader (enough for WordprocessingML: elements,
 * attributes, text, the five predefined entities and numeric references).
 */
import JSZip from 'jszip';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    if (!(e in ENTITIES)) throw new Error(`unknown entity ${m}`);
    return ENTITIES[e];
  });
}

/** Parses an XML document into its root element. Throws on malformed input. */
export function parseXml(xml: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [{ name: '#document', attrs: {}, children: [] }];
  const top = () => stack[stack.length - 1];
  while (i < xml.length) {
    if (xml.startsWith('<?', i)) {
      i = xml.indexOf('?>', i) + 2;
    } else if (xml.startsWith('<!--', i)) {
      i = xml.indexOf('-->', i) + 3;
    } else if (xml.startsWith('</', i)) {
      const end = xml.indexOf('>', i);
      const name = xml.slice(i + 2, end).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`mismatched </${name}> (open: ${open?.name}) at ${i}`);
      i = end + 1;
    } else if (xml[i] === '<') {
      const m = /^<([^\s/>]+)((?:\s+[^\s=]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(xml.slice(i, i + 100000));
      if (!m) throw new Error(`bad tag at ${i}: ${xml.slice(i, i + 80)}`);
      const attrs: Record<string, string> = {};
      for (const a of m[2].matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decode(a[2] ?? a[3]);
      const el: XmlElement = { name: m[1], attrs, children: [] };
      top().children.push(el);
      if (!m[3]) stack.push(el);
      i += m[0].length;
    } else {
      const end = xml.indexOf('<', i);
      const text = xml.slice(i, end === -1 ? xml.length : end);
      if (text.trim() !== '' || stack.length > 1) top().children.push(decode(text));
      i = end === -1 ? xml.length : end;
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${top().name}>`);
  const root = stack[0].children.find((c): c is XmlElement => typeof c !== 'string');
  if (!root) throw new Error('no root element');
  return root;
}

export const elements = (el: XmlElement, name?: string): XmlElement[] =>
  el.children.filter((c): c is XmlElement => typeof c !== 'string' && (name === undefined || c.name === name));

export const child = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el ? elements(el, name)[0] : undefined;

/** All descendants named `name`, in document order (not descending into matches). */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of elements(e)) {
      if (c.name === name) out.push(c);
      else walk(c);
    }
  };
  walk(el);
  return out;
}

/**
 * The visible text of a paragraph or cell: w:t text, w:tab as "\t", w:br as
 * "\n"; field instructions (w:instrText) are not text.
 */
export function textOf(el: XmlElement): string {
  let s = '';
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (typeof c === 'string') continue;
      if (c.name === 'w:t') s += c.children.filter((x): x is string => typeof x === 'string').join('');
      else if (c.name === 'w:tab' && e.name === 'w:r') s += '\t';
      else if (c.name === 'w:br' && (c.attrs['w:type'] ?? 'textWrapping') === 'textWrapping') s += '\n';
      else if (c.name === 'w:pPr' || c.name === 'w:rPr' || c.name === 'w:instrText') continue;
      else walk(c);
    }
  };
  walk(el);
  return s;
}

export const attr = (el: XmlElement | undefined, name: string): string | undefined => el?.attrs[name];

/** The style id of a paragraph, or undefined. */
export const styleOf = (p: XmlElement): string | undefined => attr(child(child(p, 'w:pPr'), 'w:pStyle'), 'w:val');

export interface ReadCell {
  text: string;
  gridSpan: number;
  /** "restart", "continue" or undefined. */
  vMerge?: string;
  paragraphs: XmlElement[];
  el: XmlElement;
}
export interface ReadRow {
  cells: ReadCell[];
  tblHeader: boolean;
  cantSplit: boolean;
}
export interface ReadTable {
  kind: 'table';
  grid: number[];
  rows: ReadRow[];
  el: XmlElement;
}
export interface ReadParagraph {
  kind: 'paragraph';
  text: string;
  style?: string;
  pageBreakBefore: boolean;
  /** The section properties this paragraph closes, if any. */
  sectPr?: XmlElement;
  el: XmlElement;
}
export interface ReadToc {
  kind: 'toc';
  el: XmlElement;
  paragraphs: XmlElement[];
}
export type ReadBlock = ReadParagraph | ReadTable | ReadToc;

const onOff = (el: XmlElement | undefined): boolean => {
  if (!el) return false;
  const v = el.attrs['w:val'];
  return v === undefined || v === '1' || v === 'true' || v === 'on';
};

export function readTable(tbl: XmlElement): ReadTable {
  const grid = elements(child(tbl, 'w:tblGrid')!, 'w:gridCol').map((g) => Number(g.attrs['w:w']));
  const rows = elements(tbl, 'w:tr').map((tr) => {
    const trPr = child(tr, 'w:trPr');
    const cells = elements(tr, 'w:tc').map((tc) => {
      const tcPr = child(tc, 'w:tcPr');
      const vm = child(tcPr, 'w:vMerge');
      const paragraphs = elements(tc, 'w:p');
      return {
        text: paragraphs.map(textOf).join('\n'),
        gridSpan: Number(attr(child(tcPr, 'w:gridSpan'), 'w:val') ?? 1),
        vMerge: vm ? (vm.attrs['w:val'] ?? 'continue') : undefined,
        paragraphs,
        el: tc,
      };
    });
    return { cells, tblHeader: onOff(child(trPr, 'w:tblHeader')), cantSplit: onOff(child(trPr, 'w:cantSplit')) };
  });
  return { kind: 'table', grid, rows, el: tbl };
}

/** The blocks of the body in order: paragraphs, tables, and the TOC content control. */
export function bodyBlocks(documentXml: string): { blocks: ReadBlock[]; finalSectPr: XmlElement } {
  const root = parseXml(documentXml);
  const body = child(root, 'w:body')!;
  const blocks: ReadBlock[] = [];
  let finalSectPr: XmlElement | undefined;
  for (const el of elements(body)) {
    if (el.name === 'w:p') {
      const pPr = child(el, 'w:pPr');
      blocks.push({
        kind: 'paragraph',
        text: textOf(el),
        style: styleOf(el),
        pageBreakBefore: onOff(child(pPr, 'w:pageBreakBefore')),
        sectPr: child(pPr, 'w:sectPr'),
        el,
      });
    } else if (el.name === 'w:tbl') blocks.push(readTable(el));
    else if (el.name === 'w:sdt') blocks.push({ kind: 'toc', el, paragraphs: descendants(child(el, 'w:sdtContent')!, 'w:p') });
    else if (el.name === 'w:sectPr') finalSectPr = el;
    else throw new Error(`unexpected body element ${el.name}`);
  }
  if (!finalSectPr) throw new Error('body has no final w:sectPr');
  return { blocks, finalSectPr };
}

export interface OpenedDocx {
  zip: JSZip;
  names: string[];
  text(name: string): Promise<string>;
  xml(name: string): Promise<XmlElement>;
}

export async function openDocx(buf: Buffer): Promise<OpenedDocx> {
  const zip = await JSZip.loadAsync(buf);
  const names = Object.keys(zip.files);
  const text = async (name: string) => {
    const f = zip.file(name);
    if (!f) throw new Error(`no ${name} in docx`);
    return f.async('string');
  };
  return { zip, names, text, xml: async (name) => parseXml(await text(name)) };
}
