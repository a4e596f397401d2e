/**
 * Report formats as data: a profile is one folder (profiles/<id>/) with a
 * manifest (profile.yaml), its sentence templates and its table specs; see
 * profiles/README.md. Loading a profile checks every join it makes — manifest
 * keys, table specs against their layout, header grids against the columns,
 * template files, Handlebars syntax and every field a template reads — and
 * reports each break as one located Chinese message (InputError).
 */
import * as fs from 'fs';
import * as path from 'path';
import Decimal from 'decimal.js';
import { isMap, isSeq, Pair, YAMLMap } from 'yaml';
import { InputError, Location, Problem } from '../errors';
import { nodeLoc, parseSource, Source } from '../source/load';
import { bool, Ctx, fail, list, NODES, obj, oneOf, opt, percent, req, str, V, WithNodes } from '../validate/schema';
import { projectFile } from '../paths';
import { readStore, sha, storeKey, writeStore } from '../cache/store';
import { TemplateChecker, HelperSite } from './check-templates';
import { TEMPLATE_FACTS_SHAPE } from './facts-shape';
import { codeColumns, CODE_SOURCE_NAMES, CodeSource, ColumnKind, LAYOUT_NAMES, LayoutName, LAYOUTS } from './layouts';

/** The profile used when data.yaml names none: the id in profiles/DEFAULT (data, not code). */
export function defaultProfileId(): string {
  return fs.readFileSync(projectFile('profiles', 'DEFAULT'), 'utf8').trim();
}
const COLUMN_KINDS: readonly ColumnKind[] = ['code', 'text', 'amount', 'percent', 'count', 'lineNo'];

export interface HeaderSpecCell { text: string; cols: number; rows: number }

export interface TableSpec {
  orientation: 'portrait' | 'landscape';
  layout: LayoutName;
  source?: CodeSource;
  columns: Array<{ key: string; width: number; kind: ColumnKind }>;
  header: HeaderSpecCell[][];
  notes: string[];
  /** Wording of the 说明 under an empty table; `{note}` is the data's own note or `empty_note`. */
  emptyNote: string;
  emptyNoteFormat: string;
  /** Layout-specific wording (row labels), by spec key. */
  labels: Record<string, string | string[]>;
}

export interface ProfileTable {
  id: string;
  /** "公开01表" / "表一"; none for tables inside the text (附件). */
  label?: string;
  /** May contain {year}, {department}. */
  title: string;
  /** A table inside a part's text (placed by `::table id` in a template), with the short unit line only. */
  inline: boolean;
  specFile: string;
  spec: TableSpec;
}

export interface ProfilePart {
  id: string;
  label: string;
  /** May contain {year}, {department}. */
  title: string;
  /** Template name relative to templates/ (e.g. part3.hbs); the part's text. */
  template?: string;
  /** The part prints the profile's (non-inline) tables in manifest order after its text. */
  tables: boolean;
}

export interface TemplateFile { name: string; file: string; text: string }

export interface Profile {
  id: string;
  name: string;
  /** Absolute folder of the profile. */
  dir: string;
  /** profile.yaml as shown in messages. */
  file: string;
  /** `by_year`: the toolkit's catalog/<report.year>.yaml; otherwise an absolute catalog file of the profile (may contain {year}). */
  catalog: { byYear: true } | { byYear: false; file: string };
  document: { title: string; subject: string; titlePage: string[]; subtitle: 'year_month'; keywords: string[] };
  toc: { title: string; pageNumbers: boolean };
  tableLines: { department: string; unit: string; inlineUnit: string };
  parts: ProfilePart[];
  tables: ProfileTable[];
  /** Defaults of data.yaml `policy`; `explainEveryDifference`: every 项 whose 决算 differs from its 预算 needs a reason. */
  variance: { budgetThreshold: Decimal; yoyFlatThreshold: Decimal; explainEveryDifference: boolean };
  /** `vehicleCategories`: the format's vehicle categories, in order; data.yaml must list exactly these. */
  data: { required: string[]; unused: string[]; vehicleCategories?: string[] };
  typography: Record<string, string | number>;
  templates: Map<string, TemplateFile>;
  partials: Map<string, TemplateFile>;
  /** Every money/pct/join call in the templates, to locate a helper given an absent value at render time. */
  helperSites: HelperSite[];
  /** Location of every manifest key path, for later messages. */
  locs: Map<string, Location>;
}

