/**
 * Build the tables of the document from the profile's table specs
 * (profiles/<id>/tables/*.yaml: columns, header grid, labels, notes; checked
 * against their layout when the profile is loaded) and the derived facts. Every amount cell carries its exact value and display text; a
 * total carries `sumOf` only where its shown value equals the sum of the shown
 * parts, so a spreadsheet formula gives back the printed figure.
 */
import Decimal from 'decimal.js';
import { BodyRow, Cell, Column, HeaderCell, Table } from '../document/types';
import { Facts } from '../derive/facts';
import { CodeTable, columnIndex, Figure } from '../derive/tables';
import { grouped, shown, ZERO } from '../format/number';
import { fillTitle, Profile, ProfileTable, TableSpec } from '../profile/load';
import { LAYOUTS } from '../profile/layouts';
import { chineseNumber } from './templates';

type Spec = TableSpec & { labels: Record<string, string | string[]> };
interface Ctx { f: Facts; profile: Profile; pt: ProfileTable }

const money = (d: Decimal): Cell => ({ text: grouped(d), amount: { value: shown(d).toFixed(2), text: grouped(d) } });
const text = (t: string, align?: Cell['align']): Cell => (align ? { text: t, align } : { text: t });
const blank = (): Cell => ({ text: '' });

/** A total cell: formula references only when the shown value equals the sum of the shown parts. */
function totalCell(value: Decimal, parts: Array<[number, number]>, partValues: Decimal[]): Cell {
  const c = money(value);
  const sum = partValues.reduce((a, b) => a.plus(shown(b)), ZERO);
  if (parts.length && shown(value).equals(sum)) c.sumOf = parts;
  else if (parts.length) c.printedTotal = true;
  return c;
}

function header(spec: TableSpec): { header: HeaderCell[][]; columnNumberRow: number } {
  const header = spec.header.map((row) => row.map((c) => ({ text: c.text, colSpan: c.cols, rowSpan: c.rows })));
  const last = header[header.length - 1];
  const isNumbers = last.every((c) => c.text === '栏次' || /^\d+$/.test(c.text));
  return { header, columnNumberRow: isNumbers ? header.length - 1 : -1 };
}

function frame(c: Ctx, body: BodyRow[], extraNotes: string[] = []): Table {
  const { pt, profile, f } = c;
  const spec = pt.spec;
  const vals = { year: f.year, department: f.department };
  const t: Table = {
    id: pt.id,
    title: fillTitle(pt.title, vals),
    label: pt.label,
    departmentLine: pt.inline ? undefined : fillTitle(profile.tableLines.department, vals),
    // a table without amounts (e.g. the list of units) has no unit line
    unitLine: !spec.columns.some((c) => c.kind === 'amount' || c.kind === 'percent') ? '' : pt.inline ? profile.tableLines.inlineUnit : profile.tableLines.unit,
    orientation: spec.orientation,
    columns: spec.columns.map((c) => ({ width: c.width, kind: c.kind, align: c.kind === 'amount' || c.kind === 'percent' || c.kind === 'count' ? 'right' : c.kind === 'lineNo' ? 'center' : 'left' })),
    ...header(spec),
    body,
    notes: [...spec.notes, ...extraNotes],
  };
  return t;
}

function codeTableBody(spec: Spec, t: CodeTable): BodyRow[] {
  const amountKeys = spec.columns.slice(2).map((c) => c.key);
  const colIndex = (key: string) => columnIndex(t, key);
  if (t.empty) {
    return [{ role: 'total', level: 0, cells: [{ text: '合计', colSpan: 2, align: 'center' }, ...amountKeys.map(blank)] }];
  }
  const rows: BodyRow[] = [];
  t.rows.forEach((r, ri) => {
    const children = t.rows
      .map((x, i) => [x, i] as const)
      .filter(([x]) => (r.level === 0 ? x.level === 1 : x.level === r.level + 1 && x.code.startsWith(r.code)));
    const cells: Cell[] = r.level === 0 ? [{ text: '合计', colSpan: 2, align: 'center' }] : [text(r.code), text(r.name)];
    amountKeys.forEach((key, ki) => {
      const fig: Figure = r.cols[colIndex(key)];
      if (r.level < 3 && children.length) {
        cells.push(totalCell(fig.value, children.map(([, i]) => [i, ki + 2] as [number, number]), children.map(([x]) => x.cols[colIndex(key)].value)));
      } else if (key === 'total' && t.hasTotalColumn) {
        // a 项 row's column 1 totals its own component columns
        const comps = amountKeys.slice(1).filter((k) => t.keys.includes(k));
        cells.push(totalCell(fig.value, comps.map((k) => [ri, amountKeys.indexOf(k) + 2] as [number, number]), comps.map((k) => r.cols[colIndex(k)].value)));
      } else cells.push(money(fig.value));
    });
    rows.push({ role: r.level === 0 ? 'total' : r.level === 3 ? 'data' : 'subtotal', level: Math.max(0, r.level - 1), cells });
  });
  return rows;
}

