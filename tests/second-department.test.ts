/**
 * "Not one department": a second, different department (a city-level 农业农村局,
 * data in exact 元, a 07 table with data, a budget-only item, growth instead of
 * decline) must build, audit clean and render sensibly — and src/ must not know
 * the sample department.
 *
 * Expected figures are computed here from the fixture's raw YAML text with
 * decimal.js (scalars read as strings, never as floats), independently of src/.
 *
 * The rendering checks use a document composed without the audit gate, so a
 * failing audit and a wrong figure are reported as separate failures.
 */
import * as fs from 'fs';
import * as path from 'path';
import Decimal from 'decimal.js';
import { parse, parseDocument } from 'yaml';
import { AuditError, Built, buildFromFile, buildFromText } from '../src/pipeline';
import { formatLocation, formatProblem, InputError } from '../src/errors';
import { loadModel } from '../src/validate/model';
import { deriveFacts } from '../src/derive/facts';
import { composeDocument } from '../src/compose/document';
import { renderMarkdown } from '../src/render/md';
import { Block, ReportDocument, Table } from '../src/document/types';

const ROOT = path.join(__dirname, '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'second-department', 'data.yaml');

// ───────────── raw fixture, exact arithmetic ─────────────

/** A parsed YAML tree whose scalars are all strings (failsafe schema). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;
/** failsafe schema: every scalar is a string, so no amount ever passes through a float. */
const readRaw = (file: string): Raw => parse(fs.readFileSync(file, 'utf8'), { schema: 'failsafe' }) as Raw;
const raw = readRaw(FIXTURE);
const sample = readRaw(path.join(ROOT, 'data.yaml'));

const D = (v: unknown): Decimal => new Decimal(v === undefined || v === null || v === '' ? 0 : String(v).replace(/,/g, ''));
const sum = (xs: Decimal[]): Decimal => xs.reduce((a, b) => a.plus(b), new Decimal(0));
const rowsOf = (t: string): Array<[string, Record<string, string>]> =>
  Object.entries((raw.tables[t].rows ?? {}) as Record<string, Record<string, string>>);
const col = (t: string, c: string, prefix = ''): Decimal => sum(rowsOf(t).filter(([code]) => code.startsWith(prefix)).map(([, r]) => D(r[c])));
const rowTotal = (r: Record<string, string>, cols: string[]) => sum(cols.map((c) => D(r[c])));

const T02 = ['fiscal', 'superior', 'business', 'operating', 'affiliated', 'other'];
const T03 = ['basic', 'project', 'remit', 'operating', 'subsidy'];
const KINDS = ['general', 'gov_fund', 'state_capital'];

/** 元 → 万元, rounded half-up to 0.01 (the figure a reader sees). */
const wan = (yuan: Decimal): Decimal => yuan.div(10000).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
/** Table style: "2,880.22". */
const grouped = (d: Decimal): string => {
  const [i, f] = d.toFixed(2).split('.');
  return i.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + f;
};
/** Narrative style: "2880.22". */
const plain = (d: Decimal): string => d.toFixed(2);
/** Year-on-year rate as the report computes it: from the shown 万元 figures. */
const rate = (cur: Decimal, prior: Decimal): string =>
  plain(cur.minus(prior).abs().div(prior).mul(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP)) + '%';

const t04 = raw.tables.t04 as unknown as Record<string, Record<string, string>>;
const t01 = raw.tables.t01 as unknown as Record<string, string>;
const exact = {
  income01: sum([...KINDS.map((k) => D(t04.income[k])), ...T02.slice(1).map((c) => col('t02', c))]),
  expenditure01: sum(T03.map((c) => col('t03', c))),
  opening01: D(t01.opening_balance),
  closing01: D(t01.closing_balance),
  nonfiscal01: D(t01.nonfiscal_balance_used),
  surplus01: D(t01.surplus_distribution),
  t05: sum(['basic', 'project'].map((c) => col('t05', c))),
  t05basic: col('t05', 'basic'),
  t06: sum(Object.values(raw.tables.t06.rows as unknown as Record<string, string>).map(D)),
  fund: {
    opening: col('t07', 'opening'),
    income: col('t07', 'income'),
    expense: col('t07', 'basic').plus(col('t07', 'project')),
    closing: col('t07', 'opening').plus(col('t07', 'income')).minus(col('t07', 'basic')).minus(col('t07', 'project')),
  },
};
const grandIncome01 = exact.income01.plus(exact.nonfiscal01).plus(exact.opening01);
const grandExpenditure01 = exact.expenditure01.plus(exact.surplus01).plus(exact.closing01);
const fiscalGrand04 = sum(KINDS.map((k) => D(t04.income[k]).plus(D(t04.opening_balance[k]))));

const department = String(raw.report.department);
const sampleNames = [...new Set([String(sample.report.department), String(sample.report.self_name), '我中心'])];

// ───────────── document helpers ─────────────

function tableOf(doc: ReportDocument, id: string): Table {
  for (const p of doc.parts) for (const b of p.blocks) if (b.kind === 'table' && b.table.id === id) return b.table;
  throw new Error(`table ${id} not in the document`);
}

/** The blocks after the first heading of part `partId` whose text matches, up to the next heading of the same or a higher level. */
function section(doc: ReportDocument, partId: string, match: (text: string) => boolean): { heading: string; blocks: Block[]; text: string } {
  const blocks = doc.parts.find((p) => p.id === partId)!.blocks;
  const i = blocks.findIndex((b) => b.kind === 'heading' && match(b.text));
  if (i < 0) throw new Error(`no heading matching ${match.toString()} in ${partId}`);
  const h = blocks[i] as Extract<Block, { kind: 'heading' }>;
  const out: Block[] = [];
  for (const b of blocks.slice(i + 1)) {
    if (b.kind === 'heading' && b.level <= h.level) break;
    out.push(b);
  }
  const text = out.map((b) => (b.kind === 'paragraph' ? b.sentences.join('') : b.kind === 'heading' ? `\n${b.text}\n` : '')).join('\n');
  return { heading: h.text, blocks: out, text };
}

/** Amount cell in table 01/04 by 行次 (the line-number cell just before it). */
function byLine(t: Table, line: number, offset = 1): string {
  for (const r of t.body) {
    const i = r.cells.findIndex((c) => c.text === String(line));
    if (i >= 0) return r.cells[i + offset].text;
  }
  throw new Error(`line ${line} not found in table ${t.id}`);
}

const AMOUNT = /^\d{1,3}(,\d{3})*\.\d{2}$/;

// ───────────── tests ─────────────

describe('fixture: second department (exact 元 data)', () => {
  test('every audit identity holds exactly in 元 in the fixture itself', () => {
    const problems: string[] = [];
    const eq = (label: string, a: Decimal, b: Decimal) => { if (!a.equals(b)) problems.push(`${label}: ${a.toFixed(2)} ≠ ${b.toFixed(2)}`); };
    const le = (label: string, a: Decimal, b: Decimal) => { if (a.greaterThan(b)) problems.push(`${label}: ${a.toFixed(2)} > ${b.toFixed(2)}`); };
    // 01: 年初 + 收入 − 支出 = 年末; 01 收入 = 02 合计
    eq('01 年末结转和结余', exact.closing01, exact.opening01.plus(exact.income01).plus(exact.nonfiscal01).minus(exact.expenditure01).minus(exact.surplus01));
    eq('01 本年收入合计 = 02 合计', exact.income01, sum(T02.map((c) => col('t02', c))));
    eq('01 总计 收入 = 支出', grandIncome01, grandExpenditure01);
    // 02 fiscal = 04 income
    eq('02 财政拨款收入 = 04 本年收入合计', col('t02', 'fiscal'), sum(KINDS.map((k) => D(t04.income[k]))));
    eq('02 财政拨款收入（政府性基金科目 212）= 04 政府性基金收入', col('t02', 'fiscal', '212'), D(t04.income.gov_fund));
    // 04 per fund kind
    const spent = { general: exact.t05, gov_fund: exact.fund.expense, state_capital: new Decimal(0) } as Record<string, Decimal>;
    for (const k of KINDS) eq(`04 ${k} 年初 + 收入 − 支出 = 年末`, D(t04.closing_balance[k]), D(t04.opening_balance[k]).plus(D(t04.income[k])).minus(spent[k]));
    le('04 年初 ≤ 01 年初', sum(KINDS.map((k) => D(t04.opening_balance[k]))), exact.opening01);
    le('04 年末 ≤ 01 年末', sum(KINDS.map((k) => D(t04.closing_balance[k]))), exact.closing01);
    // 07 ↔ 04 政府性基金
    eq('07 年初合计 = 04 政府性基金年初', exact.fund.opening, D(t04.opening_balance.gov_fund));
    eq('07 本年收入合计 = 04 政府性基金收入', exact.fund.income, D(t04.income.gov_fund));
    eq('07 年末合计 = 04 政府性基金年末', exact.fund.closing, D(t04.closing_balance.gov_fund));
    // 05 ≤ 03 per subject and column; 03 = 05 + 07 + non-fiscal
    const t03 = new Map(rowsOf('t03'));
    for (const [code, r] of rowsOf('t05')) for (const c of ['basic', 'project']) le(`05 ${code} ${c} ≤ 03`, D(r[c]), D(t03.get(code)?.[c]));
    for (const [code, r] of rowsOf('t07')) le(`07 ${code} 支出 ≤ 03`, D(r.basic).plus(D(r.project)), rowTotal(t03.get(code) ?? {}, T03));
    // 05 基本支出 = 06
    eq('05 基本支出 = 06 人员经费 + 公用经费', exact.t05basic, exact.t06);
    // 09 ≥ 06 items
    const t06 = raw.tables.t06.rows as unknown as Record<string, string>;
    const t09 = raw.tables.t09 as unknown as Record<string, Record<string, string>>;
    for (const [k, code] of [['reception', '30217'], ['car_operation', '30231'], ['abroad', '30212']]) le(`06 ${code} ≤ 09 ${k}`, D(t06[code]), D(t09.actual[k]));
    expect(problems).toEqual([]);
  });

  test('is in 元, has no printed keys, no empty 07, an empty 08 with its note, and a budget-only 05 item', () => {
    expect(raw.report.unit).toBe('元');
    const printedPaths: string[] = [];
    const walk = (n: unknown, p: string) => {
      if (n && typeof n === 'object') for (const [k, v] of Object.entries(n)) { if (/printed/.test(k)) printedPaths.push(`${p}.${k}`); walk(v, `${p}.${k}`); }
    };
    walk(raw, '');
    expect(printedPaths).toEqual([]);
    expect(rowsOf('t07').length).toBeGreaterThan(0);
    expect(rowsOf('t08')).toEqual([]);
    expect(String(raw.tables.t08.empty_note)).toMatch(/本表无数据/);
    const budgetOnly = rowsOf('t05').filter(([, r]) => r.budget && D(r.basic).plus(D(r.project)).isZero());
    expect(budgetOnly.map(([c]) => c)).toEqual(['2130109']);
    expect(department).not.toBe(sampleNames[0]);
  });
});

describe('元 data: no printed value is accepted anywhere', () => {
  // Every place a 万元 file may give a printed total; in 元 data all totals are derived, so each must be an InputError.
  const cases: Array<[string, unknown]> = [
    ['tables.t02.printed', { 合计: { total: 10000 } }],
    ['tables.t03.printed', { 合计: { total: 10000 } }],
    ['tables.t04.printed', { income_total: 10000 }],
    ['tables.t05.printed', { 合计: { total: 10000 } }],
    ['tables.t06.printed', { '301': 10000 }],
    ['tables.t07.printed', { 合计: { closing: 10000 } }],
    ['tables.t08.printed', { 合计: { total: 10000 } }],
    ['tables.t09.printed', { actual_total: 10000 }],
    ['explanations.procurement.printed_total', 10000],
    ['explanations.three_public.prior_year_printed_total', 10000],
  ];
  test.each(cases)('%s is rejected', (key, value) => {
    const d = parseDocument(fs.readFileSync(FIXTURE, 'utf8'));
    d.setIn(key.split('.'), value);
    let caught: unknown;
    try {
      buildFromText(String(d), FIXTURE);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).problems.map((p) => p.path)).toContain(key);
  });
});