const PLACEHOLDERS = ['year', 'department'];

/** A title or line with {year}/{department} placeholders; an unknown placeholder is an error. */
const titleText: V<string> = (node, p, ctx) => {
  const s = str(node, p, ctx);
  if (s === undefined) return undefined;
  for (const m of s.matchAll(/\{([^}]*)\}/g)) {
    if (!PLACEHOLDERS.includes(m[1])) return fail(ctx, node, p, `未知的占位符“{${m[1]}}”，只能使用：${PLACEHOLDERS.map((x) => `{${x}}`).join('、')}`);
  }
  return s;
};

const posInt: V<number> = (node, p, ctx) => {
  const n = (node as { value?: unknown } | undefined)?.value;
  if (typeof n === 'number' && Number.isInteger(n) && n > 0) return n;
  return fail(ctx, node, p, `应为正整数，实际为“${String(n)}”`);
};

const relFile = (ext: string): V<string> => (node, p, ctx) => {
  const s = str(node, p, ctx);
  if (s === undefined) return undefined;
  if (path.isAbsolute(s) || s.split(/[\\/]/).includes('..')) return fail(ctx, node, p, `应为格式文件夹内的相对路径，实际为“${s}”`);
  if (!s.endsWith(ext)) return fail(ctx, node, p, `应为 ${ext} 文件，实际为“${s}”`);
  return s;
};

function readYaml(file: string, shown: string, problems: Problem[], loc?: Location, what = '文件'): Source | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    problems.push({ loc, path: '', message: `找不到${what} ${shown}` });
    return undefined;
  }
  try {
    return parseSource(text, shown);
  } catch (e) {
    if (e instanceof InputError) problems.push(...e.problems);
    else throw e;
    return undefined;
  }
}

const shownPath = (abs: string) => path.relative(process.cwd(), abs) || abs;

/** Where a profile id or folder path points: a shipped profile or a folder (relative to `baseDir`). */
export function resolveProfileDir(ref: string, baseDir: string): string {
  if (/^[a-z][a-z0-9_-]*$/.test(ref) && fs.existsSync(projectFile('profiles', ref, 'profile.yaml'))) return projectFile('profiles', ref);
  return path.resolve(baseDir, ref);
}

const cache = new Map<string, Profile>();

/** The shipped default profile. */
export function defaultProfile(): Profile {
  return loadProfile(projectFile('profiles', defaultProfileId()));
}

/**
 * Load and check a profile folder. Throws InputError with located problems when
 * anything in it is broken. `refLoc` is where data.yaml named the profile.
 */