/**
 * 公开01表: income rows on the left, one row per catalog 类 on the right, side by
 * side; 行次 run down the left column and then the right one (the form's
 * numbering), so they follow the catalog's length.
 */
function summary01(spec: Spec, f: Facts): BodyRow[] {
  const s = f.tables.summary.t01;
  const labels = spec.labels.income_rows as string[];
  const rows: BodyRow[] = [];
  const n = Math.max(labels.length, s.expenditure.length);
  const right = n + 5; // 行次 of the left column's last row (总计)
  const no = (k: number) => text(String(k));
  for (let i = 0; i < n; i++) {
    const e = s.expenditure[i];
    const left: Cell[] = i < labels.length ? [text(labels[i]), no(i + 1), money(s.income[i].value)] : [blank(), no(i + 1), blank()];
    const rightCells: Cell[] = e ? [text(`${chineseNumber(i + 1)}、${e.name}`), no(right + 1 + i), money(e.value.value)] : [blank(), no(right + 1 + i), blank()];
    rows.push({ role: i < labels.length || e ? 'data' : 'filler', level: 0, cells: [...left, ...rightCells] });
  }
  const rng = (from: number, to: number, col: number) => Array.from({ length: to - from + 1 }, (_, k) => [from + k, col] as [number, number]);
  const ni = labels.length;
  const ne = s.expenditure.length;
  const r = right + n; // 行次 before the right column's totals
  rows.push({
    role: 'total', level: 0, cells: [
      text(spec.labels.income_total as string, 'center'), no(n + 1), totalCell(s.incomeTotal.value, rng(0, ni - 1, 2), s.income.map((x) => x.value)),
      text(spec.labels.expenditure_total as string, 'center'), no(r + 1), totalCell(s.expenditureTotal.value, rng(0, ne - 1, 5), s.expenditure.map((x) => x.value.value)),
    ],
  });
  rows.push({ role: 'data', level: 0, cells: [text(spec.labels.nonfiscal_balance_used as string), no(n + 2), money(s.nonfiscalBalanceUsed.value), text(spec.labels.surplus_distribution as string), no(r + 2), money(s.surplusDistribution.value)] });
  rows.push({ role: 'data', level: 0, cells: [text(spec.labels.opening_balance as string), no(n + 3), money(s.opening.value), text(spec.labels.closing_balance as string), no(r + 3), money(s.closing.value)] });
  rows.push({ role: 'filler', level: 0, cells: [blank(), no(n + 4), blank(), blank(), no(r + 4), blank()] });
  rows.push({
    role: 'total', level: 0, cells: [
      text(spec.labels.grand_total as string, 'center'), no(n + 5), totalCell(s.grandIncome.value, rng(n, n + 2, 2), [s.incomeTotal.value, s.nonfiscalBalanceUsed.value, s.opening.value]),
      text(spec.labels.grand_total as string, 'center'), no(r + 5), totalCell(s.grandExpenditure.value, rng(n, n + 2, 5), [s.expenditureTotal.value, s.surplusDistribution.value, s.closing.value]),
    ],
  });
  return rows;
}

