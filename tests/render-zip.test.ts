/**
 * The deterministic zip writer of the docx and xlsx packages: standard zip
 * (read back by JSZip with every entry's bytes, name and order), the known
 * CRC-32, one DOS date from the UTC fields whatever the time zone, and the
 * same bytes every time.
 */
import JSZip from 'jszip';
import { crc32, zipEntries } from '../src/render/zip';

const DATE = new Date(Date.UTC(2024, 5, 28));
const ENTRIES = [
  { name: '[Content_Types].xml', data: '<?xml version="1.0"?><Types/>' },
  { name: 'word/document.xml', data: '<w:t>湖南省&amp;政务 😀</w:t>'.repeat(500) },
  { name: 'bin/raw.bin', data: new Uint8Array([0, 1, 2, 255, 254, 0, 0, 7]) },
];

test('CRC-32 of the check string is 0xCBF43926', () => {
  expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  expect(crc32(new Uint8Array())).toBe(0);
});

test('JSZip reads every entry back, in order, with its bytes and the document date', async () => {
  const zip = await JSZip.loadAsync(zipEntries(ENTRIES, DATE));
  expect(Object.keys(zip.files)).toEqual(ENTRIES.map((e) => e.name));
  for (const e of ENTRIES) {
    const f = zip.file(e.name)!;
    if (typeof e.data === 'string') expect(await f.async('string')).toBe(e.data);
    else expect([...(await f.async('uint8array'))]).toEqual([...e.data]);
    // JSZip decodes DOS dates as UTC fields
    expect(f.date.toISOString()).toBe('2024-06-28T00:00:00.000Z');
  }
});

test('the bytes do not depend on the time zone or the run', () => {
  const tz = process.env.TZ;
  try {
    process.env.TZ = 'America/Los_Angeles';
    const a = zipEntries(ENTRIES, DATE);
    process.env.TZ = 'Asia/Shanghai';
    const b = zipEntries(ENTRIES, DATE);
    expect(Buffer.compare(a, b)).toBe(0);
    expect(Buffer.compare(a, zipEntries(ENTRIES, DATE))).toBe(0);
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

test('a duplicate entry or a date before 1980 fails loudly', () => {
  expect(() => zipEntries([ENTRIES[0], ENTRIES[0]], DATE)).toThrow(/duplicate/);
  expect(() => zipEntries(ENTRIES, new Date(Date.UTC(1979, 11, 31)))).toThrow(/DOS date/);
});
