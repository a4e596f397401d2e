/**
 * The Word and Excel writers take the report's pagination as plain data
 * (`pagination`, e.g. handed over from another thread after a structured
 * clone): with it they lay nothing out, and they write the same bytes as when
 * they lay the report out themselves.
 */
import * as path from 'path';
import { buildFromFile } from '../src/pipeline';
import * as layoutModule from '../src/layout/pagination';
import { renderDocx, writerPagination } from '../src/render/docx';
import { renderXlsx } from '../src/render/xlsx';

const ROOT = path.join(__dirname, '..');

describe.each([
  ['data.yaml', path.join(ROOT, 'data.yaml')],
  ['second department', path.join(ROOT, 'tests/fixtures/second-department/data.yaml')],
])('%s', (_name, file) => {
  const built = buildFromFile(file);
  const fonts = built.model.output.pdfFonts;

  afterEach(() => jest.restoreAllMocks());

  test.each([
    ['docx', (doc: typeof built.document, o: object) => renderDocx(doc, o)],
    ['xlsx', (doc: typeof built.document, o: object) => renderXlsx(doc, o)],
  ])('%s: byte-identical with and without a given pagination, and no layout when given', async (_fmt, render) => {
    const own = await render(built.document, { fonts });
    const pagination = structuredClone(writerPagination(layoutModule.layoutReport(built.document, fonts)));
    // A copy of the document: no layout of it is memoised anywhere.
    const doc = structuredClone(built.document);
    const spy = jest.spyOn(layoutModule, 'layoutReport');
    const given = await render(doc, { pagination });
    expect(spy).not.toHaveBeenCalled();
    expect(given.length).toBeGreaterThan(10_000);
    expect(Buffer.compare(given, own)).toBe(0);
  });

  test('the pagination carries the 目录 pages and every table fitted', () => {
    const p = writerPagination(layoutModule.layoutReport(built.document, fonts));
    const tables = built.document.parts.flatMap((part) => part.blocks.flatMap((b) => (b.kind === 'table' ? [b.table] : [])));
    for (const t of tables) expect(p.tables.get(t.id)?.rows).toHaveLength(t.body.length);
    expect(p.toc.length).toBeGreaterThan(10);
    expect(p.toc.every((e, i) => i === 0 || e.page >= p.toc[i - 1].page)).toBe(true);
  });
});
