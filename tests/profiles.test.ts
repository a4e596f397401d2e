/**
 * Report formats as data (profiles/): a copied profile in a temporary folder
 * builds the same report; every broken join in a profile (manifest, table spec,
 * header grid, template field, Handlebars syntax, missing file, catalog) is one
 * located Chinese message, exit code 1, and nothing is written.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError, formatProblem } from '../src/errors';
import { ROOT, build, dataText } from './helpers/build';
import { buildFromFile } from '../src/pipeline';
import { renderMarkdown } from '../src/render/md';

const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const HUNAN = path.join(ROOT, 'profiles', 'hunan');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-profile-'));

/** A temporary folder with data.yaml (report.profile: ./fmt) and fmt/ = a copy of the hunan profile. */
function copied(): { dir: string; fmt: string; data: string } {
  const dir = tmp();
  const fmt = path.join(dir, 'fmt');
  fs.cpSync(HUNAN, fmt, { recursive: true });
  const data = path.join(dir, 'data.yaml');
  fs.writeFileSync(data, dataText().replace(/^report:\n/m, 'report:\n  profile: ./fmt\n'));
  return { dir, fmt, data };
}

/** Replace exactly one occurrence in a profile file; returns the 1-based line of the first changed character. */
function change(file: string, from: string, to: string): number {
  const text = fs.readFileSync(file, 'utf8');
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`expected one ${JSON.stringify(from)} in ${file}, found ${n}`);
  const next = text.replace(from, to);
  let i = 0;
  while (i < next.length && next[i] === text[i]) i++;
  fs.writeFileSync(file, next);
  return next.slice(0, i).split('\n').length;
}

const lineOf = (file: string, needle: string) => fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

function buildCli(data: string): { status: number | null; stderr: string; out: string } {
  const out = path.join(path.dirname(data), 'out');
  const r = spawnSync(process.execPath, [CLI, 'build', '--data', data, '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120000 });
  return { status: r.status, stderr: r.stderr, out };
}

test('the shipped hunan profile is the default: naming it changes nothing', () => {
  const a = build().md;
  const b = build(dataText().replace(/^report:\n/m, 'report:\n  profile: hunan\n')).md;
  expect(b).toBe(a);
});

test('a copied profile in a temporary folder builds the same report (a third format is a folder)', () => {
  const { fmt, data } = copied();
  const md = renderMarkdown(buildFromFile(data).document);
  expect(md).toBe(build().md);
  // and an edit of the copy's wording shows in the report, with no code change
  change(path.join(fmt, 'profile.yaml'), 'title: 名词解释', 'title: 名词解释（自定义格式）');
  change(path.join(fmt, 'templates', 'part1.hbs'), '## 一、部门职责', '## 一、部门主要职责');
  change(path.join(fmt, 'profile.yaml'), 'label: 公开01表', 'label: 表一');
  // the same folder, edited in place, is read again
  const md2 = renderMarkdown(buildFromFile(data).document);
  expect(md2).toContain('第四部分　名词解释（自定义格式）');
  expect(md2).toContain('一、部门主要职责');
  expect(md2).toContain('表一');
  expect(md2).not.toContain('公开01表');
});

interface Broken {
  name: string;
  /** Apply the break; returns [file relative to fmt/, line] where the message must point. */
  apply: (fmt: string) => [string, number];
  message: RegExp;
}

const spec = (f: string, name: string) => path.join(f, 'tables', name);
const tpl = (f: string, name: string) => path.join(f, 'templates', name);
const manifest = (f: string) => path.join(f, 'profile.yaml');

/** The located messages of the InputError that `fn` throws (none if it builds). */
function inputProblems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return e.problems.map(formatProblem);
  }
  return [];
}

