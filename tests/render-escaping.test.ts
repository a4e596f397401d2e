/**
 * Every writer escapes data for its format: data text full of markup-like and
 * XML-special characters builds, every XML part of report.docx and report.xlsx
 * is well-formed (checked by an XML parser) and carries the text back exactly,
 * report.md keeps its table rows intact, and narrative that looks like markup
 * ("## ", "::table", "~ ") stays a paragraph.
 */
import JSZip from 'jszip';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { build, dataText, edit } from './helpers/build';
import { renderDocx } from '../src/render/docx';
import { renderXlsx } from '../src/render/xlsx';

const NAME = `湖南省<政务>&服务"和'大数据]]>中心😀`;
const SUBJECT = '行政运行|A&B<C>';
const DUTY = '## 像标题的职责 {{money x}} ::table 01 ~ 反斜杠\\ &lt; 😀';

function tricky(): string {
  let t = dataText();
  t = edit(t, 'department: 湖南省政务服务和大数据中心', `department: ${JSON.stringify(NAME)}`);
  t = edit(t, '"2010301": 行政运行', `"2010301": ${JSON.stringify(SUBJECT)}`);
  t = edit(t, '    - 承担政务外网认证体系建设的事务性工作。', `    - ${JSON.stringify(DUTY)}`);
  t = edit(t, '    - 完成省委、省政府和省政府办公厅交办的其他工作。', '    - "::table 01"');
  return t;
}

let built: ReturnType<typeof build>;
beforeAll(() => {
  built = build(tricky());
});

async function xmlParts(buf: Buffer): Promise<Map<string, string>> {
  const zip = await JSZip.loadAsync(buf);
  const out = new Map<string, string>();
  for (const name of Object.keys(zip.files).sort()) {
    if (zip.files[name].dir || !/\.(xml|rels)$/.test(name)) continue;
    out.set(name, await zip.files[name].async('string'));
  }
  return out;
}

function allText(node: unknown, acc: string[] = []): string[] {
  if (typeof node === 'string') acc.push(node);
  else if (Array.isArray(node)) node.forEach((n) => allText(n, acc));
  else if (node && typeof node === 'object') Object.values(node).forEach((n) => allText(n, acc));
  return acc;
}

test.each([
  ['docx', () => renderDocx(built.document)],
  ['xlsx', () => renderXlsx(built.document)],
])('every XML part of the %s is well-formed and the data text comes back exactly', async (_fmt, render) => {
  const parts = await xmlParts(await render());
  expect(parts.size).toBeGreaterThan(3);
  const texts: string[] = [];
  for (const [name, xml] of parts) {
    const v = XMLValidator.validate(xml);
    if (v !== true) throw new Error(`${name} is not well-formed XML: ${JSON.stringify(v)}`);
    texts.push(...allText(new XMLParser({ processEntities: true, htmlEntities: false, ignoreAttributes: false, trimValues: false }).parse(xml)));
  }
  const joined = texts.join('\n');
  expect(joined).toContain(NAME);
  expect(joined).toContain(SUBJECT);
});

test('narrative that looks like markup is a paragraph, never a heading or a table', () => {
  const part1 = built.document.parts[0];
  const headings = part1.blocks.filter((b) => b.kind === 'heading').map((b) => (b as { text: string }).text);
  expect(headings.some((h) => h.includes('像标题'))).toBe(false);
  const paras = part1.blocks.filter((b) => b.kind === 'paragraph').map((b) => (b as { sentences: string[] }).sentences.join(''));
  // (spaces next to Chinese are dropped by the text rule; everything else is kept literally)
  expect(paras).toContain('（九）##像标题的职责{{money x}} ::table 01 ~反斜杠\\ &lt; 😀。');
  expect(paras.some((p) => p.includes('::table 01'))).toBe(true);
  expect(part1.blocks.filter((b) => b.kind === 'table')).toHaveLength(0);
  // no data-mark character leaks into the model
  expect(JSON.stringify(built.document)).not.toContain('\ufdd0');
});

test('report.md escapes the pipe in table cells, so every row keeps its column count', () => {
  const md = built.md;
  const row = md.split('\n').find((l) => l.startsWith('|') && l.includes('行政运行'))!;
  expect(row).toContain('行政运行\\|A&B<C>');
  const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
  const header = md.split('\n').slice(0, md.split('\n').indexOf(row)).reverse().find((l) => /^\| *-/.test(l) || /^\| ---/.test(l))!;
  expect(cells(row)).toBe(cells(header));
});
