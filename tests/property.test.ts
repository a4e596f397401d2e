/**
 * Property tests (fast-check): amounts parse and print back exactly; half-up
 * rounding at every .xx5 boundary; shares and rates with zero and tiny
 * denominators; and random valid departments — random function-classification
 * codes from the catalog, amounts scaled by a random factor, empty and
 * non-empty 07/08 tables — always build, audit without errors, and their
 * md, xlsx and pdf agree on every number of the document model.
 *
 * Departments are generated from a base data file (`BASES`); a profile's data
 * file (e.g. a Shanghai sample) is one more entry there.
 */
import Decimal from 'decimal.js';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import ExcelJS from 'exceljs';
import { isScalar, parseDocument, visit, Scalar, Pair } from 'yaml';
import { parseSource } from '../src/source/load';
import { Ctx, money } from '../src/validate/schema';
import { grouped, plain, pct, ratio, shown } from '../src/format/number';
import { buildFromText, Built } from '../src/pipeline';
import { renderMarkdown } from '../src/render/md';
import { renderXlsx } from '../src/render/xlsx';
import { renderPdf } from '../src/render/pdf';
import { ROOT } from './helpers/build';
import { hasTool, pdftotext } from './helpers/pdf';
import { address, bodyGrid, formulaCells, labelledTables } from './helpers/xlsx-expect';

const SEED = 20241201;
const cfg = (numRuns: number) => ({ numRuns, seed: SEED });

// ───── amounts ─────

function parseAmount(text: string, decimals = 2): Decimal | string {
  const src = parseSource(`x: ${text}\n`, 'p.yaml');
  const ctx: Ctx = { src, problems: [], locs: new Map() };
  const node = (src.doc.contents as unknown as { items: Pair[] }).items[0].value;
  const d = money(decimals, '元')(node, 'x', ctx);
  return d ?? ctx.problems.map((p) => p.message).join('; ');
}

const cents = fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 0, max: 99 }))
  .map(([i, c]) => new Decimal(`${i}.${String(c).padStart(2, '0')}`));

test('an amount printed plain or grouped parses back to the same Decimal (plain, quoted, in { })', () => {
  fc.assert(fc.property(cents, (d) => {
    for (const t of [plain(d), `"${grouped(d)}"`, grouped(d).includes(',') ? `"${grouped(d)}"` : grouped(d)]) {
      const back = parseAmount(t);
      expect(back instanceof Decimal ? back.toFixed(2) : back).toBe(d.toFixed(2));
    }
    const flow = parseSource(`x: { a: ${plain(d)} }\n`, 'p.yaml');
    expect(flow.doc.errors).toEqual([]);
  }), cfg(300));
});

test('grouped() puts a comma every three digits and nothing else changes', () => {
  fc.assert(fc.property(cents, (d) => {
    const g = grouped(d);
    expect(g).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    expect(g.replace(/,/g, '')).toBe(plain(d));
  }), cfg(300));
});

test('more decimals than allowed is an error, never a silent rounding', () => {
  fc.assert(fc.property(cents, fc.integer({ min: 1, max: 9 }), (d, extra) => {
    const r = parseAmount(`${plain(d)}${extra}`);
    expect(typeof r).toBe('string');
    expect(r as string).toContain('最多两位小数');
  }), cfg(100));
});

test('half-up rounding at every .xx5 boundary: up from exactly .xx5, down just below, symmetric for negatives', () => {
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 1, max: 20 }), (i, c, eps) => {
    const base = new Decimal(`${i}.${String(c).padStart(2, '0')}`);
    const half = base.plus('0.005');
    const up = base.plus('0.01');
    expect(plain(half)).toBe(up.toFixed(2));
    expect(plain(half.minus(new Decimal(10).pow(-eps - 3)))).toBe(base.toFixed(2));
    expect(plain(half.neg())).toBe(up.isZero() ? '0.00' : up.neg().toFixed(2));
    expect(shown(half).equals(up)).toBe(true);
  }), cfg(500));
});

