/**
 * Re-zipping a generated OOXML package so the same document always gives the
 * same bytes: one fixed entry date (from the document, never the clock), a fixed
 * entry order, fixed compression, no directory entries.
 */
import JSZip from 'jszip';

/** Entries a reader expects first; the rest follow in code-point order. */
const LEADING_ENTRIES = ['[Content_Types].xml', '_rels/.rels'];

/** Optional rewrite of an entry's bytes while re-zipping (return the data unchanged to keep it). */
export type EntryTransform = (name: string, data: Buffer) => Buffer;

export async function normalizeZip(input: Buffer, date: Date, transform?: EntryTransform): Promise<Buffer> {
  const source = await JSZip.loadAsync(input);
  const names = Object.keys(source.files)
    .filter((name) => !source.files[name].dir)
    .sort((a, b) => {
      const ia = LEADING_ENTRIES.indexOf(a);
      const ib = LEADING_ENTRIES.indexOf(b);
      if (ia !== ib) return (ia < 0 ? LEADING_ENTRIES.length : ia) - (ib < 0 ? LEADING_ENTRIES.length : ib);
      return a < b ? -1 : a > b ? 1 : 0;
    });
  const out = new JSZip();
  for (const name of names) {
    const raw = await source.files[name].async('nodebuffer');
    const data = transform ? transform(name, raw) : raw;
    out.file(name, data, { date, createFolders: false, binary: true });
  }
  return out.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
    platform: 'DOS',
  });
}

/**
 * The zip entry date for a document date "YYYY-MM-DD": midnight UTC (JSZip writes
 * DOS dates from the UTC fields, so the bytes do not depend on the time zone).
 */
export function documentDate(isoDate: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`xlsx: meta.date must be an ISO date "YYYY-MM-DD", got "${isoDate}"`);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3])) {
    throw new Error(`xlsx: meta.date is not a valid date: "${isoDate}"`);
  }
  // DOS dates cannot hold years before 1980.
  if (date.getUTCFullYear() < 1980) throw new Error(`xlsx: meta.date before 1980: "${isoDate}"`);
  return date;
}
