/**
 * The Excel writer, read back with exceljs: every cell value, merge, number
 * format, formula and print setting checked against the document model.
 * Runs on the mini fixture, and on the real report once data.yaml exists.
 */
import { layoutReport } from '../src/layout/pagination';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { ReportDocument, Table } from '../src/document/types';
import { renderXlsx } from '../src/render/xlsx';
import {
  address,
  bodyGrid,
  expectedLayout,
  formulaCells,
  headerGrid,
  labelledTables,
  LABEL_ROW,
  META_ROW,
  rangeAddress,
  testDocuments,
  textWidth,
  TITLE_ROW,
} from './helpers/xlsx-expect';

async function readBack(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  return wb;
}

/**
 * The number a cell holds: its value, or the cached result of its formula.
 * (exceljs' cell.value drops a formula result of 0, so read cell.result.)
 */
function numberOf(cell: ExcelJS.Cell): unknown {
  return cell.type === ExcelJS.ValueType.Formula ? cell.result : cell.value;
}

function isFormula(cell: ExcelJS.Cell): boolean {
  return cell.type === ExcelJS.ValueType.Formula;
}

const TWO_DECIMALS_GROUPED = /^-?\d{1,3}(,\d{3})*\.\d{2}$/;

for (const source of testDocuments()) {
  const describeIf = source.exists ? describe : describe.skip;

  describeIf(`renderXlsx: ${source.name}`, () => {
    let doc: ReportDocument;
    let buf: Buffer;
    let wb: ExcelJS.Workbook;
    let tables: Table[];

    beforeAll(async () => {
      doc = await source.load();
      tables = labelledTables(doc);
      buf = await renderXlsx(doc);
      wb = await readBack(buf);
    });

    test('one sheet per 公开 table, named by its label, in document order; in-text tables left out', () => {
      expect(tables.length).toBeGreaterThan(0);
      const names = wb.worksheets.map((ws) => ws.name);
      expect(names).toEqual(tables.map((t) => t.label!.replace(/\s+/g, '')));
      for (const n of names) expect(n).toMatch(/^公开\d{2}表$/);
    });

    test('title, label and 部门/金额单位 rows', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const n = t.columns.length;
        const merges = new Set(ws.model.merges);

        const title = ws.getCell(TITLE_ROW, 1);
        expect(title.value).toBe(t.title);
        expect(merges.has(rangeAddress(TITLE_ROW, 1, TITLE_ROW, n))).toBe(true);
        expect(title.alignment?.horizontal).toBe('center');
        expect(title.font?.bold).toBe(true);
        expect(title.font?.size).toBeGreaterThanOrEqual(14);

        const label = ws.getCell(LABEL_ROW, 1);
        expect(label.value).toBe(t.label);
        expect(merges.has(rangeAddress(LABEL_ROW, 1, LABEL_ROW, n))).toBe(true);
        expect(label.alignment?.horizontal).toBe('right');

        const dept = ws.getCell(META_ROW, 1);
        expect(dept.value).toBe(t.departmentLine);
        expect(dept.alignment?.horizontal).toBe('left');
        // The unit line sits further right on the same row, right-aligned, and the
        // two merges together cover the row exactly.
        let unitCol = 0;
        for (let c = 2; c <= n; c++) {
          const cell = ws.getCell(META_ROW, c);
          if (cell.master.address === cell.address && cell.value === t.unitLine) unitCol = c;
        }
        expect(unitCol).toBeGreaterThan(1);
        expect(ws.getCell(META_ROW, unitCol).alignment?.horizontal).toBe('right');
        if (unitCol > 2) expect(merges.has(rangeAddress(META_ROW, 1, META_ROW, unitCol - 1))).toBe(true);
        if (unitCol < n) expect(merges.has(rangeAddress(META_ROW, unitCol, META_ROW, n))).toBe(true);
      });
    });

    test('header rows: texts, merges as in the model, centred; 栏次 row is the last header row', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const merges = new Set(ws.model.merges);
        for (const h of headerGrid(t)) {
          const cell = ws.getCell(h.row, h.col);
          expect(cell.value ?? '').toBe(h.cell.text);
          expect(cell.alignment?.horizontal).toBe('center');
          if (h.rowSpan > 1 || h.colSpan > 1) {
            expect(merges.has(rangeAddress(h.row, h.col, h.row + h.rowSpan - 1, h.col + h.colSpan - 1))).toBe(true);
          }
        }
        if (t.columnNumberRow >= 0) expect(t.columnNumberRow).toBe(t.header.length - 1);
      });
    });

    test('body cells: text as text, amounts as numbers with a format that shows the model text, blanks empty', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        for (const g of bodyGrid(t)) {
          const cell = ws.getCell(g.row, g.col);
          const where = `${ws.name}!${cell.address}`;
          const column = t.columns[g.logicalCol];
          if (g.cell.text === '') {
            expect({ where, value: cell.value }).toEqual({ where, value: null });
          } else if (g.cell.amount) {
            expect({ where, value: numberOf(cell) }).toEqual({ where, value: Number(g.cell.amount.value) });
            if (column.kind === 'amount' && TWO_DECIMALS_GROUPED.test(g.cell.text)) {
              expect({ where, numFmt: cell.numFmt }).toEqual({ where, numFmt: '#,##0.00' });
            }
            if (g.cell.text.endsWith('%')) expect(cell.numFmt).toMatch(/%/);
            expect(cell.alignment?.horizontal).toBe(g.cell.align ?? column.align);
          } else {
            expect({ where, value: cell.value }).toEqual({ where, value: g.cell.text });
            expect(cell.alignment?.horizontal).toBe(g.cell.align ?? column.align);
          }
        }
      });
    });

    test('0.00 is written as the number 0, blank stays empty (conventions §4)', () => {
      let zeros = 0;
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        for (const g of bodyGrid(t)) {
          if (g.cell.text !== '0.00') continue;
          zeros++;
          expect(numberOf(ws.getCell(g.row, g.col))).toBe(0);
        }
      });
      expect(zeros).toBeGreaterThan(0);
    });

    test('every sumOf cell is a SUM formula over exactly the referenced cells, with the model value cached', () => {
      let formulas = 0;
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const layout = expectedLayout(t);
        for (const g of bodyGrid(t)) {
          const cell = ws.getCell(g.row, g.col);
          const refs = g.cell.sumOf ?? [];
          const where = `${ws.name}!${cell.address}`;
          if (refs.length === 0 || !g.cell.amount || g.cell.text === '') {
            expect({ where, formula: isFormula(cell) }).toEqual({ where, formula: false });
            continue;
          }
          formulas++;
          expect({ where, formula: isFormula(cell) }).toEqual({ where, formula: true });
          expect(cell.formula).toMatch(/^SUM\(/);
          const expected = [...new Set(refs.map(([r, c]) => address(layout.bodyTop + r, c + 1)))].sort();
          expect({ where, cells: [...new Set(formulaCells(cell.formula))].sort() }).toEqual({ where, cells: expected });
          // The cached result is the model's value, so the file reads right before any recalculation.
          expect({ where, cached: cell.result }).toEqual({ where, cached: Number(g.cell.amount.value) });
        }
        // No formula anywhere else on the sheet.
        ws.eachRow((row) =>
          row.eachCell((cell) => {
            if (!isFormula(cell)) return;
            const r = Number(cell.row) - layout.bodyTop;
            const g = bodyGrid(t).find((x) => x.bodyRow === r && x.col === Number(cell.col));
            expect({ at: `${ws.name}!${cell.address}`, sumOf: (g?.cell.sumOf?.length ?? 0) > 0 }).toEqual({ at: `${ws.name}!${cell.address}`, sumOf: true });
          }),
        );
      });
      expect(formulas).toBeGreaterThan(0);
    });

    test('body cells spanning columns are merged; names are indented by row level', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const merges = new Set(ws.model.merges);
        for (const g of bodyGrid(t)) {
          if (g.colSpan > 1) expect(merges.has(rangeAddress(g.row, g.col, g.row, g.col + g.colSpan - 1))).toBe(true);
          const column = t.columns[g.logicalCol];
          const align = g.cell.align ?? column.align;
          const level = t.body[g.bodyRow].level;
          if (column.kind === 'text' && align === 'left' && g.cell.text !== '' && level > 0) {
            expect({ at: `${ws.name}!${address(g.row, g.col)}`, indent: ws.getCell(g.row, g.col).alignment?.indent }).toEqual({
              at: `${ws.name}!${address(g.row, g.col)}`,
              indent: level,
            });
          }
        }
      });
    });

    test('notes under the table, merged across and wrapped; the sheet holds nothing else', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const layout = expectedLayout(t);
        const merges = ws.model.merges;
        t.notes.forEach((note, k) => {
          const row = layout.notesTop + k;
          const cell = ws.getCell(row, 1);
          expect(cell.value).toBe(note);
          expect(cell.alignment?.wrapText).toBe(true);
          expect(merges).toContain(rangeAddress(row, 1, row, layout.nCols));
        });
        // Every merge on the sheet is one the model asks for.
        const expectedMerges = new Set<string>([
          rangeAddress(TITLE_ROW, 1, TITLE_ROW, layout.nCols),
          rangeAddress(LABEL_ROW, 1, LABEL_ROW, layout.nCols),
          ...headerGrid(t)
            .filter((h) => h.rowSpan > 1 || h.colSpan > 1)
            .map((h) => rangeAddress(h.row, h.col, h.row + h.rowSpan - 1, h.col + h.colSpan - 1)),
          ...bodyGrid(t)
            .filter((g) => g.colSpan > 1)
            .map((g) => rangeAddress(g.row, g.col, g.row, g.col + g.colSpan - 1)),
          ...t.notes.map((_, k) => rangeAddress(layout.notesTop + k, 1, layout.notesTop + k, layout.nCols)),
        ]);
        for (const m of merges) {
          if (new RegExp(`^[A-Z]+${META_ROW}:[A-Z]+${META_ROW}$`).test(m)) continue; // 部门/金额单位, checked above
          expect(expectedMerges.has(m) ? m : `unexpected merge ${m}`).toBe(m);
        }
        for (const m of expectedMerges) expect(merges).toContain(m);
        // Nothing is written past the notes or right of the table.
        let cellsWithValues = 0;
        ws.eachRow((row) =>
          row.eachCell((cell) => {
            if (cell.value === null || cell.value === undefined || cell.isMerged && cell.master !== cell) return;
            cellsWithValues++;
            expect(Number(cell.row)).toBeLessThanOrEqual(layout.lastRow);
            expect(Number(cell.col)).toBeLessThanOrEqual(layout.nCols);
          }),
        );
        const expectedCount =
          2 + (t.departmentLine ? 1 : 0) + 1 +
          headerGrid(t).filter((h) => h.cell.text !== '').length +
          bodyGrid(t).filter((g) => g.cell.text !== '').length +
          t.notes.length;
        expect(cellsWithValues).toBe(expectedCount);
      });
    });

    test('table grid has thin borders on every cell; CJK font everywhere', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const layout = expectedLayout(t);
        for (let r = layout.headerTop; r < layout.notesTop; r++) {
          for (let c = 1; c <= layout.nCols; c++) {
            const b = ws.getCell(r, c).border;
            for (const side of ['top', 'left', 'bottom', 'right'] as const) {
              expect({ at: `${ws.name}!${address(r, c)}`, side, style: b?.[side]?.style }).toEqual({
                at: `${ws.name}!${address(r, c)}`,
                side,
                style: 'thin',
              });
            }
          }
        }
        for (let r = 1; r <= layout.lastRow; r++) {
          const cell = ws.getCell(r, 1);
          expect(cell.font?.name).toBe('宋体');
          expect(cell.font?.size).toBeGreaterThanOrEqual(10);
        }
        expect(ws.getCell(layout.bodyTop, 1).font?.size).toBeLessThanOrEqual(11);
      });
    });

    test('column widths fit the Chinese labels (CJK counts double)', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        for (const g of bodyGrid(t)) {
          if (g.colSpan !== 1 || g.cell.text === '') continue;
          const width = ws.getColumn(g.col).width ?? 0;
          const level = t.body[g.bodyRow].level;
          const indent = t.columns[g.logicalCol].kind === 'text' ? level * 2 : 0;
          const need = Math.min(textWidth(g.cell.text) + indent + 1, 50);
          expect({ at: `${ws.name}!${address(g.row, g.col)}`, text: g.cell.text, fits: width >= need }).toEqual({
            at: `${ws.name}!${address(g.row, g.col)}`,
            text: g.cell.text,
            fits: true,
          });
        }
        // Header words fit on at most two lines.
        for (const h of headerGrid(t)) {
          let width = 0;
          for (let c = h.col; c < h.col + h.colSpan; c++) width += ws.getColumn(c).width ?? 0;
          expect(textWidth(h.cell.text)).toBeLessThanOrEqual(2 * (width - 1) * h.rowSpan);
        }
      });
    });

    test('every printed total with a rounding tail carries the comment 打印数（含尾差）, and only those', () => {
      let commented = 0;
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const layout = expectedLayout(t);
        t.body.forEach((row, r) => {
          let col = 0;
          for (const cell of row.cells) {
            const c = ws.getCell(layout.bodyTop + r, col + 1);
            const note = typeof c.note === 'string' ? c.note : c.note?.texts?.map((x) => x.text).join('');
            expect({ at: `${t.id} ${r} ${col}`, note: note ?? null }).toEqual({ at: `${t.id} ${r} ${col}`, note: cell.printedTotal ? '打印数（含尾差）' : null });
            if (cell.printedTotal) commented++;
            col += cell.colSpan ?? 1;
          }
        });
      });
      if (doc.parts.length === 5 && tables.length === 9) expect(commented).toBeGreaterThan(0);
    });

    test('print setup: A4, orientation, one page wide, header rows repeated, frozen below the header', () => {
      tables.forEach((t, i) => {
        const ws = wb.worksheets[i];
        const layout = expectedLayout(t);
        const ps = ws.pageSetup;
        expect(ps.paperSize).toBe(9);
        // The orientation of the report's table fitting, shared with the PDF and the Word file.
        expect(ps.orientation).toBe(layoutReport(doc).tables.get(t.id)?.orientation ?? t.orientation);
        expect(ps.fitToPage).toBe(true);
        // Page numbers per sheet, from 1.
        expect(ps.firstPageNumber).toBe(1);
        expect(ws.headerFooter.oddFooter).toBe('&C— &P —');
        expect(ps.fitToWidth).toBe(1);
        expect(ps.fitToHeight).toBe(0);
        expect(ps.printTitlesRow).toBe(`1:${layout.headerBottom}`);
        const view = ws.views[0] as ExcelJS.WorksheetViewFrozen;
        expect(view.state).toBe('frozen');
        expect(view.ySplit).toBe(layout.headerBottom);
        expect(view.topLeftCell).toBe(`A${layout.bodyTop}`);
      });
    });

    test('document properties come from doc.meta, dates from meta.date', async () => {
      const date = new Date(`${doc.meta.date}T00:00:00Z`);
      expect(wb.creator).toBe(doc.meta.department);
      expect(wb.lastModifiedBy).toBe(doc.meta.department);
      expect(wb.title).toBe(doc.meta.title);
      expect(wb.subject).toBe(doc.meta.subject);
      for (const k of doc.meta.keywords) expect(wb.keywords).toContain(k);
      expect(wb.created.toISOString()).toBe(date.toISOString());
      expect(wb.modified.toISOString()).toBe(date.toISOString());

      const zip = await JSZip.loadAsync(buf);
      const core = await zip.file('docProps/core.xml')!.async('string');
      expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${doc.meta.date}T00:00:00Z</dcterms:created>`);
      expect(core).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${doc.meta.date}T00:00:00Z</dcterms:modified>`);
      expect(core).toContain(`<dc:language>${doc.meta.language}</dc:language>`);
      const app = await zip.file('docProps/app.xml')!.async('string');
      for (const t of tables) expect(app).toContain(`<vt:lpstr>${t.label!.replace(/\s+/g, '')}</vt:lpstr>`);
    });

    test('zip: every entry dated meta.date, [Content_Types].xml first, no directory entries', async () => {
      const zip = await JSZip.loadAsync(buf);
      const names = Object.keys(zip.files);
      expect(names[0]).toBe('[Content_Types].xml');
      const [y, m, d] = doc.meta.date.split('-').map(Number);
      for (const name of names) {
        const entry = zip.files[name];
        expect(entry.dir).toBe(false);
        // JSZip reads DOS dates back as UTC.
        expect([entry.date.getUTCFullYear(), entry.date.getUTCMonth() + 1, entry.date.getUTCDate()]).toEqual([y, m, d]);
      }
      const xml = await Promise.all(names.map((n) => zip.file(n)!.async('string')));
      // Codes and 行次 are text on purpose: Excel is told not to flag them.
      names.forEach((n, k) => {
        if (/^xl\/worksheets\/sheet\d+\.xml$/.test(n)) expect(xml[k]).toMatch(/<ignoredError sqref="A1:[A-Z]+\d+" numberStoredAsText="1"/);
      });
      const clockYear = String(new Date().getFullYear());
      if (clockYear !== doc.meta.date.slice(0, 4)) {
        // No timestamp from the clock anywhere in the package.
        for (const text of xml) expect(text).not.toMatch(new RegExp(`${clockYear}-\\d{2}-\\d{2}T`));
      }
    });
  });
}