test('shares and rates: a zero or tiny (shows as 0.00) denominator gives no rate; otherwise a finite rate of the shown figures', () => {
  const amount = fc.oneof(cents, fc.constantFrom(new Decimal(0), new Decimal('0.004'), new Decimal('0.005'), new Decimal('0.0049999')));
  fc.assert(fc.property(amount, amount, (part, whole) => {
    const r = ratio(part, whole);
    if (shown(whole).isZero()) {
      expect(r).toBeUndefined();
    } else {
      expect(r).toBeDefined();
      expect(r!.isFinite()).toBe(true);
      expect(r!.equals(shown(part).div(shown(whole)).mul(100))).toBe(true);
      expect(pct(r!)).toMatch(/^\d+\.\d{2}%$/);
    }
  }), cfg(500));
});

// ───── random departments ─────

interface Base {
  name: string;
  file: string;
  /** Amounts can be scaled (data in 元: no printed tails to keep). */
  scalable: boolean;
  /** Function classes may be drawn from the whole catalog (no printed class totals to keep). */
  anyClass: boolean;
}
export const BASES: Base[] = [
  { name: '湖南 样本（万元，07/08表为空）', file: path.join(ROOT, 'data.yaml'), scalable: false, anyClass: false },
  { name: '第二个部门（元，07表有数）', file: path.join(ROOT, 'tests', 'fixtures', 'second-department', 'data.yaml'), scalable: true, anyClass: true },
  { name: '上海格式 局（本级+2个下属单位，九张表都有数）', file: path.join(ROOT, 'tests', 'fixtures', 'shanghai-bureau', 'data.yaml'), scalable: false, anyClass: false },
  { name: '上海格式 中心（基金、国资、三公为空）', file: path.join(ROOT, 'tests', 'fixtures', 'shanghai-center', 'data.yaml'), scalable: false, anyClass: false },
];

const CATALOG = fs.readFileSync(path.join(ROOT, 'catalog', '2023.yaml'), 'utf8');
const CLASSES = [...CATALOG.matchAll(/^ {2}"(2\d\d)":/gm)].map((m) => m[1]);
/** Keys whose numbers are counts, years or percentages, not amounts. */
const NOT_AMOUNTS = new Set(['year', 'budget_variance_threshold', 'yoy_flat_threshold', 'people', 'groups', 'guests', 'cars_purchased',
  'fleet_size', 'equipment_over_1m', 'authorized', 'in_service', 'retired_cadres', 'retirees', 'count', 'score']);

interface Variant {
  base: number;
  factor: number;
  classes: string[];
  digits: number[];
}

