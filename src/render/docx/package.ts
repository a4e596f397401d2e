/**
 * Deterministic packaging. The docx package writes the clock into the core
 * properties and the zip entries, numbers bookmarks from a module-level counter
 * (so a second document built in the same process gets other ids), and leaves
 * the font table empty. This module re-opens its output and rewrites it:
 *
 *  - docProps/core.xml from doc.meta (created/modified = meta.date);
 *  - word/fontTable.xml with the Chinese faces and their fallbacks;
 *  - bookmark ids and _Toc names renumbered in document order;
 *  - every zip entry dated meta.date 00:00 UTC, in a fixed order, DEFLATE level 9.
 */
import JSZip from 'jszip';
import type { DocumentMeta } from '../../document/types';
import { fontTableXml } from './fonts';

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** meta.date ("YYYY-MM-DD") as a UTC midnight Date; throws on anything else. */
export function documentDate(meta: DocumentMeta): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(meta.date ?? '');
  if (!m) throw new Error(`renderDocx: meta.date must be an ISO date YYYY-MM-DD, got ${JSON.stringify(meta.date)}`);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.getUTCFullYear() < 1980) throw new Error(`renderDocx: meta.date ${meta.date} is before 1980 (zip dates start there)`);
  return date;
}

export function corePropertiesXml(meta: DocumentMeta): string {
  const stamp = `${meta.date}T00:00:00Z`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeText(meta.title)}</dc:title>` +
    `<dc:subject>${escapeText(meta.subject)}</dc:subject>` +
    `<dc:creator>${escapeText(meta.department)}</dc:creator>` +
    `<cp:keywords>${escapeText(meta.keywords.join(', '))}</cp:keywords>` +
    `<dc:language>${escapeText(meta.language)}</dc:language>` +
    `<cp:lastModifiedBy>${escapeText(meta.department)}</cp:lastModifiedBy>` +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * Renumbers bookmarks in order of appearance: w:id of bookmarkStart/End from 0,
 * and names docx derived from its counter (_TocN) to _Toc1, _Toc2, … wherever
 * they occur (bookmark names, hyperlink anchors, PAGEREF instructions).
 */
export function renumberBookmarks(xml: string): string {
  const ids = new Map<string, string>();
  xml = xml.replace(/<w:bookmarkStart\b[^>]*>/g, (tag) =>
    tag.replace(/\bw:id="(\d+)"/, (_m, id: string) => {
      if (!ids.has(id)) ids.set(id, String(ids.size));
      return `w:id="${ids.get(id)}"`;
    }),
  );
  xml = xml.replace(/<w:bookmarkEnd\b[^>]*>/g, (tag) =>
    tag.replace(/\bw:id="(\d+)"/, (_m, id: string) => {
      const mapped = ids.get(id);
      if (mapped === undefined) throw new Error(`renderDocx: bookmarkEnd ${id} without a start`);
      return `w:id="${mapped}"`;
    }),
  );
  const names = new Map<string, string>();
  for (const m of xml.matchAll(/<w:bookmarkStart\b[^>]*\bw:name="(_Toc\d+)"/g)) {
    if (!names.has(m[1])) names.set(m[1], `_Toc${names.size + 1}`);
  }
  return xml.replace(/_Toc\d+/g, (name) => {
    const mapped = names.get(name);
    if (mapped === undefined) throw new Error(`renderDocx: reference to unknown bookmark ${name}`);
    return mapped;
  });
}

/** Parts in a fixed, conventional order; anything else follows alphabetically. */
/**
 * The paragraph defaults and the Normal style ask for no automatic space
 * between Han characters and Latin letters (w:autoSpaceDE) or digits
 * (w:autoSpaceDN), as the PDF sets them ("16037.96万元"): Word and
 * LibreOffice otherwise widen those joints by about a quarter em on their
 * own. The docx package can write only w:autoSpaceDN, and out of schema
 * order, so both go in here, before w:spacing (their place in CT_PPrBase).
 */
export function noAutospace(xml: string): string {
  const off = '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>';
  const put = (pPr: string) => pPr.replace(/<w:autoSpaceD[EN]\b[^>]*\/>/g, '').replace(/<w:spacing\b/, off + '<w:spacing');
  let done = 0;
  xml = xml.replace(/(<w:pPrDefault><w:pPr>)([\s\S]*?)(<\/w:pPr>)/, (_m, a: string, body: string, b: string) => (done++, a + put(body) + b));
  xml = xml.replace(/(<w:style w:type="paragraph" w:styleId="Normal"[^>]*>[\s\S]*?<w:pPr>)([\s\S]*?)(<\/w:pPr>)/, (_m, a: string, body: string, b: string) => (done++, a + put(body) + b));
  if (done !== 2 || (xml.match(/<w:autoSpaceDE w:val="0"\/>/g) ?? []).length !== 2) throw new Error('renderDocx: styles.xml has no paragraph defaults or Normal style with w:spacing');
  return xml;
}

const ENTRY_ORDER = ['[Content_Types].xml', '_rels/.rels', 'docProps/core.xml', 'docProps/app.xml', 'docProps/custom.xml', 'word/document.xml'];

const entryRank = (name: string): [number, string] => {
  const i = ENTRY_ORDER.indexOf(name);
  return [i === -1 ? ENTRY_ORDER.length : i, name];
};

export async function repackage(packed: Buffer, meta: DocumentMeta): Promise<Buffer> {
  const date = documentDate(meta);
  const input = await JSZip.loadAsync(packed);
  const names = Object.keys(input.files)
    .filter((name) => !input.files[name].dir)
    .sort((a, b) => {
      const [ra, na] = entryRank(a);
      const [rb, nb] = entryRank(b);
      return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
    });
  if (!names.includes('word/fontTable.xml')) throw new Error('renderDocx: docx output has no word/fontTable.xml');

  const output = new JSZip();
  for (const name of names) {
    let content: string | Uint8Array;
    if (name === 'docProps/core.xml') content = corePropertiesXml(meta);
    else if (name === 'word/fontTable.xml') content = fontTableXml();
    else if (name === 'word/document.xml') content = renumberBookmarks(await input.files[name].async('string'));
    else if (name === 'word/styles.xml') content = noAutospace(await input.files[name].async('string'));
    else content = await input.files[name].async('uint8array');
    output.file(name, content, { date, createFolders: false, binary: typeof content !== 'string' });
  }
  return output.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
    platform: 'DOS',
    streamFiles: false,
  });
}
