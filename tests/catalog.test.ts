/**
 * The classification catalog is data: data.yaml can name its own catalog file
 * (report.catalog, relative to data.yaml), and 公开01表/04表 take their class rows
 * and 行次 from it — a class added to the catalog appears in both tables, the
 * audits still balance, and the workbook builds.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import ExcelJS from 'exceljs';
import { ROOT, dataText } from './helpers/build';
import { buildFromFile } from '../src/pipeline';
import { renderXlsx } from '../src/render/xlsx';
import { Table } from '../src/document/types';

function withCatalog(extra: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-catalog-'));
  const cat = fs.readFileSync(path.join(ROOT, 'catalog', '2023.yaml'), 'utf8');
  fs.writeFileSync(path.join(dir, 'my-catalog.yaml'), cat.replace('  "234": 抗疫特别国债安排的支出\n', `  "234": 抗疫特别国债安排的支出\n${extra}`));
  const data = path.join(dir, 'data.yaml');
  fs.writeFileSync(data, dataText().replace(/^report:\n/m, 'report:\n  catalog: my-catalog.yaml\n'));
  return data;
}

const tableOf = (b: ReturnType<typeof buildFromFile>, id: string): Table =>
  (b.document.parts.flatMap((p) => p.blocks).find((x) => x.kind === 'table' && x.table.id === id) as { table: Table }).table;
const classRows = (t: Table, col: number) => t.body.filter((r) => /^[一二三四五六七八九十]+、/.test(r.cells[col]?.text ?? '') && r.role !== 'filler');
const rowWith = (t: Table, text: string) => t.body.find((r) => r.cells.some((c) => c.text === text))!;

test('the bundled catalog gives 26 class rows in 01 and 04 with the form’s 行次', () => {
  const b = buildFromFile(path.join(ROOT, 'data.yaml'));
  const t01 = tableOf(b, '01');
  expect(classRows(t01, 3)).toHaveLength(26);
  expect(rowWith(t01, '本年支出合计').cells[4].text).toBe('58');
  expect(rowWith(t01, '本年收入合计').cells[1].text).toBe('27');
  const t04 = tableOf(b, '04');
  expect(classRows(t04, 3)).toHaveLength(26);
  expect(rowWith(t04, '本年支出合计').cells[4].text).toBe('59');
});

test('a copied catalog with a 27th class gives 27 class rows in 01 and 04, 行次 follow, and the workbook builds', async () => {
  const b = buildFromFile(withCatalog('  "235": 测试新增类支出\n'));
  expect(b.model.catalog.functionClasses).toHaveLength(27);
  expect(b.audit.errors).toHaveLength(0);
  const t01 = tableOf(b, '01');
  const rows01 = classRows(t01, 3);
  expect(rows01).toHaveLength(27);
  expect(rows01[26].cells[3].text).toBe('二十七、测试新增类支出');
  // left column: 27 rows, then 本年收入合计 28 … 总计 32; right column: 33–59, 本年支出合计 60 … 总计 64
  expect(rows01[0].cells[4].text).toBe('33');
  expect(rows01[26].cells[4].text).toBe('59');
  expect(rowWith(t01, '本年收入合计').cells[1].text).toBe('28');
  expect(rowWith(t01, '本年支出合计').cells[4].text).toBe('60');
  expect(t01.body[t01.body.length - 1].cells.map((c) => c.text).filter((x) => /^\d+$/.test(x))).toEqual(['32', '64']);
  const t04 = tableOf(b, '04');
  const rows04 = classRows(t04, 3);
  expect(rows04).toHaveLength(27);
  expect(rows04[26].cells[3].text).toBe('二十七、测试新增类支出');
  expect(rowWith(t04, '本年支出合计').cells[4].text).toBe('61');
  expect(t04.body[t04.body.length - 1].cells[4].text).toBe('66');
  // totals keep their spreadsheet references to the (now 27) class rows
  const total01 = rowWith(t01, '本年支出合计').cells[5];
  expect(total01.sumOf).toHaveLength(27);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await renderXlsx(b.document)) as never);
  const texts: string[] = [];
  wb.worksheets[0].eachRow((row) => row.eachCell((c) => texts.push(String(c.value))));
  expect(texts).toContain('二十七、测试新增类支出');
});

test('a catalog file that does not exist is a located message at report.catalog', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-catalog-'));
  const data = path.join(dir, 'data.yaml');
  fs.writeFileSync(data, dataText().replace(/^report:\n/m, 'report:\n  catalog: nope.yaml\n'));
  expect(() => buildFromFile(data)).toThrow(/data\.yaml:15:\d+: \[report\.catalog\] 找不到科目表文件“nope\.yaml”/);
});

test('a profile may carry its own catalogs by year (catalog: catalog/{year}.yaml)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-catalog-'));
  const fmt = path.join(dir, 'fmt');
  fs.cpSync(path.join(ROOT, 'profiles', 'hunan'), fmt, { recursive: true });
  fs.writeFileSync(path.join(fmt, 'profile.yaml'), fs.readFileSync(path.join(fmt, 'profile.yaml'), 'utf8').replace('catalog: by_year', 'catalog: catalog/{year}.yaml'));
  fs.mkdirSync(path.join(fmt, 'catalog'));
  const cat = fs.readFileSync(path.join(ROOT, 'catalog', '2023.yaml'), 'utf8');
  fs.writeFileSync(path.join(fmt, 'catalog', '2023.yaml'), cat.replace('  "234": 抗疫特别国债安排的支出\n', '  "234": 抗疫特别国债安排的支出\n  "235": 本格式新增类支出\n'));
  const data = path.join(dir, 'data.yaml');
  fs.writeFileSync(data, dataText().replace(/^report:\n/m, 'report:\n  profile: ./fmt\n'));
  const b = buildFromFile(data);
  expect(classRows(tableOf(b, '01'), 3)).toHaveLength(27);
  // another year without a catalog in the profile: located at report.year
  fs.writeFileSync(data, dataText().replace(/^report:\n/m, 'report:\n  profile: ./fmt\n').replace('  year: 2023', '  year: 2024'));
  expect(() => buildFromFile(data)).toThrow(/data\.yaml:\d+:\d+: \[report\.year\] 报告格式“[^”]+”没有 2024 年度的科目表 .*fmt\/catalog\/2024\.yaml/);
});
