/**
 * A deterministic zip writer for the OOXML packages (docx, xlsx): the entries
 * in the order given, each DEFLATEd with fflate (pure JavaScript, the same
 * bytes on every machine and Node version — never Node's native zlib), dated
 * with one fixed DOS date (the document's date, from its UTC fields: no clock,
 * no time zone), no directory entries, no data descriptors, no extra fields.
 *
 * Not fflate's own zipSync: it takes an entry's DOS date from the local-time
 * fields of its mtime, so the same document would zip to other bytes in
 * another time zone.
 */
import { deflateSync } from 'fflate';

export interface ZipEntry {
  name: string;
  data: string | Uint8Array;
}

let CRC_TABLE: Int32Array | undefined;
function crcTable(): Int32Array {
  if (CRC_TABLE) return CRC_TABLE;
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return (CRC_TABLE = t);
}

export function crc32(data: Uint8Array): number {
  const t = crcTable();
  let c = -1;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/**
 * The entry date of a package for its document date "YYYY-MM-DD" (meta.date):
 * midnight UTC, so the bytes do not depend on the time zone; `writer` names
 * the caller in the (internal) error for a date that is not one.
 */
export function packageDate(isoDate: string | undefined, writer: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate ?? '');
  if (!m) throw new Error(`${writer}: meta.date must be an ISO date "YYYY-MM-DD", got ${JSON.stringify(isoDate)}`);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (Number.isNaN(date.getTime()) || date.getUTCDate() !== Number(m[3])) throw new Error(`${writer}: meta.date is not a valid date: "${isoDate}"`);
  // DOS dates cannot hold years before 1980.
  if (date.getUTCFullYear() < 1980) throw new Error(`${writer}: meta.date ${isoDate} is before 1980 (zip dates start there)`);
  return date;
}

/** The DOS time and date of a Date's UTC fields (2-second resolution). */
function dosDateTime(date: Date): { time: number; day: number } {
  const year = date.getUTCFullYear();
  if (year < 1980 || year > 2107) throw new Error(`zip: date ${date.toISOString()} is outside the DOS date range (1980–2107)`);
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

const encoder = new TextEncoder();

/** The zip file of `entries`, in their order, deflated at `level` (fflate 0–9), dated `date`. */
export function zipEntries(entries: readonly ZipEntry[], date: Date, level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6): Buffer {
  const { time, day } = dosDateTime(date);
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) throw new Error(`zip: duplicate entry ${entry.name}`);
    seen.add(entry.name);
    const name = encoder.encode(entry.name);
    const raw = typeof entry.data === 'string' ? encoder.encode(entry.data) : entry.data;
    const packed = deflateSync(raw, { level });
    const crc = crc32(raw);
    // bit 11: the name is UTF-8 (set only when it is not plain ASCII, as most writers do)
    const flags = /^[\x20-\x7e]*$/.test(entry.name) ? 0 : 0x0800;
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    local.set(name, 30);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by: MS-DOS, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(day, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attributes: 0
    central.writeUInt32LE(0, 38); // external attributes
    central.writeUInt32LE(offset, 42);
    central.set(name, 46);
    locals.push(local, packed);
    centrals.push(central);
    offset += local.length + packed.length;
  }
  const centralSize = centrals.reduce((a, c) => a + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}