export function loadProfile(dir: string, refLoc?: Location): Profile {
  const abs = path.resolve(dir);
  // cached per folder while none of its files changed (tests and editors edit profiles in place)
  const key = `${abs}\n${signature(abs)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // A checked profile is kept on disk by the exact contents of its folder (src/cache/store.ts);
  // only a profile that loaded without problems is kept, so every message is made afresh.
  const diskKey = storeKey('profile', () => [abs, process.cwd(), contents(abs)]);
  const stored = diskKey === undefined ? undefined : readStore<Profile>('profile', diskKey);
  if (stored) {
    cache.set(key, stored);
    return stored;
  }
  const profile = loadProfileNow(abs, refLoc);
  cache.set(key, profile);
  // A catalog outside the folder was looked up (existsSync) at load: not keyed here, so not kept.
  if (diskKey !== undefined && (profile.catalog.byYear || isInside(abs, profile.catalog.file))) writeStore('profile', diskKey, profile);
  return profile;
}

const isInside = (dir: string, file: string) => !path.relative(dir, file).startsWith('..') && !path.isAbsolute(path.relative(dir, file));

/** One line per file below `dir` (sorted names, folders walked depth first), made by `line`. */
function eachFile(dir: string, line: (file: string, st: fs.Stats) => string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let names: string[];
    try {
      names = fs.readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const f = path.join(d, n);
      const st = fs.statSync(f);
      if (st.isDirectory()) walk(f);
      else out.push(line(f, st));
    }
  };
  walk(dir);
  return out;
}

/** Every file of a profile folder: relative name and SHA-256 of its bytes (the disk cache's key). */
function contents(dir: string): string {
  return eachFile(dir, (f) => `${path.relative(dir, f)}:${sha(fs.readFileSync(f))}`).join('\n');
}

function loadProfileNow(abs: string, refLoc?: Location): Profile {
  const problems: Problem[] = [];
  const manifestFile = path.join(abs, 'profile.yaml');
  const src = readYaml(manifestFile, shownPath(manifestFile), problems, refLoc, '报告格式文件（profile.yaml）');
  if (!src) throw new InputError(problems);
  const ctx: Ctx = { src, problems, locs: new Map() };
  const tableEntry = obj({
    id: req(str, '表的编号，如 01'), label: opt(str, '表号，如 公开01表'), title: req(titleText, '表名'),
    spec: req(relFile('.yaml'), '表式文件'), inline: opt(bool),
  });
  const partEntry = obj({
    id: req(str), label: req(str, '部分序号，如 第一部分'), title: req(titleText, '部分标题'),
    template: opt(relFile('.hbs'), '模板文件'), tables: opt(bool, '本部分列示全部公开表'),
  });
  const schema = obj({
    id: req(str, '格式编号'),
    name: req(str, '格式名称'),
    catalog: opt(str, '科目表：by_year，或格式文件夹内的文件（可含 {year}，如 catalog/{year}.yaml）'),
    document: req(obj({
      title: req(titleText), subject: req(titleText), title_page: req(list(titleText, { min: 1 })),
      subtitle: req(oneOf(['year_month'] as const)), keywords: req(list(titleText)),
    })),
    toc: req(obj({ title: req(str), page_numbers: req(bool) })),
    table_lines: req(obj({ department: req(titleText), unit: req(str), inline_unit: req(str) })),
    parts: req(list(partEntry, { min: 1 })),
    tables: req(list(tableEntry)),
    variance: req(obj({
      budget_threshold: req(percent, '决算与预算偏离超过此百分比须说明原因'),
      yoy_flat_threshold: req(percent, '与上年增减幅度低于此百分比为基本持平'),
      explain_every_difference: opt(bool, '凡决算与预算不一致均须说明'),
    })),
    data: opt(obj({ required: opt(list(str)), unused: opt(list(str)), vehicle_categories: opt(list(str, { min: 1 }), '车辆的用途分类（按顺序）') })),
    typography: opt(typographyV),
  });
  const v = schema(src.doc.contents, '', ctx);
  if (!v || problems.length) throw new InputError(mergeTypos(problems));
  const nodes = (x: WithNodes) => x[NODES] ?? {};
  const manifestNodes = nodes(v);
  const loc = (key: string) => ctx.locs.get(key);

  let catalog: Profile['catalog'] = { byYear: true };
  if (v.catalog && v.catalog !== 'by_year') {
    const f = path.join(abs, v.catalog);
    const perYear = v.catalog.includes('{year}');
    const badPlaceholder = [...v.catalog.matchAll(/\{([^}]*)\}/g)].find((m) => m[1] !== 'year');
    if (badPlaceholder) {
      problems.push({ loc: loc('catalog'), path: 'catalog', message: `未知的占位符“{${badPlaceholder[1]}}”，科目表路径中只能使用 {year}` });
    } else if (perYear && v.catalog.endsWith('.yaml')) {
      catalog = { byYear: false, file: f }; // resolved with report.year when the data is read
    } else if (!v.catalog.endsWith('.yaml') || !fs.existsSync(f)) {
      problems.push({ loc: loc('catalog'), path: 'catalog', message: `找不到科目表文件“${v.catalog}”（按格式文件夹解析为 ${shownPath(f)}）；应为 by_year 或格式文件夹内的 .yaml 文件` });
    } else catalog = { byYear: false, file: f };
  }

  // Tables: each listed once, each spec valid for its layout.
  const tables: ProfileTable[] = [];
  const seen = new Map<string, number>();
  v.tables.forEach((t, i) => {
    const p = `tables[${i}]`;
    if (seen.has(t.id)) {
      problems.push({ loc: nodeLoc(src, nodes(t).id), path: `${p}.id`, message: `表“${t.id}”重复列出（已在 tables[${seen.get(t.id)}] 列出）：每张表只能列一次` });
      return;
    }
    seen.set(t.id, i);
    const specFile = path.join(abs, t.spec);
    const spec = loadSpec(specFile, problems, nodeLoc(src, nodes(t).spec));
    if (spec) tables.push({ id: t.id, label: t.label, title: t.title, inline: t.inline ?? false, specFile, spec });
  });

  // Parts and templates.
  const templates = new Map<string, TemplateFile>();
  const partIds = new Set<string>();
  let tablePart = false;
  const parts: ProfilePart[] = v.parts.map((pt, i) => {
    const p = `parts[${i}]`;
    if (partIds.has(pt.id)) problems.push({ loc: nodeLoc(src, nodes(pt).id), path: `${p}.id`, message: `部分“${pt.id}”重复列出` });
    partIds.add(pt.id);
    if (!pt.template && !pt.tables) problems.push({ loc: nodeLoc(src, (manifestNodes.parts as { items?: unknown[] } | undefined)?.items?.[i]), path: p, message: '每个部分须有 template（模板文件）或 tables: true（列示公开表）' });
    if (pt.tables) {
      if (tablePart) problems.push({ loc: nodeLoc(src, nodes(pt).tables), path: `${p}.tables`, message: '只能有一个部分列示公开表（tables: true）' });
      tablePart = true;
    }
    if (pt.template && !templates.has(pt.template)) {
      const f = path.join(abs, 'templates', pt.template);
      const text = readText(f);
      if (text === undefined) problems.push({ loc: nodeLoc(src, nodes(pt).template), path: `${p}.template`, message: `找不到模板文件 ${shownPath(f)}` });
      else templates.set(pt.template, { name: pt.template, file: shownPath(f), text });
    }
    return { id: pt.id, label: pt.label, title: pt.title, template: pt.template, tables: pt.tables ?? false };
  });
  if (!tablePart && tables.some((t) => !t.inline)) {
    problems.push({ loc: nodeLoc(src, manifestNodes.parts), path: 'parts', message: '有公开表但没有列示它们的部分：请在一个部分中写 tables: true' });
  }

  const partials = new Map<string, TemplateFile>();
  const pdir = path.join(abs, 'templates', 'partials');
  if (fs.existsSync(pdir)) {
    for (const f of fs.readdirSync(pdir).filter((x) => x.endsWith('.hbs')).sort()) {
      const file = path.join(pdir, f);
      partials.set(path.basename(f, '.hbs'), { name: `partials/${f}`, file: shownPath(file), text: fs.readFileSync(file, 'utf8') });
    }
  }

  // Templates: syntax, every field against the facts' declared shape, partials, ::table lines.
  let helperSites: HelperSite[] = [];
  if (!problems.length) {
    const inline = new Set(tables.filter((t) => t.inline).map((t) => t.id));
    const checker = new TemplateChecker(partials, inline, new Set(tables.map((t) => t.id)));
    for (const t of templates.values()) checker.checkTemplate(t, TEMPLATE_FACTS_SHAPE);
    for (const pt of partials.values()) checker.parseOnly(pt);
    problems.push(...checker.problems);
    tables.forEach((t) => {
      if (!checker.problems.length && t.inline && !checker.placed.has(t.id)) {
        const i = v.tables.findIndex((x) => x.id === t.id);
        problems.push({ loc: nodeLoc(src, nodes(v.tables[i]).id), path: `tables[${i}].id`, message: `正文中的表“${t.id}”（inline: true）没有被任何模板用“::table ${t.id}”放置` });
      }
    });
    helperSites = checker.sites;
  }

  if (problems.length) throw new InputError(mergeTypos(problems));
  const profile: Profile = {
    id: v.id, name: v.name, dir: abs, file: src.file, catalog,
    document: { title: v.document.title, subject: v.document.subject, titlePage: v.document.title_page, subtitle: v.document.subtitle, keywords: v.document.keywords },
    toc: { title: v.toc.title, pageNumbers: v.toc.page_numbers },
    tableLines: { department: v.table_lines.department, unit: v.table_lines.unit, inlineUnit: v.table_lines.inline_unit },
    parts, tables,
    variance: {
      budgetThreshold: v.variance.budget_threshold, yoyFlatThreshold: v.variance.yoy_flat_threshold,
      explainEveryDifference: v.variance.explain_every_difference ?? false,
    },
    data: { required: v.data?.required ?? [], unused: v.data?.unused ?? [], vehicleCategories: v.data?.vehicle_categories },
    typography: v.typography ?? {},
    templates, partials, helperSites,
    locs: ctx.locs,
  };
  return profile;
}

/** Names, sizes and modification times of every file in a profile folder. */
function signature(dir: string): string {
  return eachFile(dir, (f, st) => `${f}:${st.size}:${st.mtimeMs}`).join('|');
}

/**
 * A misspelt key gives two schema messages (the unknown key, and the required
 * key now missing in the same mapping): keep one, naming both.
 */
function mergeTypos(problems: Problem[]): Problem[] {
  const out = [...problems];
  for (let i = out.length - 1; i >= 0; i--) {
    const m = /^缺少必填项“([^”]+)”/.exec(out[i].message);
    if (!m) continue;
    const parent = out[i].path;
    const j = out.findIndex((p) => p.loc?.file === out[i].loc?.file && /^未知的键“/.test(p.message) && p.path.slice(0, p.path.lastIndexOf('.') < 0 ? 0 : p.path.lastIndexOf('.')) === parent && !/[[\]]/.test(p.path.slice(parent.length + 1)));
    if (j < 0) continue;
    out[j] = { ...out[j], message: `${out[j].message.replace(/。此处允许的键：.*$/, '')}（是否应为“${m[1]}”？此处缺少必填项“${m[1]}”）` };
    out.splice(i, 1);
  }
  return out;
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Typography overrides: flat keys with a text or number value (e.g. body_font: 仿宋_GB2312, body_size_pt: 16). */
const TYPOGRAPHY_KEYS = ['body_font', 'heading_font', 'body_size_pt', 'heading_size_pt', 'table_font', 'table_size_pt'];
const typographyV: V<Record<string, string | number>> = (node, p, ctx) => {
  if (!isMap(node)) return fail(ctx, node, p, '应为一组键值（映射）');
  const out: Record<string, string | number> = {};
  for (const pair of (node as YAMLMap).items as Pair[]) {
    const k = String((pair.key as { value?: unknown })?.value);
    if (!TYPOGRAPHY_KEYS.includes(k)) {
      fail(ctx, pair.key, `${p}.${k}`, `未知的键“${k}”。此处允许的键：${TYPOGRAPHY_KEYS.join('、')}`);
      continue;
    }
    const val = (pair.value as { value?: unknown })?.value;
    if (k.endsWith('_pt')) {
      if (typeof val !== 'number' || val <= 0 || val > 72) fail(ctx, pair.value, `${p}.${k}`, `应为 1 到 72 之间的字号（磅），实际为“${String(val)}”`);
      else out[k] = val;
    } else {
      const s = str(pair.value, `${p}.${k}`, ctx);
      if (s !== undefined) out[k] = s;
    }
  }
  return out;
};

/** Read and check one table spec against its layout. */
function loadSpec(file: string, problems: Problem[], refLoc?: Location): TableSpec | undefined {
  const src = readYaml(file, shownPath(file), problems, refLoc, '表式文件');
  if (!src) return undefined;
  const ctx: Ctx = { src, problems, locs: new Map() };
  const root = src.doc.contents;
  const layoutNode = isMap(root) ? (root as YAMLMap).get('layout', true) : undefined;
  if (!isMap(root)) return fail(ctx, root, '', '表式文件应为一组键值（映射）');
  const layout = oneOf(LAYOUT_NAMES)(layoutNode, 'layout', ctx);
  if (!layoutNode) return fail(ctx, root, '', `缺少必填项“layout”（表的版式：${LAYOUT_NAMES.join('、')}）`);
  if (!layout) return undefined;
  const contract = LAYOUTS[layout];
  const headerCell: V<HeaderSpecCell> = (node, p, c) => {
    if (isMap(node)) {
      const x = obj({ text: req(str), cols: opt(posInt), rows: opt(posInt) })(node, p, c);
      return x && { text: x.text, cols: x.cols ?? 1, rows: x.rows ?? 1 };
    }
    const s = str(node, p, c);
    return s === undefined ? undefined : { text: s, cols: 1, rows: 1 };
  };
  const labelFields = Object.fromEntries(Object.entries(contract.labels).map(([k, kind]) => [k, req((kind === 'list' ? list(str, { min: 1 }) : str) as V<unknown>)]));
  const schema = obj({
    orientation: req(oneOf(['portrait', 'landscape'] as const), '纸张方向'),
    layout: req(oneOf(LAYOUT_NAMES)),
    ...(contract.source ? { source: req(oneOf(CODE_SOURCE_NAMES), '本表取数的表') } : {}),
    columns: req(list(obj({ key: req(str), width: req(posInt), kind: req(oneOf(COLUMN_KINDS)) }), { min: 1 })),
    header: req(list(list(headerCell, { min: 1 }), { min: 1 })),
    notes: req(list(str)),
    empty_note: opt(str, '空表说明（数据未给说明时）'),
    empty_note_format: opt(str, '空表说明的句式，{note} 为说明文字'),
    ...labelFields,
  });
  const v = schema(root, '', ctx) as (Record<string, unknown> & WithNodes) | undefined;
  if (!v) return undefined;
  const columns = v.columns as TableSpec['columns'];
  const colNodes = isSeq((root as YAMLMap).get('columns', true)) ? ((root as YAMLMap).get("columns", true) as unknown as { items: unknown[] }).items : [];
  const keyNode = (i: number) => (isMap(colNodes[i]) ? (colNodes[i] as YAMLMap).get('key', true) : colNodes[i]);
  const kindNode = (i: number) => (isMap(colNodes[i]) ? (colNodes[i] as YAMLMap).get('kind', true) : colNodes[i]);
  const n0 = problems.length;

  // Columns: keys known to the layout, each once, with the kind the layout prints.
  if (contract.columns) {
    // fixed layouts: the columns are the layout's, in its order (leaving out the optional ones it allows, or in any
    // order where the layout builds cells by key); the first difference is the message
    const want = contract.columns.filter(([k]) => !contract.optional?.includes(k) || columns.some((c) => c.key === k));
    const ordered = contract.anyOrder ? [...columns].sort((x, y) => want.findIndex(([k]) => k === x.key) - want.findIndex(([k]) => k === y.key)) : columns;
    const i = columns.findIndex((c) => !want.some(([k]) => k === c.key));
    const j = ordered.findIndex((c, k) => want[k]?.[0] !== c.key);
    if (i >= 0) {
      const c = columns[i];
      fail(ctx, keyNode(i), `columns[${i}].key`, `未知的栏“${c.key}”：版式 ${layout} 的栏依次为 ${want.map(([k]) => k).join('、')}`);
    } else if (j >= 0 && !contract.anyOrder) {
      const c = columns[j];
      fail(ctx, keyNode(j), `columns[${j}].key`, `栏“${c.key}”的位置不对：版式 ${layout} 的第 ${j + 1} 栏应为“${want[j]?.[0] ?? '（无）'}”（栏依次为 ${want.map(([k]) => k).join('、')}）`);
    } else if (columns.length < want.length) {
      const missing = want.filter(([k]) => !columns.some((c) => c.key === k)).map(([k]) => k);
      fail(ctx, (root as YAMLMap).get('columns', true), 'columns', `版式 ${layout} 有 ${want.length} 栏，这里只列了 ${columns.length} 栏（缺少 ${missing.join('、')}）`);
    } else {
      columns.forEach((c, k) => {
        const w = want.find(([x]) => x === c.key)!;
        if (w[1] !== c.kind) fail(ctx, kindNode(k), `columns[${k}].kind`, `栏“${c.key}”的类型应为 ${w[1]}，实际为 ${c.kind}`);
      });
    }
  } else {
    const source = v.source as CodeSource;
    const allowed = codeColumns(source);
    const dup = new Set<string>();
    columns.forEach((c, i) => {
      if (dup.has(c.key)) {
        fail(ctx, keyNode(i), `columns[${i}].key`, `栏“${c.key}”重复`);
        return;
      }
      dup.add(c.key);
      const expected: [string, ColumnKind] | undefined = i === 0 ? ['code', 'code'] : i === 1 ? ['name', 'text'] : undefined;
      if (expected) {
        if (c.key !== expected[0]) fail(ctx, keyNode(i), `columns[${i}].key`, `第 ${i + 1} 栏应为“${expected[0]}”（${i === 0 ? '科目代码' : '科目名称'}），实际为“${c.key}”`);
        else if (c.kind !== expected[1]) fail(ctx, kindNode(i), `columns[${i}].kind`, `栏“${c.key}”的类型应为 ${expected[1]}，实际为 ${c.kind}`);
        return;
      }
      if (!allowed.includes(c.key)) fail(ctx, keyNode(i), `columns[${i}].key`, `未知的栏“${c.key}”：${source} 表可用的栏为 ${allowed.join('、')}`);
      else if (c.kind !== 'amount') fail(ctx, kindNode(i), `columns[${i}].kind`, `栏“${c.key}”的类型应为 amount，实际为 ${c.kind}`);
    });
    if (columns.length < 3 && problems.length === n0) fail(ctx, (root as YAMLMap).get('columns', true), 'columns', '科目表至少应有科目代码、科目名称和一个金额栏');
  }

  // Header grid: every row covers exactly the columns, spans stay inside the header.
  const header = v.header as HeaderSpecCell[][];
  const headerNode = (root as YAMLMap).get('header', true) as unknown as { items: unknown[] } | undefined;
  const n = columns.length;
  const covered = header.map(() => new Array<boolean>(n).fill(false));
  header.forEach((cells, r) => {
    let c = 0;
    const rowNode = headerNode?.items?.[r];
    for (const [ci, cell] of cells.entries()) {
      while (c < n && covered[r][c]) c++;
      const cellNode = (rowNode as { items?: unknown[] } | undefined)?.items?.[ci];
      if (c + cell.cols > n) {
        fail(ctx, cellNode, `header[${r}][${ci}]`, `表头第 ${r + 1} 行在“${cell.text}”处超出了 ${n} 栏（columns 列了 ${n} 栏）`);
        return;
      }
      if (r + cell.rows > header.length) {
        fail(ctx, cellNode, `header[${r}][${ci}]`, `表头单元格“${cell.text}”向下跨 ${cell.rows} 行，超出了表头的 ${header.length} 行`);
        return;
      }
      for (let rr = r; rr < r + cell.rows; rr++) for (let cc = c; cc < c + cell.cols; cc++) covered[rr][cc] = true;
      c += cell.cols;
    }
    const filled = covered[r].filter(Boolean).length;
    if (filled < n) fail(ctx, rowNode, `header[${r}]`, `表头第 ${r + 1} 行只覆盖了 ${filled} 栏，应覆盖全部 ${n} 栏（与 columns 一致）`);
  });
  const fmt = v.empty_note_format as string | undefined;
  if (fmt !== undefined) {
    const bad = [...fmt.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((x) => x !== 'note');
    const fmtNode = (root as YAMLMap).get('empty_note_format', true);
    if (bad.length) fail(ctx, fmtNode, 'empty_note_format', `未知的占位符“{${bad[0]}}”，只能使用 {note}`);
    else if (!fmt.includes('{note}')) fail(ctx, fmtNode, 'empty_note_format', '空表说明的句式须包含 {note}（数据中的说明或 empty_note），否则数据中的说明不会印出');
  }
  if (problems.length > n0) return undefined;

  const labels: Record<string, string | string[]> = {};
  for (const k of Object.keys(contract.labels)) labels[k] = v[k] as string | string[];
  return {
    orientation: v.orientation as TableSpec['orientation'], layout, source: v.source as CodeSource | undefined,
    columns, header, notes: v.notes as string[],
    emptyNote: (v.empty_note as string | undefined) ?? '本单位本年度无相关收支，故本表无数据',
    emptyNoteFormat: (v.empty_note_format as string | undefined) ?? '说明：{note}。',
    labels,
  };
}

/** Fill {year}/{department} placeholders (checked at load). */
export function fillTitle(s: string, values: { year: number; department: string }): string {
  return s.replace(/\{(year|department)\}/g, (_, k: 'year' | 'department') => String(values[k]));
}