/** The base file with every 款/项 code moved consistently to random codes and (in 元) every amount × factor. */
export function department(v: Variant): string {
  const b = BASES[v.base];
  let text = fs.readFileSync(b.file, 'utf8');
  const kuan = [...new Set([...text.matchAll(/"(2\d{4})(\d{2})?"/g)].map((m) => m[1]))].sort();
  const map = new Map<string, string>();
  const used = new Set<string>();
  kuan.forEach((k, i) => {
    const cls = b.anyClass ? v.classes[i % v.classes.length] : k.slice(0, 3);
    let d = v.digits[i % v.digits.length];
    while (used.has(cls + String(d).padStart(2, '0'))) d = (d % 99) + 1;
    const nk = cls + String(d).padStart(2, '0');
    used.add(nk);
    map.set(k, nk);
  });
  text = text.replace(/"(2\d{4})(\d{2})?"/g, (_m, k: string, x: string | undefined) => `"${map.get(k)}${x ?? ''}"`);
  if (!b.scalable || v.factor === 1) return text;
  const doc = parseDocument(text);
  visit(doc, {
    Pair(_k, pair: Pair) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'vehicles') return visit.SKIP; // counts of cars
      const val = pair.value;
      if (isScalar(val) && typeof val.value === 'number' && !NOT_AMOUNTS.has(key)) {
        (val as Scalar).value = new Decimal((val as Scalar).source ?? String(val.value)).mul(v.factor).toFixed(2);
        (val as Scalar).type = Scalar.PLAIN;
      }
      return undefined;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

const variant = fc.record({
  base: fc.integer({ min: 0, max: BASES.length - 1 }),
  factor: fc.integer({ min: 1, max: 500 }),
  classes: fc.array(fc.constantFrom(...CLASSES), { minLength: 8, maxLength: 8 }),
  digits: fc.array(fc.integer({ min: 1, max: 99 }), { minLength: 8, maxLength: 8 }),
});

function amountsOf(b: Built): string[] {
  const out: string[] = [];
  for (const p of b.document.parts) for (const bl of p.blocks) if (bl.kind === 'table') {
    for (const r of bl.table.body) for (const c of r.cells) if (c.amount && c.text !== '') out.push(c.text);
  }
  return out;
}

test('a random valid department always builds, audits without errors, and its Markdown shows every table amount', () => {
  fc.assert(fc.property(variant, (v) => {
    const b = buildFromText(department(v), 'random.yaml');
    expect(b.audit.errors).toEqual([]);
    if (BASES[v.base].scalable) expect(b.audit.findings).toEqual([]);
    const md = renderMarkdown(b.document);
    const mdCells = md.split('\n').filter((l) => l.startsWith('|')).flatMap((l) => l.split('|').map((c) => c.trim()));
    const counts = new Map<string, number>();
    for (const c of mdCells) counts.set(c, (counts.get(c) ?? 0) + 1);
    for (const a of amountsOf(b)) {
      const n = counts.get(a) ?? 0;
      expect([a, n > 0]).toEqual([a, true]);
      counts.set(a, n - 1);
    }
  }), cfg(12));
}, 300000);

const withPdf = hasTool('pdftotext') ? test : test.skip;
withPdf('random departments: md, xlsx cells and pdf text agree on every number of the model', async () => {
  await fc.assert(fc.asyncProperty(variant, async (v) => {
    const b = buildFromText(department(v), 'random.yaml');
    const model = amountsOf(b);
    // xlsx: every amount cell of every table sheet, at its position, shows the model's figure (SUM formulas evaluated)
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(b.document)) as unknown as ArrayBuffer);
    const tables = labelledTables(b.document);
    expect(wb.worksheets).toHaveLength(tables.length);
    let compared = 0;
    tables.forEach((t, i) => {
      const ws = wb.worksheets[i];
      const valueAt = (addr: string): Decimal => {
        const val = ws.getCell(addr).value as unknown;
        if (typeof val === 'number') return new Decimal(val);
        const f = (val as { formula?: string } | null)?.formula;
        if (f) return formulaCells(f).reduce((a, x) => a.plus(valueAt(x)), new Decimal(0));
        return new Decimal(0);
      };
      for (const g of bodyGrid(t)) {
        if (!g.cell.amount || !/^-?\d{1,3}(,\d{3})*\.\d{2}$/.test(g.cell.text)) continue;
        expect([t.label, address(g.row, g.col), grouped(valueAt(address(g.row, g.col)))]).toEqual([t.label, address(g.row, g.col), g.cell.text]);
        compared++;
      }
    });
    expect(compared).toBeGreaterThan(100);
    // pdf: every amount of the model is in the text
    const text = pdftotext(await renderPdf(b.document), 'raw').replace(/\s+/g, ' ');
    for (const a of new Set(model)) expect([a, text.includes(a)]).toEqual([a, true]);
    // md: the same amounts
    const md = renderMarkdown(b.document);
    for (const a of new Set(model)) expect([a, md.includes(a)]).toEqual([a, true]);
  }), { ...cfg(3), examples: BASES.map((_, base) => [{ base, factor: base === 1 ? 37 : 1, classes: ['229', '208', '213', '201', '212', '221', '210', '205'], digits: [99, 1, 50, 2, 3, 4, 5, 6] }]) });
}, 600000);

test('the generator really moves codes and scales amounts', () => {
  const v = { base: 1, factor: 7, classes: ['229', '229', '229', '229', '229', '229', '229', '229'], digits: [11, 12, 13, 14, 15, 16, 17, 18] };
  const b = buildFromText(department(v), 'random.yaml');
  const base = buildFromText(fs.readFileSync(BASES[1].file, 'utf8'), 'base.yaml');
  expect(b.model.t05.rows.every((r) => r.code.startsWith('229'))).toBe(true);
  const t = (x: Built) => x.model.t05.rows.reduce((a, r) => a.plus(r.amounts.basic).plus(r.amounts.project), new Decimal(0));
  expect(t(b).equals(t(base).mul(7))).toBe(true);
});