const BROKEN: Broken[] = [
  {
    name: 'unknown column key in a code table (never falls back to the total column)',
    apply: (f) => ['tables/02.yaml', change(spec(f, '02.yaml'), '{ key: other, width: 8, kind: amount }', '{ key: othr, width: 8, kind: amount }')],
    message: /未知的栏“othr”：t02 表可用的栏为 total、fiscal、superior、business、operating、affiliated、other/,
  },
  {
    name: 'unknown fact in a template',
    apply: (f) => ['templates/part3.hbs', change(tpl(f, 'part3.hbs'), '{{money income.total}}', '{{money income.totl}}')],
    message: /模板引用了不存在的字段“income\.totl”。此处可用的字段：total、parts/,
  },
  {
    name: 'a table listed twice',
    apply: (f) => ['profile.yaml', change(manifest(f), '  - { id: "03", label: 公开03表', '  - { id: "02", label: 公开03表')],
    message: /表“02”重复列出（已在 tables\[1\] 列出）/,
  },
  {
    name: 'Handlebars syntax error',
    apply: (f) => {
      change(tpl(f, 'part1.hbs'), '{{/each}}', '{{/with}}');
      return ['templates/part1.hbs', lineOf(tpl(f, 'part1.hbs'), '{{#each overview.duties}}')];
    },
    message: /模板语法错误（Handlebars）：块“\{\{#each\}\}”的结束标记写成了“\{\{\/with\}\}”/,
  },
  {
    name: 'missing template file',
    apply: (f) => ['profile.yaml', change(manifest(f), 'template: part4.hbs', 'template: part9.hbs')],
    message: /找不到模板文件 .*part9\.hbs/,
  },
  {
    name: 'unknown manifest key',
    apply: (f) => ['profile.yaml', change(manifest(f), 'toc:\n  title: 目　录', 'toc:\n  titel: 目　录')],
    message: /未知的键“titel”（是否应为“title”？此处缺少必填项“title”）/,
  },
  {
    name: 'bad column kind',
    apply: (f) => ['tables/03.yaml', change(spec(f, '03.yaml'), '{ key: basic, width: 11, kind: amount }', '{ key: basic, width: 11, kind: text }')],
    message: /栏“basic”的类型应为 amount，实际为 text/,
  },
  {
    name: 'header grid that does not match the column count',
    apply: (f) => ['tables/05.yaml', change(spec(f, '05.yaml'), '  - [科目代码, 科目名称, 小计, 基本支出, 项目支出]', '  - [科目代码, 科目名称, 小计, 基本支出]')],
    message: /表头第 2 行只覆盖了 4 栏，应覆盖全部 5 栏/,
  },
  {
    name: 'unknown catalog',
    apply: (f) => ['profile.yaml', change(manifest(f), 'catalog: by_year', 'catalog: catalog-2099.yaml')],
    message: /找不到科目表文件“catalog-2099\.yaml”/,
  },
  {
    name: 'an amount given to a helper that needs one is checked: money of a text',
    apply: (f) => ['templates/part1.hbs', change(tpl(f, 'part1.hbs'), '（一）内设机构设置。{{selfName}}', '（一）内设机构设置。{{money selfName}}')],
    message: /money 需要一个金额，“selfName”是文字/,
  },
  {
    name: 'an amount printed without money',
    apply: (f) => ['templates/part3.hbs', change(tpl(f, 'part3.hbs'), '{{money income.total}}', '{{income.total}}')],
    message: /“income\.total”是金额，须写成 \{\{money income\.total\}\}/,
  },
  {
    name: '::table naming no table',
    apply: (f) => ['templates/part5.hbs', change(tpl(f, 'part5.hbs'), '::table att-1', '::table att-9')],
    message: /模板放置了不存在的表“att-9”/,
  },
  {
    name: 'a column key out of the layout order',
    apply: (f) => ['tables/01.yaml', change(spec(f, '01.yaml'), '{ key: in_line,  width: 5,  kind: lineNo }', '{ key: out_line,  width: 5,  kind: lineNo }')],
    message: /栏“out_line”的位置不对/,
  },
  {
    name: 'an empty-table sentence that would drop the data’s note',
    apply: (f) => ['tables/07.yaml', change(spec(f, '07.yaml'), 'notes:', 'empty_note_format: 说明：本表无数据。\nnotes:')],
    message: /空表说明的句式须包含 \{note\}/,
  },
  {
    name: 'an absent value given to pct at render time (share of a zero part)',
    apply: (f) => ['templates/part3.hbs', change(tpl(f, 'part3.hbs'), '{{label}}{{money amount}}万元{{#if share}}，占{{pct share}}{{/if}}{{#if (last @index ../income.parts)}}', '{{label}}{{money amount}}万元，占{{pct share}}{{#if (last @index ../income.parts)}}')],
    message: /模板中的 pct 需要一个金额，实际得到空值/,
  },
];

describe.each(BROKEN)('broken profile: $name', ({ apply, message }) => {
  test('one located message, exit code 1, nothing written', () => {
    const { fmt, data } = copied();
    const [file, line] = apply(fmt);
    const r = buildCli(data);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('发现 1 处错误，未生成任何文件：');
    expect(lines).toHaveLength(2);
    const loc = new RegExp(`fmt/${file.replace(/[.]/g, '\\.')}:${line}:\\d+: `);
    expect(lines[1]).toMatch(loc);
    expect(lines[1]).toMatch(message);
    expect(r.stderr).not.toMatch(/内部错误|\n\s+at /);
    expect(fs.existsSync(r.out)).toBe(false);
  });
});

test('the in-process build gives the same located InputError (no internal error)', () => {
  const { fmt, data } = copied();
  change(spec(fmt, '02.yaml'), '{ key: other, width: 8, kind: amount }', '{ key: othr, width: 8, kind: amount }');
  const problems = inputProblems(() => buildFromFile(data));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/fmt\/tables\/02\.yaml:\d+:\d+: \[columns\[8\]\.key\] 未知的栏“othr”/);
});

describe('variance rule of a profile: explain_every_difference', () => {
  const setup = (reason?: string) => {
    const { fmt, data } = copied();
    change(manifest(fmt), 'explain_every_difference: false', 'explain_every_difference: true');
    let text = fs.readFileSync(data, 'utf8');
    if (reason) {
      text = text.replace('"2010301": { basic: 1878.67, budget: 1946.21 }', `"2010301": { basic: 1878.67, budget: 1946.21, under_reason: ${reason} }`);
      text = text.replace('"2080505": { basic: 162.24, budget: 176.40 }', '"2080505": { basic: 162.24, budget: 176.40, under_reason: 年中人员变动 }');
      text = text.replace('"2210201": { basic: 157.75, budget: 171.60 }', '"2210201": { basic: 157.75, budget: 171.60, under_reason: 年中人员变动 }');
    }
    fs.writeFileSync(data, text);
    return data;
  };
  test('a 项 within the ±10% threshold that reads 基本持平 in hunan needs a reason', () => {
    expect(build().md).toContain('年初预算为1946.21万元，支出决算为1878.67万元，完成年初预算的96.53%，决算数与年初预算数基本持平。');
    let err: unknown;
    try {
      buildFromFile(setup());
    } catch (e) {
      err = e;
    }
    const errors = (err as { result?: { errors: Array<{ rule: string; message: string }> } }).result?.errors ?? [];
    expect(errors.map((x) => x.message)).toContainEqual(expect.stringMatching(/2010301.*决算数小于年初预算数（完成96\.53%）.*必须说明原因：请填写 under_reason/));
  });
  test('with the reason the sentence says 小于 and why', () => {
    const md = renderMarkdown(buildFromFile(setup('严格控制行政运行成本')).document);
    expect(md).toContain('完成年初预算的96.53%，决算数小于年初预算数的主要原因是：严格控制行政运行成本。');
    expect(md).not.toContain('决算数与年初预算数基本持平');
  });
});

test('the budget-verdict clause is written once (partials/budget-verdict.hbs) and used by 05表 items and 三公', () => {
  const { fmt, data } = copied();
  const f = tpl(fmt, 'partials/budget-verdict.hbs');
  fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/的主要原因是/g, '，原因是'));
  const md = renderMarkdown(buildFromFile(data).document);
  expect(md).toContain('完成年初预算的310.80%，决算数大于年初预算数，原因是：');
  expect(md).toContain('年初无预算，支出决算为20.00万元，决算数大于年初预算数，原因是：');
  expect(md).toMatch(/“三公”经费财政拨款支出预算为[\d.]+万元，支出决算为[\d.]+万元，完成预算的[\d.]+%，决算数小于预算数，原因是/);
  expect(md).toMatch(/公务接待费支出预算为[\d.]+万元，支出决算为[\d.]+万元，完成预算的[\d.]+%，决算数[大小]于预算数，原因是/);
  expect(md).not.toMatch(/决算数[大小]于(年初)?预算数的主要原因是/);
});

