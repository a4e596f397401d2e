/**
 * The Shanghai 2024 format (profiles/shanghai) on two made-up departments:
 * tests/fixtures/shanghai-bureau (本级 + two 下属单位, data in all nine tables
 * incl. 政府性基金 and 国有资本经营) and tests/fixtures/shanghai-center (one unit,
 * no 基金/国资/三公/机关运行经费).
 *
 * Both build through the CLI into md, docx, xlsx and pdf. The template's headings
 * and table titles (tests/fixtures/shanghai-template-outline.ts) are found in
 * order in report.md, and each sentence pattern of the template is found with its
 * figures, which are recomputed here from the fixture's raw YAML text with
 * decimal.js (every scalar read as a string), independently of src/.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { parse } from 'yaml';
import { GLOSSARY_TERMS, HEADINGS, SENTENCES, TABLES, TOC, VEHICLE_CATEGORIES } from './fixtures/shanghai-template-outline';
import { buildFromFile } from '../src/pipeline';
import { renderMarkdown } from '../src/render/md';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const FIXTURES = { bureau: path.join(__dirname, 'fixtures', 'shanghai-bureau', 'data.yaml'), center: path.join(__dirname, 'fixtures', 'shanghai-center', 'data.yaml') };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;
const readRaw = (file: string): Raw => parse(fs.readFileSync(file, 'utf8'), { schema: 'failsafe' }) as Raw;
const D = (v: unknown): Decimal => new Decimal(v === undefined || v === null || v === '' ? 0 : String(v).replace(/,/g, ''));
const sum = (xs: Decimal[]): Decimal => xs.reduce((a, b) => a.plus(b), new Decimal(0));
const r2 = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const plain = (d: Decimal): string => r2(d).toFixed(2);
const pct = (part: Decimal, whole: Decimal): string => plain(r2(part).div(r2(whole)).mul(100)) + '%';
const catalog = readRaw(path.join(ROOT, 'profiles', 'shanghai', 'catalog.yaml'));

/** Every figure and wording the template's sentences need, recomputed from the raw fixture. */
function expectations(raw: Raw): Record<string, string[]> {
  const dept: string = raw.report.department;
  const year = Number(raw.report.year);
  const prior = year - 1;
  const t = raw.tables;
  const ex = raw.explanations;
  const rows = (k: string): Array<[string, Record<string, string>]> => Object.entries((t[k].rows ?? {}) as Record<string, Record<string, string>>);
  const col = (k: string, c: string) => sum(rows(k).map(([, r]) => D(r[c])));
  const className = (code: string): string => catalog.function_classes[code.slice(0, 3)];
  const fullName = (code: string) => `${className(code)}（类）${raw.subjects[code.slice(0, 5)]}（款）${raw.subjects[code]}（项）`;
  const out: Record<string, string[]> = {};
  const yoy = (what: string, cur: Decimal, pri: Decimal, reasons: Raw): string => {
    const diff = r2(cur).minus(r2(pri));
    if (diff.isZero()) return `与${prior}年度相比，${what}持平。`;
    const up = diff.isPositive();
    return `与${prior}年度相比，${what}${up ? '增加' : '减少'}${plain(diff.abs())}万元，${up ? '增长' : '下降'}${pct(diff.abs(), pri)}。主要原因：${reasons[up ? 'increase_reason' : 'decrease_reason']}。`;
  };
  const listParts = (parts: Array<[string, Decimal]>, whole: Decimal) =>
    parts.filter(([, v]) => !r2(v).isZero()).map(([l, v]) => `${l}${plain(v)}万元，占${pct(v, whole)}`).join('；');

  // 单位构成
  if (raw.overview.units.length > 1) out.units = [`从预算单位构成看，${dept}部门决算包括：${dept}本级决算、下属行政事业单位决算。`, `纳入${dept}${year}年度部门决算编制范围的单位包括：`];
  else out.units = [`${dept}内设机构${raw.overview.internal_bodies.length}个，包括：${raw.overview.internal_bodies.join('、')}。`];

  // 一、二、三、四
  const T02 = ['fiscal', 'superior', 'business', 'operating', 'affiliated', 'other'];
  const T03 = ['basic', 'project', 'remit', 'operating', 'subsidy'];
  const income = sum(T02.map((c) => col('t02', c)));
  const spending = sum(T03.map((c) => col('t03', c)));
  const grand = income.plus(D(t.t01.opening_balance)).plus(D(t.t01.nonfiscal_balance_used));
  out.total = [`${dept}${year}年度收入支出总计${plain(grand)}万元。${yoy('收入支出总计', grand, D(ex.prior_year.total), ex.total_yoy ?? {})}`];
  out.income = [`本年收入合计${plain(income)}万元，其中：${listParts([['财政拨款收入', col('t02', 'fiscal')], ['上级补助收入', col('t02', 'superior')], ['事业收入', col('t02', 'business')], ['经营收入', col('t02', 'operating')], ['附属单位上缴收入', col('t02', 'affiliated')], ['其他收入', col('t02', 'other')]], income)}。`];
  out.expense = [`本年支出合计${plain(spending)}万元，其中：${listParts([['基本支出', col('t03', 'basic')], ['项目支出', col('t03', 'project')], ['上缴上级支出', col('t03', 'remit')], ['经营支出', col('t03', 'operating')], ['对附属单位补助支出', col('t03', 'subsidy')]], spending)}。`];
  const kinds = ['general', 'gov_fund', 'state_capital'];
  const fiscalGrand = sum(kinds.map((k) => D(t.t04.income[k]).plus(D(t.t04.opening_balance[k]))));
  out.fiscal = [`${dept}${year}年度财政拨款收入支出总计${plain(fiscalGrand)}万元。${yoy('财政拨款收入支出总计', fiscalGrand, D(ex.prior_year.fiscal_total), ex.fiscal_total_yoy ?? {})}`];

  // 五
  const g = rows('t05').map(([code, r]) => ({ code, r, actual: D(r.basic).plus(D(r.project)), budget: D(r.budget) }));
  const general = sum(g.map((x) => x.actual));
  out['general-total'] = [`一般公共预算财政拨款支出${plain(general)}万元，占本年支出合计的${pct(general, spending)}。${yoy('一般公共预算财政拨款支出', general, D(ex.prior_year.general_spending), ex.general_spending_yoy ?? {})}`];
  const classes = [...new Set(g.map((x) => x.code.slice(0, 3)))].sort();
  out['general-structure'] = [`一般公共预算财政拨款支出${plain(general)}万元，主要用于以下方面：${classes.map((c) => {
    const v = sum(g.filter((x) => x.code.startsWith(c)).map((x) => x.actual));
    return `${catalog.function_classes[c]}（类）${plain(v)}万元，占${pct(v, general)}`;
  }).join('；')}。`];
  const budget = sum(g.map((x) => x.budget));
  const overall = general.greaterThan(budget) ? `决算数大于预算数的主要原因：${ex.general_budget.over_reason}。` : general.lessThan(budget) ? `决算数小于预算数的主要原因：${ex.general_budget.under_reason}。` : '决算数与预算数持平。';
  out['general-budget'] = [`一般公共预算财政拨款支出年初预算为${plain(budget)}万元，支出决算为${plain(general)}万元，完成年初预算的${pct(general, budget)}。${overall}其中：`];
  const item = (i: number, code: string, r: Record<string, string>, actual: Decimal) => {
    const b = D(r.budget);
    const verdict = actual.equals(b) ? '决算数与预算数持平。' : actual.greaterThan(b) ? `决算数大于预算数的主要原因：${r.over_reason}。` : `决算数小于预算数的主要原因：${r.under_reason}。`;
    return `${i + 1}、${fullName(code)}。主要用于：${r.purpose}。年初预算为${plain(b)}万元，支出决算为${plain(actual)}万元。${verdict}`;
  };
  out['general-item'] = [...g].sort((a, b) => a.code.localeCompare(b.code)).map((x, i) => item(i, x.code, x.r, x.actual));

  // 六
  const econ: Array<{ code: string; group: string; items: Record<string, string> }> = catalog.economic;
  const t06 = t.t06.rows as Record<string, string>;
  const groupSum = (grp: string) => sum(econ.filter((c) => c.group === grp).flatMap((c) => Object.keys(c.items).map((k) => D(t06[k]))));
  const groupItems = (grp: string) => econ.filter((c) => c.group === grp).flatMap((c) => Object.entries(c.items).filter(([k]) => !D(t06[k]).isZero()).map(([, n]) => n));
  out.basic = [`一般公共预算财政拨款基本支出${plain(groupSum('personnel').plus(groupSum('public')))}万元。其中：人员经费${plain(groupSum('personnel'))}万元，主要包括：${groupItems('personnel').join('、')}；公用经费${plain(groupSum('public'))}万元，主要包括：${groupItems('public').join('、')}。`];

  // 七 三公
  const b9 = t.t09.budget;
  const a9 = t.t09.actual;
  const p9 = ex.three_public.prior_year;
  const trio = (s: Raw) => ({ abroad: D(s.abroad), cars: D(s.car_purchase).plus(D(s.car_operation)), reception: D(s.reception) });
  const [B, A, P] = [trio(b9), trio(a9), trio(p9)];
  const tot = (x: { abroad: Decimal; cars: Decimal; reception: Decimal }) => x.abroad.plus(x.cars).plus(x.reception);
  const tp = ex.three_public;
  if (tot(A).isZero() && tot(B).isZero()) out['tp-none'] = [`${dept}${year}年度无“三公”经费财政拨款支出。`];
  else {
    const word = (a: Decimal, b: Decimal) => (a.greaterThan(b) ? '大于' : '小于');
    out['tp-budget'] = [`“三公”经费财政拨款支出年初预算为${plain(tot(B))}万元，支出决算为${plain(tot(A))}万元，完成预算的${pct(tot(A), tot(B))}，其中：因公出国（境）费决算为${plain(A.abroad)}万元，完成预算的${pct(A.abroad, B.abroad)}；公务用车购置及运行维护费支出决算为${plain(A.cars)}万元，完成预算的${pct(A.cars, B.cars)}；公务接待费支出决算为${plain(A.reception)}万元，完成预算的${pct(A.reception, B.reception)}。${year}年度“三公”经费支出决算数${word(tot(A), tot(B))}预算数的主要原因：${tp.total[tot(A).greaterThan(tot(B)) ? 'over_reason' : 'under_reason'].trim()}。`];
    const ch = (label: string, a: Decimal, p: Decimal) => {
      const d = a.minus(p);
      return `${label}支出决算${d.isPositive() ? '增加' : '减少'}${plain(d.abs())}万元，${d.isPositive() ? '增长' : '下降'}${pct(d.abs(), p)}`;
    };
    const why = (label: string, a: Decimal, p: Decimal, r: Raw) => `${label}支出${a.greaterThan(p) ? '增加' : '减少'}的主要原因是${r[a.greaterThan(p) ? 'increase_reason' : 'decrease_reason']}。`;
    const dT = tot(A).minus(tot(P));
    out['tp-yoy'] = [`${year}年度“三公”经费财政拨款支出决算数比${prior}年度${dT.isPositive() ? '增加' : '减少'}${plain(dT.abs())}万元，${dT.isPositive() ? '增长' : '下降'}${pct(dT.abs(), tot(P))}，其中：${ch('因公出国（境）费', A.abroad, P.abroad)}；${ch('公务用车购置及运行维护费', A.cars, P.cars)}；${ch('公务接待费', A.reception, P.reception)}。${why('因公出国（境）费', A.abroad, P.abroad, tp.abroad)}${why('公务用车购置及运行维护费', A.cars, P.cars, tp.cars)}${why('公务接待费', A.reception, P.reception, tp.reception)}`];
    out['tp-shares'] = [`“三公”经费财政拨款支出决算中，因公出国（境）费支出决算${plain(A.abroad)}万元，占${pct(A.abroad, tot(A))}；公务用车购置及运行维护费支出决算${plain(A.cars)}万元，占${pct(A.cars, tot(A))}；公务接待费支出决算${plain(A.reception)}万元，占${pct(A.reception, tot(A))}。具体情况如下：`];
    out['tp-abroad'] = [`1、因公出国（境）费支出${plain(A.abroad)}万元。全年安排因公出国（境）团组${tp.trips.groups}个、累计${tp.trips.people}人次。开支内容包括：${tp.abroad_description}。`];
    out['tp-cars'] = [
      `2、公务用车购置及运行维护费支出${plain(A.cars)}万元。其中：公务用车购置支出为${plain(D(a9.car_purchase))}万元。主要用于${tp.car_purchase_description}，购置公务用车${tp.cars_purchased}辆。`,
      `公务用车运行维护支出${plain(D(a9.car_operation))}万元。主要用于${tp.car_operation_description}。${year}年，${dept}所属各预算单位开支财政拨款的公务用车保有量为${tp.fleet_size}辆。`,
    ];
    const f = tp.receptions.foreign;
    out['tp-reception'] = [`3、公务接待费支出${plain(A.reception)}万元。其中：国内公务接待支出${plain(A.reception)}万元（含外宾接待支出${plain(D(f.amount))}万元）。主要用于${tp.receptions.description}，共接待${tp.receptions.groups}批次、${tp.receptions.guests}人次，其中：接待外宾${f.groups}批次、${f.guests}人次。`];
  }

  // 八、九
  const fund = (key: string, what: string, id: string) => {
    const rs = rows(key);
    if (!rs.length) { out[`${id}-none`] = [`${dept}${year}年度无${what}财政拨款收入和支出。`]; return; }
    const inc = col(key, 'income');
    const exp = sum(rs.map(([, r]) => D(r.basic).plus(D(r.project))));
    out[id] = [`${what}财政拨款收入${plain(inc)}万元，支出${plain(exp)}万元，支出具体情况如下：`,
      ...[...rs].sort(([a], [b]) => a.localeCompare(b)).map(([code, r], i) => item(i, code, r, D(r.basic).plus(D(r.project))))];
  };
  fund('t07', '政府性基金预算', 'fund');
  fund('t08', '国有资本经营预算', 'capital');

  // 十 绩效
  const pf = ex.performance;
  const se = pf.self_evaluation;
  const rt = se.ratings;
  const projects = ['excellent', 'good', 'pass', 'fail'].reduce((a, k) => a + Number(rt[k]), 0);
  out.performance = [`${dept}${year}年度预算绩效管理工作开展情况如下：本部门建立了如下预算绩效管理制度：${pf.systems.join('、')}`,
    `编报绩效目标的${year}年度项目${pf.goals.projects}个，涉及预算金额${plain(D(pf.goals.amount))}万元；`,
    `绩效自评的${year}年度项目${projects}个，涉及预算金额${plain(D(se.amount))}万元，平均得分${se.average_score}分（其中，绩效评级为“优”的项目${rt.excellent}个；绩效评级为“良”的项目${rt.good}个；绩效评级为“合格”的项目${rt.pass}个；绩效评级为“不合格”的项目${rt.fail}个。绩效自评中共发现问题${Number(se.problems.fixed) + Number(se.problems.fixing)}个，已经完成整改的${se.problems.fixed}个，正在整改的${se.problems.fixing}个）。`];
  if (pf.monitoring) out.performance.push(`绩效跟踪评价的${year}年度项目${pf.monitoring.projects}个，涉及预算金额${plain(D(pf.monitoring.amount))}万元；`);

  // 十一
  const ao = ex.admin_operating;
  if (D(ao.amount).isZero()) out['admin-none'] = [`${dept}${year}年度无机关运行经费支出。`];
  else {
    const d = D(ao.amount).minus(D(ao.prior_year));
    out.admin = [`机关运行经费支出${plain(D(ao.amount))}万元，比${prior}年度${d.isPositive() ? '增加' : '减少'}${plain(d.abs())}万元，${d.isPositive() ? '增长' : '下降'}${pct(d.abs(), D(ao.prior_year))}。主要原因是${ao[d.isPositive() ? 'increase_reason' : 'decrease_reason']}。`];
  }
  const pr = ex.procurement;
  out.procurement = [`${dept}${year}年度政府采购金额（以合同签订为准）为${plain(D(pr.goods).plus(D(pr.works)).plus(D(pr.services)))}万元，其中：货物采购金额${plain(D(pr.goods))}万元、工程采购金额${plain(D(pr.works))}万元、服务采购金额${plain(D(pr.services))}万元。`];
  out['procurement-sme'] = [`${year}年度本部门面向中小企业预留政府采购项目预算金额${plain(D(pr.reserved.sme))}万元，面向小微企业预留政府采购项目预算金额${plain(D(pr.reserved.small_micro))}万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，采购金额${plain(D(pr.awarded.sme_reserved))}万元；在面向小微企业预留政府采购项目中，由小微企业供应商中标或成交的，采购金额${plain(D(pr.awarded.small_micro_reserved))}万元；在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额${plain(D(pr.awarded.other_sme))}万元。`];
  const veh = ex.assets.vehicles as Record<string, string>;
  const vTotal = Object.values(veh).reduce((a, n) => a + Number(n), 0);
  out.assets = [`截至${year}年12月31日，${dept}共有车辆${vTotal}辆${vTotal ? `，其中：${VEHICLE_CATEGORIES.map((c) => `${c}${veh[c]}辆`).join('、')}` : ''}。单价100万元（含）以上设备（不含车辆）${ex.assets.equipment_over_1m}台（套）。`];
  return out;
}

