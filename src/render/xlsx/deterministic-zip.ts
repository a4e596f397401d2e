/**
 * Packaging the workbook so the same document always gives the same bytes:
 * exceljs renders every part of the package (its own `xlsx.write` sequence,
 * below) into memory instead of its zip; the parts are then zipped by the
 * deterministic zip writer (src/render/zip.ts: fflate deflate, one fixed
 * entry date from the document, never the clock), in a fixed entry order,
 * with no directory entries.
 */
import type ExcelJS from 'exceljs';
import { zipEntries } from '../zip';

/** Entries a reader expects first; the rest follow in code-point order. */
const LEADING_ENTRIES = ['[Content_Types].xml', '_rels/.rels'];

/** Optional rewrite of an entry's bytes while zipping (return the data unchanged to keep it). */
export type EntryTransform = (name: string, data: string | Buffer) => string | Buffer;

interface PartSink {
  append(data: string | Buffer, options: { name: string; base64?: boolean }): void;
}

/** exceljs's XLSX writer, as far as this module drives it (exceljs 4.4: lib/xlsx/xlsx.js `write`). */
interface XlsxInternals {
  prepareModel(model: unknown, options: object): void;
  addContentTypes(zip: PartSink, model: unknown): Promise<void>;
  addOfficeRels(zip: PartSink, model: unknown): Promise<void>;
  addWorkbookRels(zip: PartSink, model: unknown): Promise<void>;
  addWorksheets(zip: PartSink, model: unknown): Promise<void>;
  addSharedStrings(zip: PartSink, model: unknown): Promise<void>;
  addDrawings(zip: PartSink, model: unknown): Promise<void>;
  addTables(zip: PartSink, model: unknown): Promise<void>;
  addThemes(zip: PartSink, model: unknown): Promise<void>;
  addStyles(zip: PartSink, model: unknown): Promise<void>;
  addMedia(zip: PartSink, model: unknown): Promise<void>;
  addApp(zip: PartSink, model: unknown): Promise<void>;
  addCore(zip: PartSink, model: unknown): Promise<void>;
  addWorkbook(zip: PartSink, model: unknown): Promise<void>;
}

/** The parts exceljs writes for a workbook, by name (the same calls, in the same order, as its `xlsx.write`). */
export async function workbookParts(wb: ExcelJS.Workbook): Promise<Map<string, string | Buffer>> {
  const xlsx = wb.xlsx as unknown as XlsxInternals;
  for (const m of ['prepareModel', 'addContentTypes', 'addWorksheets', 'addStyles', 'addWorkbook'] as const) {
    if (typeof xlsx[m] !== 'function') throw new Error(`xlsx: this exceljs has no xlsx.${m} (the writer drives exceljs 4.4's package writer)`);
  }
  const parts = new Map<string, string | Buffer>();
  const zip: PartSink = {
    append(data, options) {
      parts.set(options.name, options.base64 && typeof data === 'string' ? Buffer.from(data, 'base64') : data);
    },
  };
  const { model } = wb as unknown as { model: unknown };
  xlsx.prepareModel(model, {});
  await xlsx.addContentTypes(zip, model);
  await xlsx.addOfficeRels(zip, model);
  await xlsx.addWorkbookRels(zip, model);
  await xlsx.addWorksheets(zip, model);
  await xlsx.addSharedStrings(zip, model);
  await xlsx.addDrawings(zip, model);
  await xlsx.addTables(zip, model);
  await Promise.all([xlsx.addThemes(zip, model), xlsx.addStyles(zip, model)]);
  await xlsx.addMedia(zip, model);
  await Promise.all([xlsx.addApp(zip, model), xlsx.addCore(zip, model)]);
  await xlsx.addWorkbook(zip, model);
  return parts;
}

/** The zip of the parts: leading entries first, then by name; each optionally transformed. */
export function zipParts(parts: ReadonlyMap<string, string | Buffer>, date: Date, transform?: EntryTransform): Buffer {
  const names = [...parts.keys()].sort((a, b) => {
    const ia = LEADING_ENTRIES.indexOf(a);
    const ib = LEADING_ENTRIES.indexOf(b);
    if (ia !== ib) return (ia < 0 ? LEADING_ENTRIES.length : ia) - (ib < 0 ? LEADING_ENTRIES.length : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  });
  return zipEntries(
    names.map((name) => {
      const raw = parts.get(name)!;
      return { name, data: transform ? transform(name, raw) : raw };
    }),
    date,
    6,
  );
}
