/**
 * LibreOffice, an independent reader, opens the workbook, recalculates every
 * formula (the cached results are poisoned first, so a cached value cannot pass
 * for a computed one) and exports each sheet to CSV. Every sheet must hold
 * exactly the model's texts and numbers, totals included.
 * Skipped when soffice is not on PATH.
 */
import Decimal from 'decimal.js';
import JSZip from 'jszip';
import type { Cell, ReportDocument, Table } from '../src/document/types';
import { renderXlsx } from '../src/render/xlsx';
import { miniDocument } from './fixtures/mini-document';
import { bodyGrid, expectedLayout, headerGrid, labelledTables, testDocuments } from './helpers/xlsx-expect';
import { hasSoffice, libreOfficeCsv, poisonFormulaCache, POISON } from './helpers/xlsx-libreoffice';

const describeLo = hasSoffice() ? describe : describe.skip;

/** What a formula cell must compute: the exact sum of what its references compute. */
function expectedValue(t: Table, cell: Cell, seen: Set<Cell> = new Set()): Decimal {
  if (seen.has(cell)) throw new Error('circular sumOf in the model');
  if (!cell.sumOf || cell.sumOf.length === 0) return new Decimal(cell.amount?.value ?? 0);
  const cells = bodyGrid(t);
  const refs = [...new Map(cell.sumOf.map(([r, c]) => [`${r},${c}`, [r, c] as const])).values()];
  return refs.reduce((acc, [r, c]) => {
    const target = cells.find((g) => g.bodyRow === r && g.logicalCol === c);
    if (!target) throw new Error(`sumOf [${r},${c}] points at no cell`);
    return acc.plus(expectedValue(t, target.cell, new Set([...seen, cell])));
  }, new Decimal(0));
}

/** Differences between LibreOffice's view of one sheet and the model's table (empty when they agree). */
function mismatches(t: Table, shown: string[][] | undefined, raw: string[][] | undefined): string[] {
  const out: string[] = [];
  if (!shown || !raw) return [`sheet ${t.label} missing from the CSV export`];
  const layout = expectedLayout(t);
  const at = (rows: string[][], r: number, c: number) => rows[r - 1]?.[c - 1] ?? '';
  const same = (where: string, got: string, want: string) => {
    if (got !== want) out.push(`${t.label} ${where}: LibreOffice "${got}", model "${want}"`);
  };
  same('title', at(shown, 1, 1), t.title);
  same('label', at(shown, 2, 1), t.label ?? '');
  same('department', at(shown, 3, 1), t.departmentLine ?? '');
  if (!shown[2]?.includes(t.unitLine)) out.push(`${t.label} unit line "${t.unitLine}" missing from row 3`);
  for (const h of headerGrid(t)) same(`header R${h.row}C${h.col}`, at(shown, h.row, h.col), h.cell.text);
  for (const g of bodyGrid(t)) {
    const where = `body R${g.row}C${g.col}`;
    // As shown: exactly the printed text ("20,624.94", "0.00", "" for blanks).
    same(where, at(shown, g.row, g.col), g.cell.text);
    for (let k = 1; k < g.colSpan; k++) same(`${where}+${k}`, at(shown, g.row, g.col + k), '');
    // Raw: the number itself; for a total, the exact sum LibreOffice computed.
    if (g.cell.amount && g.cell.text !== '') {
      const got = at(raw, g.row, g.col);
      const want = expectedValue(t, g.cell);
      // LibreOffice keeps a percent format ("94.63%") even in the raw export.
      const m = /^(-?\d+(?:\.\d+)?(?:E-?\d+)?)(%?)$/i.exec(got);
      const value = m ? new Decimal(m[1]).div(m[2] ? 100 : 1) : undefined;
      if (got === POISON || !value || value.minus(want).abs().gt('1e-6')) {
        out.push(`${t.label} ${where} value: LibreOffice ${got}, expected ${want.toString()}`);
      }
    }
  }
  t.notes.forEach((note, k) => same(`note ${k + 1}`, at(shown, layout.notesTop + k, 1), note));
  const lastNonEmpty = shown.reduce((last, row, i) => (row.some((c) => c !== '') ? i + 1 : last), 0);
  if (lastNonEmpty !== layout.lastRow) out.push(`${t.label}: last row ${lastNonEmpty}, expected ${layout.lastRow}`);
  return out;
}

async function checkDocument(doc: ReportDocument, buf: Buffer): Promise<{ problems: string[]; formulas: number }> {
  const { buf: poisoned, formulas } = await poisonFormulaCache(buf);
  const shown = libreOfficeCsv(poisoned, true).sheets;
  const raw = libreOfficeCsv(poisoned, false).sheets;
  const tables = labelledTables(doc);
  const problems: string[] = [];
  const names = tables.map((t) => t.label!.replace(/\s+/g, ''));
  if ([...shown.keys()].sort().join() !== [...names].sort().join()) {
    problems.push(`sheets ${[...shown.keys()].join(',')} vs tables ${names.join(',')}`);
  }
  tables.forEach((t, i) => problems.push(...mismatches(t, shown.get(names[i]), raw.get(names[i]))));
  return { problems, formulas };
}

describeLo('renderXlsx read by LibreOffice (formulas recalculated)', () => {
  for (const source of testDocuments()) {
    const testIf = source.exists ? test : test.skip;
    testIf(`${source.name}: every sheet holds exactly the model's texts and numbers`, async () => {
      const doc = await source.load();
      const { problems, formulas } = await checkDocument(doc, await renderXlsx(doc));
      expect(problems).toEqual([]);
      const sumCells = labelledTables(doc).flatMap((t) => bodyGrid(t)).filter((g) => g.cell.sumOf?.length && g.cell.amount);
      expect(formulas).toBe(sumCells.length);
    });
  }

  test('control: a wrong formula is caught (so the check above can fail)', async () => {
    const buf = await renderXlsx(miniDocument);
    const zip = await JSZip.loadAsync(buf);
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string');
    // 01 本年收入合计 = 1 + 2; drop the second reference.
    const broken = sheet.replace(/<f>SUM\(C(\d+):C(\d+)\)<\/f>/, '<f>SUM(C$1)</f>');
    expect(broken).not.toBe(sheet);
    zip.file('xl/worksheets/sheet1.xml', broken);
    const { problems } = await checkDocument(miniDocument, await zip.generateAsync({ type: 'nodebuffer' }));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(/公开01表 body R10C3/);
  });
});
