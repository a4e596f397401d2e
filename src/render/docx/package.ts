/**
 * Deterministic packaging: the parts of the Word package from the document
 * alone, never the clock:
 *
 *  - docProps/core.xml from doc.meta (created/modified = meta.date);
 *  - word/fontTable.xml with the Chinese faces and their fallbacks;
 *  - the static parts (static-parts.ts);
 *  - every zip entry dated meta.date 00:00 UTC, in a fixed order, DEFLATE
 *    (fflate, level 6; zip.ts).
 */
import type { DocumentMeta } from '../../document/types';
import { fontTableXml } from './fonts';
import { STATIC_PARTS } from './static-parts';
import { packageDate, zipEntries } from '../zip';

const escapeText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

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

const ENTRY_ORDER = ['[Content_Types].xml', '_rels/.rels', 'docProps/core.xml', 'docProps/app.xml', 'docProps/custom.xml', 'word/document.xml'];

const entryRank = (name: string): [number, string] => {
  const i = ENTRY_ORDER.indexOf(name);
  return [i === -1 ? ENTRY_ORDER.length : i, name];
};

/** The package: the generated parts and the static ones, in a fixed order (the conventional first, then by name), dated meta.date. */
export function packageDocx(meta: DocumentMeta, parts: { document: string; styles: string }): Buffer {
  const date = packageDate(meta.date, 'renderDocx');
  const all: Record<string, string> = {
    ...STATIC_PARTS,
    'docProps/core.xml': corePropertiesXml(meta),
    'word/fontTable.xml': fontTableXml(),
    'word/document.xml': parts.document,
    'word/styles.xml': parts.styles,
  };
  const names = Object.keys(all).sort((a, b) => {
    const [ra, na] = entryRank(a);
    const [rb, nb] = entryRank(b);
    return ra - rb || (na < nb ? -1 : na > nb ? 1 : 0);
  });
  return zipEntries(names.map((name) => ({ name, data: all[name] })), date, 6);
}
