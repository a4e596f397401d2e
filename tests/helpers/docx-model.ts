/**
 * What the Word writer should have written for a ReportDocument, paragraph by
 * paragraph and cell by cell, and a comparison that lists every difference
 * between a rendered .docx and that expectation.
 *
 * The expectation is built from the model alone (not from the writer's code),
 * so a writer that drops, reorders, merges or alters any text fails.
 */
import { headingRank } from '../../src/layout/spec';
import { wordBoundaries } from '../../src/render/pdf/linebreaker';
import * as fs from 'fs';
import * as path from 'path';
import type { ReportDocument, Table } from '../../src/document/types';
import { bodyBlocks, openDocx, type ReadBlock, type ReadTable } from './docx-read';


export type ExpectedBlock =
  | { kind: 'paragraph'; text: string; style: string }
  | { kind: 'table'; table: Table }
  | { kind: 'toc' };

const PARAGRAPH_STYLE = { body: 'ReportBody', note: 'ReportNote', plain: 'ReportPlain' } as const;

export function expectedBlocks(doc: ReportDocument): ExpectedBlock[] {
  const out: ExpectedBlock[] = [];
  const p = (text: string, style: string) => out.push({ kind: 'paragraph', text, style });
  doc.meta.titlePage.title.forEach((line) => p(line, 'TitlePageTitle'));
  doc.meta.titlePage.subtitle.forEach((line) => p(line, 'TitlePageSubtitle'));
  p(doc.meta.tocTitle, 'TocTitle');
  out.push({ kind: 'toc' });
  for (const part of doc.parts) {
    p(`${part.label}\n${part.title}`, 'Heading1');
    for (const block of part.blocks) {
      if (block.kind === 'heading') p(block.text, `Heading${headingRank(block) + 1}`);
      else if (block.kind === 'paragraph') p(block.sentences.join(''), PARAGRAPH_STYLE[block.style]);
      else {
        const t = block.table;
        p(t.title, t.label !== undefined ? 'TableTitle' : 'InlineTableTitle');
        if (t.label !== undefined) p(t.label, 'TableLabel');
        p(t.departmentLine !== undefined ? `${t.departmentLine}\t${t.unitLine}` : t.unitLine, 'TableMeta');
        out.push({ kind: 'table', table: t });
        t.notes.forEach((note) => p(note, 'TableNote'));
      }
    }
  }
  return out;
}

/** Body blocks that carry content: empty paragraphs (section-break carriers) are left out. */
export function contentBlocks(blocks: ReadBlock[]): ReadBlock[] {
  return blocks.filter((b) => !(b.kind === 'paragraph' && b.text === ''));
}