function summary04(spec: Spec, f: Facts): BodyRow[] {
  const s = f.tables.summary.t04;
  const labels = spec.labels.income_rows as string[];
  const openingLabels = spec.labels.opening_rows as string[];
  const rows: BodyRow[] = [];
  const rng = (from: number, to: number, col: number) => Array.from({ length: to - from + 1 }, (_, k) => [from + k, col] as [number, number]);
  const kinds = ['general', 'gov_fund', 'state_capital'] as const;
  const splitCells = (sp: typeof s.expenditureTotal, row: number, vertical?: Array<[number, number]>, partsOf?: (k: 'total' | (typeof kinds)[number]) => Decimal[]): Cell[] => {
    const keys = ['total', ...kinds] as const;
    return keys.map((k, ki) => {
      const col = 5 + ki;
      const v = sp[k].value;
      if (vertical && partsOf) return totalCell(v, vertical.map(([r]) => [r, col] as [number, number]), partsOf(k));
      if (k === 'total') return totalCell(v, kinds.map((_, j) => [row, 6 + j] as [number, number]), kinds.map((kk) => sp[kk].value));
      return money(v);
    });
  };
  // 行次: the left column (n rows, 本年收入合计, 年初 and its three kinds, 总计), then the right one
  const n = Math.max(labels.length, s.expenditure.length);
  const L = n + 6;
  const r = L + n;
  for (let i = 0; i < n; i++) {
    const e = s.expenditure[i];
    const left: Cell[] = i < labels.length ? [text(labels[i]), text(String(i + 1)), money(s.income[i].value)] : [blank(), text(String(i + 1)), blank()];
    const right: Cell[] = e ? [text(`${chineseNumber(i + 1)}、${e.name}`), text(String(L + 1 + i)), ...splitCells(e.split, i)] : [blank(), text(String(L + 1 + i)), blank(), blank(), blank(), blank()];
    rows.push({ role: i < labels.length || e ? 'data' : 'filler', level: 0, cells: [...left, ...right] });
  }
  const ne = s.expenditure.length;
  rows.push({
    role: 'total', level: 0, cells: [
      text(spec.labels.income_total as string, 'center'), text(String(n + 1)), totalCell(s.incomeTotal.value, rng(0, labels.length - 1, 2), s.income.map((x) => x.value)),
      text(spec.labels.expenditure_total as string, 'center'), text(String(r + 1)),
      ...splitCells(s.expenditureTotal, n, rng(0, ne - 1, 0), (k) => s.expenditure.map((e) => e.split[k].value)),
    ],
  });
  rows.push({
    role: 'subtotal', level: 0, cells: [
      text(spec.labels.opening_balance as string), text(String(n + 2)), totalCell(s.opening.value, rng(n + 2, n + 4, 2), s.openingByKind.map((x) => x.value)),
      text(spec.labels.closing_balance as string), text(String(r + 2)), ...splitCells(s.closing, n + 1),
    ],
  });
  for (let k = 0; k < 3; k++) {
    rows.push({
      role: 'data', level: 1, cells: [text(openingLabels[k]), text(String(n + 3 + k)), money(s.openingByKind[k].value), blank(), text(String(r + 3 + k)), blank(), blank(), blank(), blank()],
    });
  }
  rows.push({
    role: 'total', level: 0, cells: [
      text(spec.labels.grand_total as string, 'center'), text(String(n + 6)), totalCell(s.grandIncome.value, [[n, 2], [n + 1, 2]], [s.incomeTotal.value, s.opening.value]),
      text(spec.labels.grand_total as string, 'center'), text(String(r + 6)),
      ...splitCells(s.grandExpenditure, n + 5, [[n, 0], [n + 1, 0]], (k) => [s.expenditureTotal[k].value, s.closing[k].value]),
    ],
  });
  return rows;
}

