/**
 * Same document → byte-identical workbook, whatever the clock or time zone says.
 */
import JSZip from 'jszip';
import type { ReportDocument } from '../src/document/types';
import { renderXlsx } from '../src/render/xlsx';
import { miniDocument } from './fixtures/mini-document';
import { testDocuments } from './helpers/xlsx-expect';

function clone(doc: ReportDocument): ReportDocument {
  return JSON.parse(JSON.stringify(doc)) as ReportDocument;
}

/** Fake only Date, so exceljs' streams and timers keep running. */
function fakeClock(iso: string): void {
  jest.useFakeTimers({
    now: new Date(iso),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

afterEach(() => {
  jest.useRealTimers();
});

for (const source of testDocuments()) {
  const describeIf = source.exists ? describe : describe.skip;
  describeIf(`renderXlsx determinism: ${source.name}`, () => {
    test('two builds give byte-identical files', async () => {
      const doc = await source.load();
      const a = await renderXlsx(doc);
      const b = await renderXlsx(doc);
      expect(a.length).toBeGreaterThan(1000);
      expect(a.equals(b)).toBe(true);
    });

    test('the clock and the time zone do not reach the bytes', async () => {
      const doc = await source.load();
      const savedTz = process.env.TZ;
      try {
        process.env.TZ = 'Asia/Shanghai';
        fakeClock('2031-03-04T05:06:07Z');
        expect(new Date().getUTCFullYear()).toBe(2031);
        const a = await renderXlsx(doc);
        jest.useRealTimers();
        process.env.TZ = 'America/Los_Angeles';
        fakeClock('2019-12-31T23:59:59Z');
        const b = await renderXlsx(doc);
        expect(a.equals(b)).toBe(true);
        const zip = await JSZip.loadAsync(a);
        for (const name of Object.keys(zip.files)) {
          const text = await zip.file(name)!.async('string');
          expect(text).not.toMatch(/2031-03-04|2019-12-31/);
        }
      } finally {
        process.env.TZ = savedTz;
      }
    });
  });
}

describe('renderXlsx determinism: the bytes follow the document', () => {
  test('a different meta.date changes the zip entry dates and core properties', async () => {
    const other = clone(miniDocument);
    other.meta.date = '2025-01-15';
    const a = await renderXlsx(miniDocument);
    const b = await renderXlsx(other);
    expect(a.equals(b)).toBe(false);
    const zip = await JSZip.loadAsync(b);
    for (const entry of Object.values(zip.files)) {
      expect(entry.date.toISOString().slice(0, 10)).toBe('2025-01-15');
    }
    expect(await zip.file('docProps/core.xml')!.async('string')).toContain('2025-01-15T00:00:00Z');
  });

  test('a changed amount changes the bytes', async () => {
    const other = clone(miniDocument);
    const table = other.parts[1].blocks.find((b) => b.kind === 'table');
    if (!table || table.kind !== 'table') throw new Error('fixture changed');
    table.table.body[0].cells[2] = { text: '20,624.95', amount: { value: '20624.95', text: '20,624.95' } };
    const a = await renderXlsx(miniDocument);
    const b = await renderXlsx(other);
    expect(a.equals(b)).toBe(false);
  });

  test('a malformed meta.date is refused rather than replaced by the clock', async () => {
    const other = clone(miniDocument);
    other.meta.date = '2024-6-28';
    await expect(renderXlsx(other)).rejects.toThrow(/meta\.date/);
    other.meta.date = '2024-02-30';
    await expect(renderXlsx(other)).rejects.toThrow(/meta\.date/);
  });
});