/** report.md without tables, with its sentences run together (one sentence per line in the file). */
const prose = (md: string) => md.split('\n').filter((l) => !l.startsWith('|') && !l.startsWith('#')).join('');
const squash = (s: string) => s.replace(/[\s　]+/g, '');

interface Built { raw: Raw; md: string; dir: string; status: number | null; stderr: string }
const built: Record<string, Built> = {};

beforeAll(() => {
  for (const [name, file] of Object.entries(FIXTURES)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `shanghai-${name}-`));
    const r = spawnSync(process.execPath, [CLI, 'build', '--data', file, '--out', dir], { cwd: ROOT, encoding: 'utf8', timeout: 240000 });
    built[name] = { raw: readRaw(file), dir, status: r.status, stderr: r.stderr, md: fs.existsSync(path.join(dir, 'report.md')) ? fs.readFileSync(path.join(dir, 'report.md'), 'utf8') : '' };
  }
}, 480000);

afterAll(() => {
  for (const b of Object.values(built)) fs.rmSync(b.dir, { recursive: true, force: true });
});

describe.each(Object.keys(FIXTURES))('Shanghai format: %s', (name) => {
  const b = () => built[name];
  const fill = (s: string) => s.replace(/\{dept\}/g, b().raw.report.department).replace(/\{year\}/g, b().raw.report.year).replace(/\{prior\}/g, String(Number(b().raw.report.year) - 1));

  test('builds with profile: shanghai into md, docx, xlsx and pdf', () => {
    expect(b().stderr).not.toMatch(/错误|Error/);
    expect(b().status).toBe(0);
    expect(b().raw.report.profile).toBe('shanghai');
    const head = (f: string, n: number) => fs.readFileSync(path.join(b().dir, f)).subarray(0, n).toString('latin1');
    expect(head('report.docx', 2)).toBe('PK');
    expect(head('report.xlsx', 2)).toBe('PK');
    expect(head('report.pdf', 5)).toBe('%PDF-');
    expect(b().md.length).toBeGreaterThan(5000);
  });

  test('目录 without page numbers: the Word TOC field omits them and its prefilled entries carry none', async () => {
    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(b().dir, 'report.docx')));
    const xml = await zip.file('word/document.xml')!.async('string');
    const instr = /TOC [^<]*/.exec(xml)![0];
    expect(instr).toMatch(/\\n &quot;1-\d&quot;/);
    const toc = xml.slice(xml.indexOf('目　录'), xml.indexOf('fldCharType="end"', xml.indexOf('TOC ')));
    expect(toc).toContain('第一部分');
    expect(toc).not.toMatch(/<w:t[^>]*>\d+<\/w:t>/);
    // the template's 目录 entries, in order (its nine table lines are not headings: the Word TOC lists headings only)
    const entries = [...toc.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => squash(m[1]));
    const tableLines = new Set(TABLES.map((t, i) => squash(`${'一二三四五六七八九'[i]}、${t.title}`)));
    let at = -1;
    for (const e of TOC.map((x) => squash(fill(x))).filter((x) => !tableLines.has(x))) {
      // the template's 目录 shortens “十一、其他重要事项的情况说明” (its heading) to “十一、其他重要事项说明”
      const want = e === '十一、其他重要事项说明' ? '十一、其他重要事项的情况说明' : e;
      const alt = b().raw.overview.units.length > 1 ? want : want.replace('二、部门决算单位构成', '二、机构设置');
      const i = entries.findIndex((x, k) => k > at && x === alt);
      expect(`${alt}: ${i > at}`).toBe(`${alt}: true`);
      at = i;
    }
  });

  test('the workbook has the nine tables, and every formula adds up the cells it names to the printed figure', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(b().dir, 'report.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['表一', '表二', '表三', '表四', '表五', '表六', '表七', '表八', '表九']);
    let formulas = 0;
    for (const ws of wb.worksheets) {
      const num = (addr: string) => {
        const v = ws.getCell(addr).value as unknown;
        if (v && typeof v === 'object') return D(String((v as { result?: unknown }).result ?? 0));
        return D(typeof v === 'number' ? String(v) : 0);
      };
      ws.eachRow((row) => row.eachCell((c) => {
        const f = (c.value as { formula?: string } | null)?.formula;
        if (!f) return;
        formulas++;
        const m = /^SUM\((.*)\)$/.exec(f)!;
        const cells = m[1].split(',').flatMap((part) => {
          const [a, z] = part.split(':');
          if (!z) return [a];
          const [ca, ra] = [a.replace(/\d+/, ''), Number(a.replace(/\D+/, ''))];
          const [cz, rz] = [z.replace(/\d+/, ''), Number(z.replace(/\D+/, ''))];
          if (ca === cz) return Array.from({ length: rz - ra + 1 }, (_, k) => `${ca}${ra + k}`);
          expect(ra).toBe(rz); // a range along one row (single-letter columns in these tables)
          return Array.from({ length: cz.charCodeAt(0) - ca.charCodeAt(0) + 1 }, (_, k) => `${String.fromCharCode(ca.charCodeAt(0) + k)}${ra}`);
        });
        expect(`${ws.name}!${c.address}=${plain(sum(cells.map(num)))}`).toBe(`${ws.name}!${c.address}=${plain(num(c.address))}`);
      }));
    }
    expect(formulas).toBeGreaterThan(20);
  });

  test('PDF: no part title ends with a lone character (centred titles are balanced)', () => {
    if (spawnSync('pdftotext', ['-v']).error) return; // poppler-utils not installed
    const r = spawnSync('pdftotext', ['-layout', path.join(b().dir, 'report.pdf'), '-'], { encoding: 'utf8' });
    const pages = r.stdout.split('\f');
    const partPages = pages.filter((p) => /^\s*第[一二三四]部分\s*$/m.test(p));
    expect(partPages.length).toBe(4);
    for (const p of partPages) {
      const lines = p.split('\n').map((l) => l.trim()).filter(Boolean);
      const title = lines.slice(lines.findIndex((l) => /^第[一二三四]部分$/.test(l)) + 1, lines.findIndex((l) => /^第[一二三四]部分$/.test(l)) + 4);
      for (const l of title) expect(`${l}: ${[...l].length > 1}`).toBe(`${l}: true`);
    }
  });

  test('the template’s headings and table titles appear in order', () => {
    const lines = b().md.split('\n').filter((l) => l.startsWith('#')).map((l) => squash(l.replace(/^#+/, '')));
    const wanted = [
      ...HEADINGS.slice(0, HEADINGS.indexOf('第二部分 {dept}{year}年度部门决算表') + 1),
      ...TABLES.map((t, i) => `表${'一二三四五六七八九'[i]} ${t.title}`),
      ...HEADINGS.slice(HEADINGS.indexOf('第二部分 {dept}{year}年度部门决算表') + 1),
    ];
    // 七 has its two sub-headings only when there are 三公 expenses
    const none = b().raw.tables.t09 && ['abroad', 'car_purchase', 'car_operation', 'reception'].every((k) => D(b().raw.tables.t09.actual[k]).isZero() && D(b().raw.tables.t09.budget[k]).isZero());
    let at = -1;
    for (const h of wanted) {
      if (none && h.includes('“三公”经费财政拨款支出决算')) continue;
      const alts = fill(h).split('|').map(squash);
      const i = lines.findIndex((l, k) => k > at && alts.includes(l));
      if (i < 0) throw new Error(`heading not found after line ${at}: ${fill(h)}`);
      at = i;
    }
    expect(at).toBeGreaterThan(20);
  });

  test('each table prints its column headers, its note and (when empty) the template’s 说明', () => {
    const md = b().md;
    TABLES.forEach((t, i) => {
      const start = md.indexOf(`### 表${'一二三四五六七八九'[i]} ${t.title}`);
      expect(start).toBeGreaterThanOrEqual(0);
      const next = md.indexOf('\n## ', start + 1);
      const nextTable = md.indexOf('\n### 表', start + 1);
      const section = md.slice(start, Math.min(...[next, nextTable].filter((x) => x > 0)));
      const headerLine = section.split('\n').find((l) => l.startsWith('| '))!;
      for (const h of t.headers.filter((x) => !['合计', '总计', '本年收入合计', '本年支出合计', '使用非财政拨款结余', '结余分配', '年初结转和结余', '年末结转和结余', '人员经费合计', '公用经费合计', '年初财政拨款结转和结余', '年末财政拨款结转和结余'].includes(x) || headerLine.includes(x)))
        expect(`${t.title}: ${squash(headerLine.replace(/·/g, ''))}`).toContain(squash(h));
      expect(section).toContain(t.note);
      const rowsKey = i === 7 ? 't07' : i === 8 ? 't08' : undefined;
      if (rowsKey && t.emptyNote) {
        const empty = Object.keys(b().raw.tables[rowsKey].rows ?? {}).length === 0;
        if (empty) expect(section).toContain(fill(t.emptyNote));
        else expect(section).not.toContain('故本表无数据');
      }
    });
  });

  test('each sentence pattern of the template appears with the figures recomputed from the data', () => {
    const text = prose(b().md);
    const want = expectations(b().raw);
    for (const [id, sentences] of Object.entries(want)) for (const s of sentences) expect(`${id}: ${text.includes(s) ? s : text}`).toBe(`${id}: ${s}`);
  });

  test('第四部分 lists the template’s eleven terms in order; income examples only where there is that income', () => {
    const md = b().md;
    const part4 = md.slice(md.indexOf('第四部分'));
    let at = -1;
    const numbers = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一'];
    GLOSSARY_TERMS.forEach((term, i) => {
      const j = part4.indexOf(`${numbers[i]}、${term}：指`, at + 1);
      expect(`${term}: ${j > at}`).toBe(`${term}: true`);
      at = j;
    });
    const t02 = b().raw.tables.t02.rows as Record<string, Record<string, string>>;
    const has = (c: string) => Object.values(t02).some((r) => !D(r[c]).isZero());
    const ex = b().raw.glossary.income_examples ?? {};
    for (const [k, c] of [['business', 'business'], ['operating', 'operating'], ['other', 'other']]) {
      if (!ex[k]) continue;
      expect(part4.includes(`主要是：${ex[k]}收入等`)).toBe(has(c));
    }
  });

  test('report.md is what the pipeline composes, byte for byte (deterministic)', () => {
    expect(renderMarkdown(buildFromFile(FIXTURES[name as keyof typeof FIXTURES]).document)).toBe(b().md);
  });

  test('no placeholder or empty wording reaches the report', () => {
    for (const bad of ['【', 'XX', 'undefined', 'null', 'NaN', '：。', '，。', '为万元', '占%']) expect(prose(b().md)).not.toContain(bad);
  });
});

test('the outline’s sentence patterns are each checked on at least one fixture', () => {
  const ids = new Set(Object.values(built).flatMap((b) => Object.keys(expectations(b.raw))));
  const missing = SENTENCES.map((s) => s.id).filter((id) => !ids.has(id) && !['units-list'].includes(id));
  expect(missing).toEqual([]);
});

test('the vehicles are the template’s eight categories: a wrong one gives located messages, exit 1, nothing written', () => {
  const text = fs.readFileSync(FIXTURES.bureau, 'utf8');
  expect(text).toContain('      离退休干部用车: 0\n');
  const file = path.join(path.dirname(FIXTURES.bureau), `vehicles-${process.pid}.yaml`);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'shanghai-vehicles-'));
  fs.writeFileSync(file, text.replace('      离退休干部用车: 0\n', '      离退休干部服务用车: 0\n'));
  try {
    const r = spawnSync(process.execPath, [CLI, 'build', '--data', file, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
    expect(r.status).toBe(1);
    const line = text.split('\n').findIndex((l) => l === '      离退休干部用车: 0') + 1;
    expect(r.stderr).toContain(`vehicles-${process.pid}.yaml:${line}:`);
    expect(r.stderr).toContain('未知的车辆类别“离退休干部服务用车”');
    expect(r.stderr).toContain('缺少车辆类别 离退休干部用车');
    expect(fs.readdirSync(out)).toEqual([]);
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
});

describe('the same department in either profile', () => {
  test.each([
    ['bureau', '2024年度收、支总计5385.13万元'],
    ['center', '2024年度收、支总计1035.65万元'],
  ] as const)('the Shanghai %s’s data builds in the hunan profile too, with the same figures', (name, figure) => {
    const text = fs.readFileSync(FIXTURES[name], 'utf8');
    // the hunan profile takes the toolkit's catalog by year (none for 2024): name the Shanghai catalog explicitly
    const file = path.join(path.dirname(FIXTURES[name]), `as-hunan-${process.pid}.yaml`);
    fs.writeFileSync(file, text.replace('  profile: shanghai', '  profile: hunan\n  catalog: ../../../profiles/shanghai/catalog.yaml'));
    try {
      const md = renderMarkdown(buildFromFile(file).document);
      expect(md).toContain('### 公开01表 收入支出决算总表');
      expect(md).toContain(figure);
      expect(md).not.toContain('表一');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('without the overall reason of the 一般公共预算 table the sentence points to the 项 reasons (which are audited)', () => {
    const text = fs.readFileSync(FIXTURES.center, 'utf8');
    const cut = text.replace(/  general_budget:\n    under_reason: [^\n]*\n/, '');
    expect(cut).not.toBe(text);
    const file = path.join(path.dirname(FIXTURES.center), `no-overall-reason-${process.pid}.yaml`);
    fs.writeFileSync(file, cut);
    try {
      const md = renderMarkdown(buildFromFile(file).document);
      expect(prose(md)).toContain('完成年初预算的99.06%。决算数小于预算数的主要原因见以下各项级科目的说明。其中：');
      // and a 项 without its reason stops the build
      fs.writeFileSync(file, cut.replace(', under_reason: 年中人员退休', ''));
      expect(() => buildFromFile(file)).toThrow(/审核未通过/);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  test('the 国有资本经营 table with balances agrees with 表四 (年初、收入、年末)', () => {
    const b = buildFromFile(FIXTURES.bureau);
    const t4 = b.facts.tables.summary.t04;
    const s = b.facts.more.stateCapital;
    expect(plain(s.opening)).toBe(plain(t4.openingByKind[2].value));
    expect(plain(s.income)).toBe(plain(t4.income[2].value));
    expect(plain(s.closing)).toBe(plain(t4.closing.state_capital.value));
    expect(plain(s.closing)).toBe('5.20');
  });
});