function economicGrid(spec: Spec, f: Facts): BodyRow[] {
  const t = f.tables.t06;
  type Line = { code: string; name: string; value: Decimal; classIdx?: number; itemCount?: number; isClass: boolean };
  // one (科目代码, 科目名称, 决算数) group per code<n> column of the spec
  const groupCount = spec.columns.filter((c) => /^code\d$/.test(c.key)).length;
  const groups: Line[][] = Array.from({ length: groupCount }, () => []);
  for (const c of t.classes) {
    const g = groups[Math.min(c.column, groupCount) - 1];
    g.push({ code: c.code, name: c.name, value: c.value.value, isClass: true, itemCount: c.items.length });
    for (const i of c.items) g.push({ code: i.code, name: i.name, value: i.value.value, isClass: false });
  }
  const height = Math.max(...groups.map((g) => g.length));
  const rows: BodyRow[] = [];
  for (let r = 0; r < height; r++) {
    const cells: Cell[] = [];
    let anyClass = false;
    groups.forEach((g, gi) => {
      const line = g[r];
      if (!line) {
        cells.push(blank(), blank(), blank());
        return;
      }
      anyClass ||= line.isClass;
      if (line.isClass) {
        const items = g.slice(r + 1, r + 1 + line.itemCount!);
        cells.push(text(line.code), text(line.name), totalCell(line.value, items.map((_, k) => [r + 1 + k, gi * 3 + 2] as [number, number]), items.map((x) => x.value)));
      } else cells.push(text(line.code), text(line.name), money(line.value));
    });
    rows.push({ role: anyClass ? 'subtotal' : 'data', level: 0, cells });
  }
  // Footer: 人员经费合计 under group 1; 公用经费合计 across the other groups.
  const classRef = (group: 'personnel' | 'public') => {
    const refs: Array<[number, number]> = [];
    const vals: Decimal[] = [];
    groups.forEach((g, gi) => g.forEach((line, r) => {
      const c = t.classes.find((x) => x.code === line.code && line.isClass);
      if (c && c.group === group) { refs.push([r, gi * 3 + 2]); vals.push(line.value); }
    }));
    return { refs, vals };
  };
  const p = classRef('personnel');
  const q = classRef('public');
  rows.push({
    role: 'total', level: 0, cells: [
      { text: spec.labels.personnel_total as string, colSpan: 2, align: 'center' }, totalCell(t.personnel.value, p.refs, p.vals),
      { text: spec.labels.public_total as string, colSpan: (groupCount - 1) * 3 - 1, align: 'center' }, totalCell(t.public.value, q.refs, q.vals),
    ],
  });
  return rows;
}

/** The 三公 row: each column by its key (budget.x / actual.x), totals referring to their parts wherever they stand. */
function threePublic(spec: Spec, f: Facts): BodyRow[] {
  const t = f.tables.t09;
  const keys = spec.columns.map((c) => c.key);
  const at = (k: string) => keys.indexOf(k);
  const cells: Cell[] = keys.map((key) => {
    const [side, item] = key.split('.') as ['budget' | 'actual', string];
    const s = t[side];
    const refs = (parts: string[]) => parts.map((p) => [0, at(`${side}.${p}`)] as [number, number]);
    if (item === 'total') return totalCell(s.total.value, refs(['abroad', 'cars', 'reception']), [s.abroad.value, s.cars.value, s.reception.value]);
    if (item === 'cars') return totalCell(s.cars.value, refs(['car_purchase', 'car_operation']), [s.car_purchase.value, s.car_operation.value]);
    return money((s as unknown as Record<string, Figure>)[item].value);
  });
  return [{ role: 'data', level: 0, cells }];
}

/** 序号, 单位名称, 备注 of the units in the 部门决算. */
function unitList(spec: Spec, f: Facts): BodyRow[] {
  return f.more.units.list.map((u) => ({
    role: 'data' as const, level: 0 as const,
    cells: spec.columns.map((c) => (c.key === 'no' ? text(String(u.no), 'center') : c.key === 'name' ? text(u.name) : blank())),
  }));
}

/**
 * Leave out the layout's optional columns the spec does not list (e.g. 行次 of a
 * form that prints none): cells are dropped or their spans shortened, formula
 * references follow, and filler rows that are left empty go.
 */