test('data a profile requires (data.required) is a located message at report.profile when missing', () => {
  const { fmt, data } = copied();
  fs.appendFileSync(manifest(fmt), '\ndata:\n  required: [attachment.budget, explanations.procurement]\n');
  // present: builds
  expect(() => buildFromFile(data)).not.toThrow();
  const text = fs.readFileSync(data, 'utf8');
  const start = text.indexOf('\nattachment:');
  fs.writeFileSync(data, text.slice(0, start + 1));
  const problems = inputProblems(() => buildFromFile(data));
  expect(problems).toEqual([expect.stringMatching(/data\.yaml:15:\d+: \[attachment\.budget\] 报告格式“湖南省部门决算公开格式（2023 年度）”要求填写“attachment\.budget”，数据文件中没有此项/)]);
});

test('an unknown report.profile is a located message naming the shipped formats', () => {
  const text = dataText().replace(/^report:\n/m, 'report:\n  profile: hunna\n');
  const problems = inputProblems(() => build(text));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^data\.yaml:15:12: \[report\.profile\] 找不到报告格式“hunna”：应为工具自带的格式编号（[^）]*hunan[^）]*）/);
});

test('the template check follows Handlebars scoping: block params, ../, #if keeps the context, partials do not see block params', () => {
  const { TemplateChecker } = require('../src/profile/check-templates') as typeof import('../src/profile/check-templates');
  const { TEMPLATE_FACTS_SHAPE } = require('../src/profile/facts-shape') as typeof import('../src/profile/facts-shape');
  const partials = new Map([['p', { name: 'partials/p.hbs', file: 'p.hbs', text: '{{x.label}}' }]]);
  const check = (text: string) => {
    const c = new TemplateChecker(partials, new Set(), new Set());
    c.checkTemplate({ name: 't', file: 't.hbs', text }, TEMPLATE_FACTS_SHAPE);
    return c.problems.map((p) => `${p.loc!.line}:${p.loc!.col} ${p.message}`);
  };
  expect(check('{{#each income.parts as |x i|}}{{x.label}}{{no i}}{{money x.amount}}{{../year}}{{/each}}')).toEqual([]);
  expect(check('{{#with threePublic}}{{#if verdict.isOver}}{{../year}}{{/if}}{{/with}}')).toEqual([]);
  expect(check('{{#with threePublic}}{{#if verdict.isOver}}{{../../year}}{{/if}}{{/with}}')).toEqual([expect.stringMatching(/^1:\d+ “\.\.\/\.\.\/year”向上超出了最外层/)]);
  expect(check('{{#each income.parts as |x|}}{{> p}}{{/each}}')).toEqual([expect.stringMatching(/不存在的字段“x”/)]);
  expect(check('{{@index}}')).toEqual([expect.stringMatching(/“@index”只能在 #each 中使用/)]);
  expect(check('{{#each year}}{{/each}}')).toEqual([expect.stringMatching(/#each 需要一个列表，“year”是数字/)]);
  expect(check('{{lookup income "total"}}')).toEqual([expect.stringMatching(/未知的助手“lookup”/)]);
});

test('a partial runs in its own context: ../ cannot reach the caller, @root can', () => {
  const { TemplateChecker } = require('../src/profile/check-templates') as typeof import('../src/profile/check-templates');
  const { TEMPLATE_FACTS_SHAPE } = require('../src/profile/facts-shape') as typeof import('../src/profile/facts-shape');
  const partials = new Map([
    ['up', { name: 'partials/up.hbs', file: 'up.hbs', text: '{{../year}}' }],
    ['root', { name: 'partials/root.hbs', file: 'root.hbs', text: '{{@root.year}}{{label}}{{word}}' }],
  ]);
  const check = (text: string) => {
    const c = new TemplateChecker(partials, new Set(), new Set());
    c.checkTemplate({ name: 't', file: 't.hbs', text }, TEMPLATE_FACTS_SHAPE);
    return c.problems.map((p) => `${p.loc!.file}:${p.loc!.line}:${p.loc!.col} ${p.message}`);
  };
  expect(check('{{#with income}}{{> up}}{{/with}}')).toEqual([expect.stringMatching(/^up\.hbs:1:\d+ “\.\.\/year”向上超出了最外层/)]);
  expect(check('{{> root threePublic.items.abroad word="x"}}')).toEqual([]);
});
