/**
 * Test-side expectations for the Excel writer, written independently of
 * src/render/xlsx so the tests cross-check it rather than repeat it.
 *
 * The sheet layout the tests expect (1-based rows):
 *   1 title · 2 公开NN表 · 3 部门 / 金额单位 · 4… header rows (栏次 last) · body rows · note rows
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Cell, HeaderCell, ReportDocument, Table } from '../../src/document/types';
import { buildDocumentFromFile } from '../../src/pipeline';
import { composeDocument } from '../../src/compose/document';
import { deriveFacts } from '../../src/derive/facts';
import { loadModel } from '../../src/validate/model';
import { miniDocument } from '../fixtures/mini-document';

export const REAL_DATA = path.join(__dirname, '..', '..', 'data.yaml');
/** A second department (city 农业农村局, exact 元, 07 with data), when the fixture is present. */
export const SECOND_DEPARTMENT = path.join(__dirname, '..', 'fixtures', 'second-department', 'data.yaml');

/**
 * The documents every xlsx test runs on: the mini fixtures always, the real report
 * once data.yaml exists, and the second department fixture when present.
 */
export function testDocuments(): Array<{ name: string; exists: boolean; load: () => Promise<ReportDocument> }> {
  return [
    { name: 'mini document', exists: true, load: async () => miniDocument },
    { name: 'mini document with percent and count columns', exists: true, load: async () => percentAndCountDocument() },
    { name: 'real document (data.yaml)', exists: fs.existsSync(REAL_DATA), load: async () => buildDocumentFromFile(REAL_DATA) },
    {
      name: 'second department fixture',
      exists: fs.existsSync(SECOND_DEPARTMENT),
      // Composed without the audit gate (as tests/second-department.test.ts does): an
      // audit finding in that fixture is not an Excel writer failure.
      load: async () => { const m = loadModel(SECOND_DEPARTMENT); return composeDocument(deriveFacts(m), m.profile); },
    },
  ];
}

export function labelledTables(doc: ReportDocument): Table[] {
  const out: Table[] = [];
  for (const part of doc.parts) for (const b of part.blocks) if (b.kind === 'table' && b.table.label) out.push(b.table);
  return out;
}

export const TITLE_ROW = 1;
export const LABEL_ROW = 2;
export const META_ROW = 3;
export const HEADER_TOP = 4;

export interface ExpectedLayout {
  headerTop: number;
  headerBottom: number;
  bodyTop: number;
  notesTop: number;
  lastRow: number;
  nCols: number;
}

export function expectedLayout(t: Table): ExpectedLayout {
  const headerBottom = HEADER_TOP + t.header.length - 1;
  const bodyTop = headerBottom + 1;
  const notesTop = bodyTop + t.body.length;
  return { headerTop: HEADER_TOP, headerBottom, bodyTop, notesTop, lastRow: notesTop + t.notes.length - 1, nCols: t.columns.length };
}

export interface GridHeaderCell {
  row: number; // sheet row, 1-based
  col: number; // sheet column, 1-based
  rowSpan: number;
  colSpan: number;
  cell: HeaderCell;
}

export interface GridBodyCell {
  bodyRow: number; // index into table.body
  logicalCol: number; // 0-based
  row: number; // sheet row
  col: number; // sheet column
  colSpan: number;
  cell: Cell;
}

/** Header cells at their sheet positions (HTML rules: skip positions covered from above). */
export function headerGrid(t: Table): GridHeaderCell[] {
  const taken = new Set<string>();
  const out: GridHeaderCell[] = [];
  t.header.forEach((cells, r) => {
    let c = 0;
    for (const cell of cells) {
      while (taken.has(`${r},${c}`)) c++;
      for (let i = 0; i < cell.rowSpan; i++) for (let j = 0; j < cell.colSpan; j++) taken.add(`${r + i},${c + j}`);
      out.push({ row: HEADER_TOP + r, col: c + 1, rowSpan: cell.rowSpan, colSpan: cell.colSpan, cell });
      c += cell.colSpan;
    }
  });
  return out;
}

export function bodyGrid(t: Table): GridBodyCell[] {
  const { bodyTop } = expectedLayout(t);
  const out: GridBodyCell[] = [];
  t.body.forEach((row, r) => {
    let c = 0;
    for (const cell of row.cells) {
      const span = cell.colSpan ?? 1;
      out.push({ bodyRow: r, logicalCol: c, row: bodyTop + r, col: c + 1, colSpan: span, cell });
      c += span;
    }
  });
  return out;
}

export function colLetter(n: number): string {
  let s = '';
  while (n > 0) {
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function address(row: number, col: number): string {
  return `${colLetter(col)}${row}`;
}

export function rangeAddress(top: number, left: number, bottom: number, right: number): string {
  return `${address(top, left)}:${address(bottom, right)}`;
}

/** Expand a SUM formula ("SUM(C5:C9,F7)" or "C5+C8") into the set of cell addresses it adds. */
export function formulaCells(formula: string): string[] {
  const body = formula.replace(/^=/, '').replace(/^SUM\((.*)\)$/i, '$1');
  const out: string[] = [];
  for (const term of body.split(/[,+]/)) {
    const m = /^\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?$/.exec(term.trim());
    if (!m) throw new Error(`unexpected formula term "${term}" in ${formula}`);
    const c1 = colNumber(m[1]);
    const r1 = Number(m[2]);
    const c2 = m[3] ? colNumber(m[3]) : c1;
    const r2 = m[4] ? Number(m[4]) : r1;
    for (let r = Math.min(r1, r2); r <= Math.max(r1, r2); r++)
      for (let c = Math.min(c1, c2); c <= Math.max(c1, c2); c++) out.push(address(r, c));
  }
  return out;
}

function colNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Approximate display width: CJK and full-width characters count two. */
export function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += (ch.codePointAt(0) ?? 0) >= 0x2e80 || /[“”‘’]/.test(ch) ? 2 : 1;
  return w;
}

/**
 * The mini document with its in-text table promoted to a 公开 table and given a
 * percent column and a count column, so those number formats get exercised.
 */
export function percentAndCountDocument(): ReportDocument {
  const doc = JSON.parse(JSON.stringify(miniDocument)) as ReportDocument;
  for (const part of doc.parts) {
    for (const block of part.blocks) {
      if (block.kind !== 'table' || block.table.label) continue;
      const t = block.table;
      t.label = '公开10表';
      t.departmentLine = '部门：示例单位';
      t.orientation = 'landscape';
      t.columns.push({ width: 8, align: 'right', kind: 'count' });
      t.header[0].push({ text: '人数', colSpan: 1, rowSpan: 1 });
      const num = (value: string, text: string): Cell => ({ text, amount: { value, text } });
      t.body = [
        { role: 'data', level: 0, cells: [{ text: '人员经费' }, num('2382.30', '2,382.30'), num('94.63', '94.63%'), num('12', '12')] },
        { role: 'data', level: 1, cells: [{ text: '公用经费' }, num('0', '0.00'), { text: '' }, num('1200', '1,200')] },
        {
          role: 'total',
          level: 0,
          cells: [
            { text: '合计', align: 'center' },
            { ...num('2382.30', '2,382.30'), sumOf: [[0, 1], [1, 1]] },
            num('0.9463', '94.63%'),
            { ...num('1212', '1,212'), sumOf: [[0, 3], [1, 3]] },
          ],
        },
      ];
      t.notes = ['注：本表为测试用表。'];
    }
  }
  return doc;
}