/** Differences between one Word table and one model table (cells in order, spans, header flags). */
export function compareTable(read: ReadTable, table: Table, where: string): string[] {
  const diffs: string[] = [];
  if (read.grid.length !== table.columns.length) {
    diffs.push(`${where}: ${read.grid.length} grid columns, model has ${table.columns.length}`);
  }
  const modelRows = [
    ...table.header.map((cells) => ({ header: true, cells: cells.map((c) => ({ text: c.text, colSpan: c.colSpan, rowSpan: c.rowSpan })) })),
    ...table.body.map((row) => ({ header: false, cells: row.cells.map((c) => ({ text: c.text, colSpan: c.colSpan ?? 1, rowSpan: 1 })) })),
  ];
  if (read.rows.length !== modelRows.length) {
    diffs.push(`${where}: ${read.rows.length} rows, model has ${modelRows.length}`);
  }
  modelRows.forEach((mrow, r) => {
    const row = read.rows[r];
    if (!row) return;
    if (row.tblHeader !== mrow.header) diffs.push(`${where} row ${r}: tblHeader=${row.tblHeader}, expected ${mrow.header}`);
    if (!row.cantSplit) diffs.push(`${where} row ${r}: row may split across pages (no cantSplit)`);
    // Continue cells of a vertical merge stand for spanned positions, which the model leaves out.
    const cells = row.cells.filter((c) => c.vMerge !== 'continue');
    if (cells.length !== mrow.cells.length) {
      diffs.push(`${where} row ${r}: ${cells.length} cells, model has ${mrow.cells.length}`);
    }
    mrow.cells.forEach((mc, c) => {
      const cell = cells[c];
      if (!cell) return;
      // Line breaks are the page layout's (between words, never inside one); the text is the model's.
      const joined = cell.text.replace(/\n/g, '');
      if (joined !== mc.text) diffs.push(`${where} row ${r} cell ${c}: ${JSON.stringify(cell.text)} ≠ model ${JSON.stringify(mc.text)}`);
      else if (cell.text.includes('\n')) {
        const words = wordBoundaries(mc.text);
        let at = 0;
        for (const piece of cell.text.split('\n').slice(0, -1)) {
          at += piece.length;
          if (!words[at] && !/[\s（(]/.test(mc.text[at] ?? '') && !/[\s）)、]/.test(mc.text[at - 1] ?? '')) diffs.push(`${where} row ${r} cell ${c}: line break inside a word: ${JSON.stringify(cell.text)}`);
        }
      }
      if (cell.gridSpan !== mc.colSpan) diffs.push(`${where} row ${r} cell ${c}: gridSpan ${cell.gridSpan} ≠ colSpan ${mc.colSpan}`);
      const expectMerge = mc.rowSpan > 1 ? 'restart' : undefined;
      if (cell.vMerge !== expectMerge) diffs.push(`${where} row ${r} cell ${c}: vMerge ${cell.vMerge} ≠ ${expectMerge} (rowSpan ${mc.rowSpan})`);
    });
    // Every logical column is covered exactly once (own cells plus continue cells).
    const width = row.cells.reduce((n, c) => n + c.gridSpan, 0);
    if (width !== table.columns.length) diffs.push(`${where} row ${r}: cells cover ${width} columns, table has ${table.columns.length}`);
  });
  return diffs;
}

/** Every difference between the rendered body and the model, in reading order. */
export function compareBlocks(blocks: ReadBlock[], doc: ReportDocument): string[] {
  const diffs: string[] = [];
  const read = contentBlocks(blocks);
  const expected = expectedBlocks(doc);
  const n = Math.max(read.length, expected.length);
  for (let i = 0; i < n; i++) {
    const r = read[i];
    const e = expected[i];
    const where = `block ${i}`;
    if (!r || !e) {
      diffs.push(`${where}: ${r ? `extra ${r.kind} ${r.kind === 'paragraph' ? JSON.stringify(r.text) : ''}` : `missing ${e!.kind}`}`);
      continue;
    }
    if (r.kind !== e.kind) {
      diffs.push(`${where}: ${r.kind} where the model has ${e.kind} ${e.kind === 'paragraph' ? JSON.stringify(e.text) : ''}`);
      break; // everything after is shifted
    }
    if (r.kind === 'paragraph' && e.kind === 'paragraph') {
      if (r.text !== e.text) diffs.push(`${where}: text ${JSON.stringify(r.text)} ≠ model ${JSON.stringify(e.text)}`);
      if (r.style !== e.style) diffs.push(`${where}: style ${r.style} ≠ ${e.style} (${JSON.stringify(e.text)})`);
    } else if (r.kind === 'table' && e.kind === 'table') {
      diffs.push(...compareTable(r, e.table, `table ${e.table.id}`));
    }
  }
  return diffs;
}

export async function compareDocxToModel(buf: Buffer, doc: ReportDocument): Promise<string[]> {
  const docx = await openDocx(buf);
  const { blocks } = bodyBlocks(await docx.text('word/document.xml'));
  return compareBlocks(blocks, doc);
}

/** The documents the writer's tests run on: the mini fixture, and the real report once data.yaml exists. */
export const DATA_YAML = path.join(__dirname, '..', '..', 'data.yaml');
export const haveDataYaml = (): boolean => fs.existsSync(DATA_YAML);

export function loadRealDocument(): ReportDocument {
  // Required lazily: the pipeline is built by another engineer and may not load yet.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildDocumentFromFile } = require('../../src/pipeline') as typeof import('../../src/pipeline');
  return buildDocumentFromFile(DATA_YAML);
}
