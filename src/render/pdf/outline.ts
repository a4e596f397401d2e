/**
 * Navigation and metadata: the PDF outline (bookmarks) built from low-level
 * dictionaries (pdf-lib has no outline API), page labels, the document
 * information dictionary, /Lang, viewer preferences and a document /ID
 * derived from the content (never random).
 */
import { createHash } from 'crypto';
import { PDFArray, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import type { DocumentMeta } from '../../document/types';
import type { Anchor } from './paginate';

export const PRODUCER = 'juesuan-report PDF writer (pdf-lib 1.17, fontkit 2)';
export const CREATOR = 'juesuan-report';

interface Node {
  anchor: Anchor;
  children: Node[];
}

/** Parts at the top; level-1 sections and 公开 tables under their part; level-2 sections under level 1. */
export function outlineTree(anchors: Anchor[]): Node[] {
  const roots: Node[] = [];
  let part: Node | undefined;
  let section: Node | undefined;
  for (const a of anchors) {
    const node: Node = { anchor: a, children: [] };
    if (a.level === 0) {
      roots.push(node);
      part = node;
      section = undefined;
    } else if (a.level === 1) {
      (part ? part.children : roots).push(node);
      section = a.kind === 'heading' ? node : undefined;
    } else if (section) {
      // Level-2 sections only under their level-1 section.
      section.children.push(node);
    }
  }
  return roots;
}

/** Build /Outlines into the catalog. */
export function addOutline(pdf: PDFDocument, pageRefs: PDFRef[], anchors: Anchor[]): void {
  const ctx = pdf.context;
  const roots = outlineTree(anchors);
  if (roots.length === 0) return;
  const outlinesRef = ctx.nextRef();

  // Returns the number of visible descendants (items of open nodes).
  const build = (nodes: Node[], parentRef: PDFRef, depth: number): { first: PDFRef; last: PDFRef; count: number } => {
    const refs = nodes.map(() => ctx.nextRef());
    let visible = 0;
    nodes.forEach((node, i) => {
      const a = node.anchor;
      const dict: Record<string, unknown> = {
        Title: PDFHexString.fromText(a.title),
        Parent: parentRef,
        Dest: [pageRefs[a.page], PDFName.of('XYZ'), PDFNumber.of(0), PDFNumber.of(Math.round(a.y * 100) / 100), PDFNumber.of(0)],
      };
      if (i > 0) dict.Prev = refs[i - 1];
      if (i < nodes.length - 1) dict.Next = refs[i + 1];
      visible += 1;
      if (node.children.length) {
        const sub = build(node.children, refs[i], depth + 1);
        dict.First = sub.first;
        dict.Last = sub.last;
        // Parts are open; deeper levels start closed (negative count).
        const open = depth === 0;
        dict.Count = open ? sub.count : -sub.count;
        if (open) visible += sub.count;
      }
      ctx.assign(refs[i], ctx.obj(dict as never));
    });
    return { first: refs[0], last: refs[refs.length - 1], count: visible };
  };

  const top = build(roots, outlinesRef, 0);
  ctx.assign(outlinesRef, ctx.obj({ Type: 'Outlines', First: top.first, Last: top.last, Count: top.count }));
  pdf.catalog.set(PDFName.of('Outlines'), outlinesRef);
  pdf.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
}

/** Page labels: the cover is "i", numbered pages 1, 2, … as printed. */
export function addPageLabels(pdf: PDFDocument, coverPages: number): void {
  const ctx = pdf.context;
  const nums: unknown[] = [];
  if (coverPages > 0) nums.push(0, ctx.obj({ S: 'r' }));
  nums.push(coverPages, ctx.obj({ S: 'D', St: 1 }));
  pdf.catalog.set(PDFName.of('PageLabels'), ctx.obj({ Nums: nums as never }));
}

function dateFromMeta(date: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`文档日期格式应为 YYYY-MM-DD：${date}`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** Info dictionary, language, viewer preferences and a content-derived /ID. */
export function setMetadata(pdf: PDFDocument, meta: DocumentMeta, contentSeed: string): void {
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  pdf.setAuthor(meta.department);
  pdf.setSubject(meta.subject);
  pdf.setKeywords(meta.keywords);
  pdf.setCreator(CREATOR);
  pdf.setProducer(PRODUCER);
  const d = dateFromMeta(meta.date);
  pdf.setCreationDate(d);
  pdf.setModificationDate(d);
  pdf.catalog.set(PDFName.of('Lang'), PDFString.of(meta.language || 'zh-CN'));
  addXmp(pdf, meta, d);
  const id = createHash('md5').update(contentSeed).digest('hex').toUpperCase();
  pdf.context.trailerInfo.ID = pdf.context.obj([PDFHexString.of(id), PDFHexString.of(id)]) as PDFArray;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** XMP metadata mirroring the info dictionary (read by most viewers and by PDF/UA checkers). */
function addXmp(pdf: PDFDocument, meta: DocumentMeta, date: Date): void {
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const lang = xmlEscape(meta.language || 'zh-CN');
  const alt = (v: string) => `<rdf:Alt><rdf:li xml:lang="x-default">${xmlEscape(v)}</rdf:li><rdf:li xml:lang="${lang}">${xmlEscape(v)}</rdf:li></rdf:Alt>`;
  const xmp = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    ' xmlns:dc="http://purl.org/dc/elements/1.1/"',
    ' xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/">',
    `<dc:title>${alt(meta.title)}</dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${xmlEscape(meta.department)}</rdf:li></rdf:Seq></dc:creator>`,
    `<dc:description>${alt(meta.subject)}</dc:description>`,
    `<dc:subject><rdf:Bag>${meta.keywords.map((k) => `<rdf:li>${xmlEscape(k)}</rdf:li>`).join('')}</rdf:Bag></dc:subject>`,
    `<dc:language><rdf:Bag><rdf:li>${lang}</rdf:li></rdf:Bag></dc:language>`,
    '<dc:format>application/pdf</dc:format>',
    `<pdf:Keywords>${xmlEscape(meta.keywords.join(' '))}</pdf:Keywords>`,
    `<pdf:Producer>${xmlEscape(PRODUCER)}</pdf:Producer>`,
    `<xmp:CreatorTool>${xmlEscape(CREATOR)}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${iso}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${iso}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${iso}</xmp:MetadataDate>`,
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
  ].join('\n');
  const ctx = pdf.context;
  const stream = ctx.stream(Buffer.from(xmp, 'utf8'), { Type: 'Metadata', Subtype: 'XML' });
  pdf.catalog.set(PDFName.of('Metadata'), ctx.register(stream));
}

/** Link annotations (目录 entries) going to their targets, with /Dest as the outline does. */
export function addLinks(pdf: PDFDocument, pageRefs: PDFRef[], pages: ReadonlyArray<{ links?: ReadonlyArray<{ rect: [number, number, number, number]; page: number; y: number }> }>): void {
  const ctx = pdf.context;
  pages.forEach((page, i) => {
    if (!page.links?.length) return;
    const annots = page.links.map((l) =>
      ctx.register(
        ctx.obj({
          Type: 'Annot',
          Subtype: 'Link',
          Rect: l.rect.map((v) => PDFNumber.of(Math.round(v * 100) / 100)),
          Border: [0, 0, 0],
          Dest: [pageRefs[l.page], PDFName.of('XYZ'), PDFNumber.of(0), PDFNumber.of(Math.round(l.y * 100) / 100), PDFNumber.of(0)],
        } as never),
      ),
    );
    const node = ctx.lookup(pageRefs[i]) as import('pdf-lib').PDFDict;
    node.set(PDFName.of('Annots'), ctx.obj(annots));
  });
}