describe('second department builds and renders', () => {
  let doc: ReportDocument;
  let md: string;

  beforeAll(() => {
    // Compose without the audit gate, so figure checks below run even if an audit fails.
    try {
      const m = loadModel(FIXTURE);
      doc = composeDocument(deriveFacts(m), m.profile);
    } catch (e) {
      if (e instanceof InputError) throw new Error(`InputError:\n${e.problems.map(formatProblem).join('\n')}`);
      throw e;
    }
    md = renderMarkdown(doc);
  });

  test('buildFromFile succeeds with zero audit errors and zero warnings (元 data has no conversion tails)', () => {
    let built: Built | undefined;
    try {
      built = buildFromFile(FIXTURE);
    } catch (e) {
      if (e instanceof InputError) throw new Error(`InputError:\n${e.problems.map(formatProblem).join('\n')}`);
      if (e instanceof AuditError) {
        const lines = e.result.findings.map((f) => `${f.severity} ${f.rule} ${f.message}${f.loc ? ` (${formatLocation(f.loc)})` : ''}`);
        throw new Error(`AuditError:\n${lines.join('\n')}`);
      }
      throw e;
    }
    expect(built.audit.errors.map((f) => `${f.rule} ${f.message}`)).toEqual([]);
    expect(built.audit.warnings.map((f) => `${f.rule} ${f.message}`)).toEqual([]);
    expect(built.model.report.unit).toBe('元');
    expect(built.document.meta.department).toBe(department);
  });

  test('the Markdown names the second department and never the sample department', () => {
    expect(md).toContain(department);
    expect(md).toContain(`部门：${department}`);
    expect(md).toContain(String(raw.report.self_name));
    for (const name of sampleNames) expect(md).not.toContain(name);
    expect(doc.meta.title).toBe(`${department}2023年度部门决算`);
  });

  test('01 totals equal the exact 元 sums converted to 万元 and rounded half-up', () => {
    const t = tableOf(doc, '01');
    const expected: Array<[string, string, string]> = [
      ['27 本年收入合计', byLine(t, 27), grouped(wan(exact.income01))],
      ['29 年初结转和结余', byLine(t, 29), grouped(wan(exact.opening01))],
      ['31 收入总计', byLine(t, 31), grouped(wan(grandIncome01))],
      ['58 本年支出合计', byLine(t, 58), grouped(wan(exact.expenditure01))],
      ['60 年末结转和结余', byLine(t, 60), grouped(wan(exact.closing01))],
      ['62 支出总计', byLine(t, 62), grouped(wan(grandExpenditure01))],
      ['1 一般公共预算财政拨款收入', byLine(t, 1), grouped(wan(D(t04.income.general)))],
      ['2 政府性基金预算财政拨款收入', byLine(t, 2), grouped(wan(D(t04.income.gov_fund)))],
    ];
    // each 类 on the expenditure side: the exact 03 sum of its 项
    const classes = [...new Set(rowsOf('t03').map(([c]) => c.slice(0, 3)))];
    const catalog = Object.keys(readRaw(path.join(ROOT, 'catalog', '2023.yaml')).function_classes);
    for (const cls of classes) {
      const line = 32 + catalog.indexOf(cls);
      expected.push([`${line} 类 ${cls}`, byLine(t, line), grouped(wan(sum(T03.map((c) => col('t03', c, cls)))))]);
    }
    const wrong = expected.filter(([, got, want]) => got !== want).map(([what, got, want]) => `${what}: shown ${got}, exact ${want}`);
    expect(wrong).toEqual([]);
    // the two 总计 of a balanced fixture must agree on the printed form
    expect(byLine(t, 62)).toBe(byLine(t, 31));
  });

  test('07 has body rows with the government-fund 科目 and non-blank amounts, exact totals, and no 说明 note', () => {
    const t = tableOf(doc, '07');
    const codes = rowsOf('t07').map(([c]) => c);
    for (const code of codes) {
      const row = t.body.find((r) => r.cells[0].text === code);
      expect(row).toBeDefined();
      const amounts = row!.cells.slice(2);
      expect(amounts.length).toBe(6);
      for (const c of amounts) expect(c.text).toMatch(AMOUNT);
      const r = Object.fromEntries(rowsOf('t07'))[code];
      expect(amounts[1].text).toBe(grouped(wan(D(r.income))));
      expect(amounts[4].text).toBe(grouped(wan(D(r.project))));
    }
    expect(t.body.some((r) => r.cells[0].text === '212')).toBe(true);
    expect(t.body.some((r) => r.cells[0].text === '21208')).toBe(true);
    expect(t.notes.some((n) => n.startsWith('说明'))).toBe(false);
    const total = t.body.find((r) => r.role === 'total')!.cells.slice(1).map((c) => c.text);
    expect(total).toEqual([
      grouped(wan(exact.fund.opening)), grouped(wan(exact.fund.income)), grouped(wan(exact.fund.expense)),
      grouped(wan(col('t07', 'basic'))), grouped(wan(col('t07', 'project'))), grouped(wan(exact.fund.closing)),
    ]);
    // 07 年末合计 is the same figure as 04 政府性基金 年末 (line 60, 政府性基金 column)
    expect(total[5]).toBe(byLine(tableOf(doc, '04'), 60, 3));
  });

  test('08 is empty with its 说明', () => {
    const t = tableOf(doc, '08');
    expect(t.body).toHaveLength(1);
    expect(t.body[0].cells.slice(1).every((c) => c.text === '')).toBe(true);
    expect(t.notes).toContain(`说明：${String(raw.tables.t08.empty_note).replace(/。$/, '')}。`);
  });

  test('第三部分 八 gives the government-fund figures instead of 无政府性基金收支', () => {
    const s = section(doc, 'part3', (h) => h.startsWith('八、'));
    expect(s.text).not.toContain('无政府性基金收支');
    expect(s.text).toContain(
      `2023年度政府性基金预算财政拨款年初结转和结余${plain(wan(exact.fund.opening))}万元，本年收入${plain(wan(exact.fund.income))}万元，` +
      `本年支出${plain(wan(exact.fund.expense))}万元，年末结转和结余${plain(wan(exact.fund.closing))}万元。`,
    );
  });

  test('the budget-only item appears in 第三部分（三） with 完成年初预算的0.00% and its under_reason', () => {
    const r = Object.fromEntries(rowsOf('t05'))['2130109'];
    const s = section(doc, 'part3', (h) => h.includes('农林水（类）农业农村（款）农产品质量安全（项）'));
    expect(s.text).toBe(
      `年初预算为${plain(wan(D(r.budget)))}万元，支出决算为0.00万元，完成年初预算的0.00%，决算数小于年初预算数的主要原因是：${r.under_reason}。`,
    );
    // it is inside （三）, and it has its glossary entry in 第四部分
    const three = section(doc, 'part3', (h) => h.startsWith('（三）'));
    expect(three.text).toContain(s.heading);
    const glossary = doc.parts.find((p) => p.id === 'part4')!.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.sentences.join('')] : []));
    expect(glossary.some((g) => g.includes(`农林水（类）农业农村（款）农产品质量安全（项）：${String(raw.glossary.items['2130109']).replace(/。$/, '')}`))).toBe(true);
  });

  test('one glossary entry per 项 explained in 第三部分（三）', () => {
    const three = section(doc, 'part3', (h) => h.startsWith('（三）'));
    const items = three.blocks.flatMap((b) => (b.kind === 'heading' ? [b.text.replace(/^\d+．/, '')] : []));
    expect(items).toHaveLength(Object.keys(raw.glossary.items).length);
    const glossary = doc.parts.find((p) => p.id === 'part4')!.blocks.flatMap((b) => (b.kind === 'paragraph' ? [b.sentences.join('')] : []));
    for (const name of items) expect(glossary.filter((g) => g.includes(`${name}：`))).toHaveLength(1);
  });

  test('year-on-year sentences say 增加/增长 with the exact amounts and rates', () => {
    const prior = raw.explanations.prior_year as unknown as Record<string, string>;
    const yoy = raw.explanations as unknown as Record<string, Record<string, string>>;
    const cases: Array<[string, (h: string) => boolean, Decimal, Decimal, string]> = [
      ['一', (h) => h.startsWith('一、'), wan(grandIncome01), wan(D(prior.total)), yoy.total_yoy.increase_reason],
      ['四', (h) => h.startsWith('四、'), wan(fiscalGrand04), wan(D(prior.fiscal_total)), yoy.fiscal_total_yoy.increase_reason],
      ['五（一）', (h) => h.startsWith('（一）一般公共预算'), wan(exact.t05), wan(D(prior.general_spending)), yoy.general_spending_yoy.increase_reason],
    ];
    for (const [, match, cur, pri, reason] of cases) {
      const s = section(doc, 'part3', match);
      expect(cur.greaterThan(pri)).toBe(true);
      expect(s.text).toContain(`与上年相比，增加${plain(cur.minus(pri))}万元，增长${rate(cur, pri)}，主要原因是${reason}`);
      expect(s.text).not.toMatch(/减少|下降/);
    }
  });

  test('三公: every item grows or stays equal, and the text says so', () => {
    const tp = raw.explanations.three_public as unknown as Record<string, Record<string, string>>;
    const actual = raw.tables.t09.actual as unknown as Record<string, string>;
    const s = section(doc, 'part3', (h) => h.startsWith('七、'));
    expect(s.text).not.toMatch(/减少|下降/);
    const total = (o: Record<string, string>) => sum(['abroad', 'car_purchase', 'car_operation', 'reception'].map((k) => wan(D(o[k]))));
    const cur = total(actual);
    const pri = total(tp.prior_year);
    expect(s.text).toContain(`与上年相比增加${plain(cur.minus(pri))}万元，增长${rate(cur, pri)}，增长的主要原因是${tp.total.increase_reason}`);
    const labels: Record<string, string> = { abroad: '因公出国（境）费', car_purchase: '公务用车购置费', car_operation: '公务用车运行维护费', reception: '公务接待费' };
    for (const k of Object.keys(labels)) {
      const a = wan(D(actual[k]));
      const p = wan(D(tp.prior_year[k]));
      expect(a.greaterThanOrEqualTo(p)).toBe(true);
      const sentence = s.text.split('\n').find((l) => l.startsWith(`${labels[k]}支出预算为`));
      expect(sentence).toBeDefined();
      if (a.equals(p)) expect(sentence).toMatch(/与上年(一致|持平)/);
      else expect(sentence).toContain(`与上年相比增加${plain(a.minus(p))}万元`);
    }
  });

  test('src/ does not know the sample department (no name, no “我中心” in any .ts file)', () => {
    const hits: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.ts')) {
          fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            for (const name of sampleNames) if (line.includes(name)) hits.push(`${path.relative(ROOT, p)}:${i + 1}: ${name}`);
          });
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    expect(hits).toEqual([]);
  });
});
