/**
 * textconv: the text git shows for report.docx / .xlsx / .pdf holds every
 * sentence of report.md (docx, pdf) and every table cell (all three).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderDocx } from '../../src/render/docx';
import { renderXlsx } from '../../src/render/xlsx';
import { renderPdf } from '../../src/render/pdf';
import { docxText, formatNumber, pdfText, xlsxText } from '../../src/review/textconv';
import { documentUnits } from '../../src/review/units';
import { build, ROOT } from '../helpers/build';

const b = build();
const mdLines = b.md.split('\n');
/** The sentences of report.md: every text line that is not a heading or a table row. */
const sentences = mdLines.filter((l) => l.trim() && !l.startsWith('#') && !l.startsWith('|') && !/^部门：/.test(l));
/** Every body cell of every table (the cells report.md prints in its pipe rows). */
const cellUnits = documentUnits(b.document).flatMap((u) => (u.kind === 'cell' ? [u] : []));
const cells = cellUnits.map((u) => u.text);
/** The workbook holds the nine 公开 tables (the 附件's in-text tables are not in it). */
const publicCells = cellUnits.filter((u) => /^\d\d$/.test(u.tableId)).map((u) => u.text);

function expectAll(text: string, items: string[], what: string) {
  const missing = items.filter((s) => !text.includes(s));
  expect({ what, missing: missing.slice(0, 5), count: missing.length }).toEqual({ what, missing: [], count: 0 });
}

test('report.md has sentences and cells to look for', () => {
  expect(sentences.length).toBeGreaterThan(200);
  expect(cells.length).toBeGreaterThan(500);
});

test('docx: every sentence of report.md, every table cell as "表 行 列: 值"', async () => {
  const t = await docxText(await renderDocx(b.document));
  expectAll(t, sentences, 'docx sentences');
  const cellValues = new Set(t.split('\n').filter((l) => /^\S+ 第\d+行 第\d+列: /.test(l)).map((l) => l.replace(/^\S+ 第\d+行 第\d+列: /, '')));
  expectAll([...cellValues].join('\n'), cells, 'docx cells');
  expect(t).toContain('公开05表 ');
});

test('pdf (read back from our tagged PDF, no external tool): every sentence, every cell', async () => {
  const t = await pdfText(await renderPdf(b.document, { fonts: b.model.output.pdfFonts }));
  expectAll(t, sentences, 'pdf sentences');
  const cellValues = t.split('\n').filter((l) => / 第\d+行 第\d+列: /.test(l)).map((l) => l.replace(/^\S+ 第\d+行 第\d+列: /, ''));
  expectAll(cellValues.join('\n'), cells, 'pdf cells');
});

test('xlsx: every cell of the nine 公开 tables, numbers shown as printed', async () => {
  const t = await xlsxText(await renderXlsx(b.document));
  const cellValues = t.split('\n').filter((l) => / 第\d+行 第\d+列: /.test(l)).map((l) => l.replace(/^.+? 第\d+行 第\d+列: /, '').trim());
  const set = new Set(cellValues);
  expect(publicCells.length).toBeGreaterThan(500);
  expect(publicCells.filter((c) => !set.has(c))).toEqual([]);
  expect(formatNumber(20624.94, '#,##0.00')).toBe('20,624.94');
  expect(formatNumber(94.63, '0.00"%"')).toBe('94.63%');
  expect(formatNumber(0.9463, '0.00%')).toBe('94.63%');
});

test('CLI prints the text (what git diff shows through diff.<name>.textconv)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textconv-'));
  const file = path.join(dir, 'report.docx');
  fs.writeFileSync(file, await renderDocx(b.document));
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'review', 'textconv-cli.js'), file], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(r.stdout).toContain(sentences[10]);
  const bad = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'src', 'review', 'textconv-cli.js'), path.join(dir, 'none.docx')], { encoding: 'utf8' });
  expect(bad.status).toBe(1);
  expect(bad.stderr).toContain('无法读取文件');
});