function omitColumns(spec: Spec, body: BodyRow[]): BodyRow[] {
  const all = LAYOUTS[spec.layout].columns?.map(([k]) => k) ?? [];
  const keep = all.map((k) => spec.columns.some((c) => c.key === k));
  if (keep.every(Boolean)) return body;
  const newCol: number[] = [];
  keep.reduce((n, k, i) => ((newCol[i] = k ? n : -1), k ? n + 1 : n), 0);
  const rows = body.map((r) => {
    let col = 0;
    const cells: Cell[] = [];
    for (const c of r.cells) {
      const span = c.colSpan ?? 1;
      const kept = keep.slice(col, col + span).filter(Boolean).length;
      col += span;
      if (!kept) continue;
      const cc: Cell = { ...c };
      if (span > 1 || c.colSpan !== undefined) cc.colSpan = kept;
      if (cc.colSpan === 1 && c.colSpan === undefined) delete cc.colSpan;
      cells.push(cc);
    }
    return { ...r, cells };
  });
  const dropRow = rows.map((r) => r.role === 'filler' && r.cells.every((c) => c.text === ''));
  const newRow: number[] = [];
  dropRow.reduce((n, d, i) => ((newRow[i] = d ? -1 : n), d ? n : n + 1), 0);
  return rows.filter((_, i) => !dropRow[i]).map((r) => ({
    ...r,
    cells: r.cells.map((c) => {
      if (!c.sumOf) return c;
      const refs = c.sumOf.map(([rr, cc]) => [newRow[rr], newCol[cc]] as [number, number]).filter(([rr, cc]) => rr >= 0 && cc >= 0);
      const out: Cell = { ...c, sumOf: refs };
      if (!refs.length) delete out.sumOf;
      return out;
    }),
  }));
}

const percentCell = (d: Decimal | undefined): Cell =>
  d === undefined ? { text: '' } : { text: `${shown(d).toFixed(2)}%`, amount: { value: shown(d).toFixed(2), text: `${shown(d).toFixed(2)}%` } };

/** In-text tables of the 附件 (no 公开 label, 单位 line only). */
function budgetExecution(f: Facts): BodyRow[] {
  const a = f.att!;
  const b = a.budget;
  const trio = (basic: Decimal, project: Decimal, totalValue: Decimal, base: number): Cell[] =>
    [money(basic), money(project), totalCell(totalValue, [[0, base], [0, base + 1]], [basic, project])];
  return [{
    role: 'data', level: 0, cells: [
      ...trio(b.initialBasic, b.initialProject, b.initialTotal.value, 0),
      ...trio(b.adjustedBasic.value, b.adjustedProject.value, b.adjustedTotal.value, 3),
      ...trio(a.actual.basic, a.actual.project, a.actual.total, 6),
    ],
  }];
}

function basicExecution(f: Facts): BodyRow[] {
  const e = f.att!.basicExec;
  const row = (x: typeof e.personnel, role: BodyRow['role']): BodyRow => ({
    role, level: 0, cells: [
      text(x.label, role === 'total' ? 'center' : undefined),
      role === 'total' ? totalCell(x.budget, [[0, 1], [1, 1]], [e.personnel.budget, e.public.budget]) : money(x.budget),
      role === 'total' ? totalCell(x.actual, [[0, 2], [1, 2]], [e.personnel.actual, e.public.actual]) : money(x.actual),
      role === 'total' ? totalCell(x.balance, [[0, 3], [1, 3]], [e.personnel.balance, e.public.balance]) : money(x.balance),
      percentCell(x.rate),
    ],
  });
  return [row(e.personnel, 'data'), row(e.public, 'data'), row(e.total, 'total')];
}

export function composeTables(f: Facts, profile: Profile): Map<string, Table> {
  const out = new Map<string, Table>();
  const m = f.model;
  for (const pt of profile.tables) {
    const spec = pt.spec;
    const c: Ctx = { f, profile, pt };
    let body: BodyRow[];
    const extra: string[] = [];
    switch (spec.layout) {
      case 'summary-01': body = omitColumns(spec, summary01(spec, f)); break;
      case 'summary-04': body = omitColumns(spec, summary04(spec, f)); break;
      case 'economic-grid': body = economicGrid(spec, f); break;
      case 'three-public': body = threePublic(spec, f); break;
      case 'unit-list': body = unitList(spec, f); break;
      case 'code-table': {
        const t = f.tables[spec.source!];
        body = codeTableBody(spec, t);
        const note = spec.source === 't07' ? m.t07.emptyNote : spec.source === 't08' || spec.source === 't08_balances' ? m.t08.emptyNote : undefined;
        if (t.empty) extra.push(fillTitle(spec.emptyNoteFormat.replace('{note}', note ?? spec.emptyNote), { year: f.year, department: f.department }));
        break;
      }
      case 'budget-execution':
      case 'basic-execution':
        // tables of the 附件: only when the data has an attachment
        if (!f.att) continue;
        body = spec.layout === 'budget-execution' ? budgetExecution(f) : basicExecution(f);
        break;
    }
    out.set(pt.id, frame(c, body, extra));
  }
  return out;
}
