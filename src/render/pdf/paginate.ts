/**
 * Pagination: walks the ReportDocument and flows its blocks onto pages,
 * producing a display list (positioned text lines and rules) per page and the
 * anchors the outline points at. Knows nothing of PDF objects.
 *
 * Rules: a cover page from meta.titlePage; each part on a new page; headings
 * kept with what follows; no single line of a paragraph alone at a page foot
 * or head; each 公开 table (with a label) on a new page in its orientation,
 * with title, label, 部门/单位 line, the table (header rows repeated on every
 * page, no row split) and its notes; in-text tables flow inline.
 */
import type { Block, ReportDocument, Table, Paragraph, Heading } from '../../document/types';
import type { FontSet, FontRole } from './fonts';
import { layoutText, textItem, simpleItem, type ItemTag, type LaidLine, type TextItem, type TextStyle } from './paragraph';
import { crampOf, layoutTable, drawTableSlice, type RulesItem, type TableLayout, type TableNodes } from './table';
import { StructNode, type StructType } from './structure';
import { lineText } from './linebreaker';
import {
  INLINE_TABLE_SIZES,
  INLINE_TABLE_TITLE_PITCH,
  INLINE_TABLE_TITLE_SIZE,
  baselineOffset,
  pdfStyle,
  textHeight,
  textWidth,
  type Orientation,
  type PageGeometry,
  type PdfStyle,
} from './style';
import { headingRank, withLayout, type HeadingRank } from '../../layout/spec';
import { layoutMemo } from './layout-cache';
import { saveFontCaches } from './fonts';
import { createHash } from 'crypto';

/** A table's content, hashed once per table object (the key of its memoised trial layouts). */
const tableKeys = new WeakMap<Table, string>();

/** The fitting figures of a trial layout, memoised with the table's layouts (computed directly when caches are off). */
function tableSummary(table: Table, fonts: FontSet, size: number, avail: number, geometryKey: string, compute: () => [number, number, number, number]): [number, number, number, number] {
  const memo = layoutMemo(fonts.key);
  if (!memo) return compute();
  return memo.summary(tableKey(table), `${size}|${avail}|${geometryKey}`, compute);
}

function tableKey(table: Table): string {
  let k = tableKeys.get(table);
  if (k === undefined) {
    k = createHash('sha256').update(JSON.stringify(table)).digest('hex');
    tableKeys.set(table, k);
  }
  return k;
}

/** layoutTable, memoised across builds by the table's exact content (see layout-cache.ts). */
function layoutTableMemo(table: Table, fonts: FontSet, size: number, avail: number): TableLayout {
  const memo = layoutMemo(fonts.key);
  if (!memo) return layoutTable(table, fonts, size, avail);
  return memo.table(tableKey(table), `${size}|${avail}`, () => layoutTable(table, fonts, size, avail));
}

/**
 * The style of the render in progress (set by paginate, which is synchronous,
 * so one render never sees another's).
 */
let S: PdfStyle = pdfStyle();

function geometry(o: Orientation): PageGeometry {
  return o === 'landscape' ? S.landscape : S.portrait;
}

export type Item = TextItem | RulesItem;

export interface Page {
  geometry: PageGeometry;
  items: Item[];
  /** Printed page number, or null (cover, 目录). */
  number: number | null;
  /** Link areas (目录 entries) and the page index and y they go to. */
  links?: Link[];
}

export interface Link {
  rect: [number, number, number, number];
  /** Index into the pages (after the 目录 is in place) and the y of the target. */
  page: number;
  y: number;
}

export interface Anchor {
  kind: 'part' | 'heading' | 'table';
  title: string;
  /** 0: part; 1: level-1 section or 公开 table; 2: level-2 section. */
  level: 0 | 1 | 2;
  page: number;
  /** Top of the anchored block (PDF y). */
  y: number;
  /**
   * The entry's text in the 目录 when the anchor is listed there (parts,
   * "一、" sections, 公开 tables: the entries of the Word TOC, in the same order).
   */
  toc?: string;
}

/** Where the rows of a table went (for checks and diagnostics). */
export interface TableSlice {
  tableId: string;
  page: number;
  /** Body rows [from, to) on this page, under a full copy of the header. */
  from: number;
  to: number;
  /** Top of the header and bottom of the last row (PDF y). */
  top: number;
  bottom: number;
  headerHeight: number;
  /** Cell size chosen for the table. */
  size: number;
}

/** The fitting decision for one table (read by the Word writer). */
export interface TableFit {
  orientation: Orientation;
  layout: TableLayout;
  /** Body rows [from, to) of each page the table is on. */
  pages: Array<[number, number]>;
}

export interface LayoutResult {
  pages: Page[];
  /** Table fitting by table id. */
  tables: Map<string, TableFit>;
  /** Number of 目录 pages (after the cover). */
  tocPages: number;
  anchors: Anchor[];
  slices: TableSlice[];
  /** The logical structure (tagged PDF). */
  structure: StructNode;
  /** Each part title's lines as set (by the title text), so the Word file breaks them where the PDF does. */
  partTitleLines?: Map<string, string[]>;
}

// ---------------------------------------------------------------------------
// Text styles

/** Space above and below an in-text table. */
const inlineTableSpace = () => S.bodyPitch / 2;

const bodyStyle = (): TextStyle => ({ role: 'serif', size: S.bodySize, pitch: S.bodyPitch, indentEm: S.spec.body.indentChars, align: 'justify' });
const plainStyle = (): TextStyle => ({ ...bodyStyle(), indentEm: 0 });
const noteStyle = (): TextStyle => ({ role: 'serif', size: S.noteSize, pitch: S.notePitch, indentEm: 0, align: 'justify' });

/** The PDF face for a 公文 face role (楷体 falls back to the body face when no 楷体 font is loaded). */
export function pdfRole(face: import('../../layout/spec').FaceRole, bold: boolean, fonts: FontSet): FontRole {
  switch (face) {
    case 'hei':
      return 'sans';
    case 'kai':
      return fonts.kaiRole(bold);
    case 'xiaobiaosong':
      return 'serifBold';
    default:
      return bold ? 'serifBold' : 'serif';
  }
}

function headingStyle(h: Pick<Heading, 'level' | 'text'>, fonts: FontSet): TextStyle {
  const rank: HeadingRank = headingRank(h);
  const hs = S.spec.headings[rank];
  return { role: pdfRole(hs.face, hs.bold, fonts), size: hs.sizePt, pitch: S.bodyPitch, indentEm: hs.indentChars, align: 'justify' };
}

function paragraphStyle(p: Paragraph): TextStyle {
  return p.style === 'note' ? noteStyle() : p.style === 'plain' ? plainStyle() : bodyStyle();
}

const partStyle = (fonts: FontSet): TextStyle => ({
  role: pdfRole(S.spec.partTitle.face, S.spec.partTitle.bold, fonts),
  size: S.titleSize,
  pitch: S.bodyPitch * 1.5,
  indentEm: 0,
  align: 'center',
});

function tableNoteStyle(size: number): TextStyle {
  const s = Math.max(size, 10.5);
  return { role: 'serif', size: s, pitch: s * 1.4, indentEm: 0, align: 'justify' };
}

// ---------------------------------------------------------------------------

class Flow {
  readonly pages: Page[] = [];
  readonly anchors: Anchor[] = [];
  readonly slices: TableSlice[] = [];
  readonly structure = new StructNode('Document');
  /** Tables laid out in this render (fonts differ between renders). */
  readonly tables = new Map<Table, TableChoice>();
  readonly partTitleLines = new Map<string, string[]>();
  /** The structure element new blocks go into (the current part). */
  section: StructNode = this.structure;
  page!: Page;
  /** Top of the free space (PDF y). */
  y = 0;
  /** Nothing but kept-with-next headings on this page yet. */
  fresh = true;
  private numbered = 0;
  /** Pages of the 目录 (after the cover). */
  tocPages = 0;

  constructor(readonly fonts: FontSet) {}

  get g(): PageGeometry {
    return this.page.geometry;
  }
  get left(): number {
    return this.g.left;
  }
  get width(): number {
    return textWidth(this.g);
  }
  get bottom(): number {
    return this.g.bottom;
  }
  get room(): number {
    return this.y - this.bottom;
  }
  /** The cursor is at the top of the type area. */
  get atTop(): boolean {
    return Math.abs(this.y - (this.g.height - this.g.top)) < 0.01;
  }

  newPage(orientation: Orientation, numbered = true): void {
    const g = geometry(orientation);
    this.page = { geometry: g, items: [], number: numbered ? ++this.numbered : null };
    this.pages.push(this.page);
    this.y = g.height - g.top;
    this.fresh = true;
  }

  /** Make sure we are on a page of `orientation`, with `height` of room. */
  need(height: number, orientation: Orientation = 'portrait'): void {
    if (this.page.geometry.orientation !== orientation) this.newPage(orientation);
    else if (height > this.room + 0.01 && !(this.fresh && this.atTop)) this.newPage(orientation);
  }

  add(item: Item): void {
    this.page.items.push(item);
  }

  anchor(a: Omit<Anchor, 'page' | 'y'>, y = this.y): void {
    this.anchors.push({ ...a, page: this.pages.length - 1, y });
  }

  /** Place one laid line at the cursor. */
  placeLine(l: LaidLine, tag: ItemTag, node: StructNode): void {
    const y = this.y - baselineOffset(l.style.pitch, l.style.size);
    const item = textItem(l, this.left, y, tag);
    item.node = node;
    this.add(item);
    this.y -= l.style.pitch;
  }
}

// ---------------------------------------------------------------------------

/**
 * Height that must go with a heading: the block at `i` and, through a chain
 * of headings, the first lines of what follows them.
 */
function leadHeight(blocks: Block[], i: number, flow: Flow): number {
  const block = blocks[i];
  if (!block) return 0;
  if (block.kind === 'heading') {
    const lines = layoutText(block.text, headingStyle(block, flow.fonts), flow.width, flow.fonts);
    return lines.length * S.bodyPitch + leadHeight(blocks, i + 1, flow);
  }
  if (block.kind === 'paragraph') {
    const st = paragraphStyle(block);
    const lines = layoutText(block.sentences.join(''), st, flow.width, flow.fonts);
    // The first piece a paragraph may leave on a page: two lines, or all
    // three of a three-line paragraph (2 + 1 would leave a widow).
    return (lines.length === 3 ? 3 : Math.min(2, lines.length)) * st.pitch;
  }
  const t = block.table;
  if (t.label === undefined && t.orientation !== 'landscape') return inlineTableLead(flow, t) + inlineTableSpace();
  return 0; // tables on a page of their own take their heading with them
}

function placeParagraphLines(flow: Flow, lines: LaidLine[], tag: ItemTag): void {
  const node = flow.section.add('P');
  let i = 0;
  const n = lines.length;
  while (i < n) {
    if (flow.page.geometry.orientation !== 'portrait') flow.newPage('portrait');
    const pitch = lines[i].style.pitch;
    let fit = Math.floor((flow.room + 0.01) / pitch);
    const left = n - i;
    if (fit >= left) fit = left;
    else {
      // Widow: never one line alone at the head of the next page;
      // orphan: never one line alone at the foot of this one.
      if (left - fit === 1) fit -= 1;
      if (fit === 1 && !flow.fresh) fit = 0;
    }
    if (fit <= 0) {
      if (flow.fresh) fit = 1; // a page that cannot take even one line: place anyway
      else {
        flow.newPage('portrait');
        continue;
      }
    }
    for (let k = 0; k < fit; k++) flow.placeLine(lines[i + k], tag, node);
    flow.fresh = false;
    i += fit;
    if (i < n) flow.newPage('portrait');
  }
}

function placeHeading(flow: Flow, blocks: Block[], i: number): void {
  const h = blocks[i] as Heading;
  const lines = layoutText(h.text, headingStyle(h, flow.fonts), flow.width, flow.fonts);
  // What the heading (or its chain of headings) introduces.
  let j = i + 1;
  while (blocks[j]?.kind === 'heading') j++;
  const next = blocks[j];
  const tableFollows = isBreakingTable(next);
  // A heading goes on a page of the orientation of what follows it.
  const orientation: Orientation = tableFollows && orientationOf(flow, next.table) === 'landscape' ? 'landscape' : 'portrait';
  if (flow.page.geometry.orientation !== orientation) flow.newPage(orientation);
  else if (tableFollows) {
    // The table that follows starts a new page: take the heading with it.
    if (!flow.fresh) flow.newPage(orientation);
  } else if (lines.length * S.bodyPitch + leadHeight(blocks, i + 1, flow) > flow.room + 0.01 && !flow.fresh) {
    flow.newPage('portrait');
  }
  const wasFresh = flow.fresh;
  const inToc = headingRank(h) === 1;
  if (h.level <= 2 || inToc) flow.anchor({ kind: 'heading', title: h.text, level: h.level === 1 ? 1 : 2, ...(inToc ? { toc: h.text } : {}) });
  const node = flow.section.add(`H${h.level + 1}` as StructType);
  for (const l of lines) flow.placeLine(l, 'heading', node);
  // A heading does not end a fresh page's freshness for a following table.
  flow.fresh = wasFresh && tableFollows;
}

// ---------------------------------------------------------------------------
// Tables

interface TableFurniture {
  /** Lines above the table (title, label, 部门/单位 line). */
  top: Array<{ kind: 'title' | 'meta'; items: (left: number, width: number, y: number) => TextItem[]; height: number }>;
  notes: Array<LaidLine & { note: number }>;
  height: number;
}

function furniture(table: Table, flow: Flow, size: number, width: number): TableFurniture {
  const fonts = flow.fonts;
  const top: TableFurniture['top'] = [];
  const labelled = table.label !== undefined;
  const titleStyle: TextStyle = labelled
    ? { role: 'serifBold', size: S.tableTitleSize, pitch: S.spec.tables.titlePitchPt, indentEm: 0, align: 'center' }
    : { role: 'serifBold', size: INLINE_TABLE_TITLE_SIZE, pitch: INLINE_TABLE_TITLE_PITCH, indentEm: 0, align: 'center' };
  if (table.title) {
    const lines = layoutText(table.title, titleStyle, width, fonts);
    for (const l of lines) {
      top.push({
        kind: 'title',
        height: titleStyle.pitch,
        items: (left, _w, y) => [textItem(l, left, y - baselineOffset(titleStyle.pitch, titleStyle.size), 'table-title')],
      });
    }
  }
  const metaSize = labelled ? S.tableMetaSize : Math.max(size, 10.5);
  const metaPitch = labelled ? S.spec.tables.metaPitchPt : metaSize * 1.6;
  const base = (y: number) => y - baselineOffset(metaPitch, metaSize);
  if (table.label) {
    const label = table.label;
    top.push({
      kind: 'meta',
      height: metaPitch,
      items: (left, w, y) => [simpleItem(label, 'serif', metaSize, left + w - fonts.measure(label, 'serif', metaSize), base(y), 'table-meta')],
    });
  }
  const dept = table.departmentLine;
  const unit = table.unitLine;
  if (dept || unit) {
    top.push({
      kind: 'meta',
      height: metaPitch,
      items: (left, w, y) => {
        const out: TextItem[] = [];
        if (dept) out.push(simpleItem(dept, 'serif', metaSize, left, base(y), 'table-meta'));
        if (unit) out.push(simpleItem(unit, 'serif', metaSize, left + w - fonts.measure(unit, 'serif', metaSize), base(y), 'table-meta'));
        return out;
      },
    });
  }
  const ns = tableNoteStyle(size);
  // "注：1.…" then "2.…": later numbered notes align under the first number.
  const lead = /^((?:注|说明)：)\d/.exec(table.notes[0] ?? '');
  const hang = lead ? fonts.measure(lead[1], ns.role, ns.size) : 0;
  const notes = table.notes.flatMap((n, i) => {
    const indent = i > 0 && hang > 0 && /^\d/.test(n) ? hang : 0;
    return layoutText(n, ns, width - indent, fonts).map((l) => ({ ...l, x: l.x + indent, note: i }));
  });
  const height = top.reduce((s, t) => s + t.height, 0) + (notes.length ? 4 : 0) + notes.length * ns.pitch;
  return { top, notes, height };
}

/**
 * Where a 公开 table breaks across pages: the body rows [from, to) of each
 * page, when the first page has `firstRoom` and later pages `pageRoom` of
 * height below their (repeated) header, and the notes need `notesHeight`
 * under the last row. The rules:
 *  - no continuation page holds fewer than `minRows` body rows (the rows go
 *    back to the page before only as far as that page keeps `minRows`);
 *  - a 类 or 款 row (subtotal) never ends a page without its first child;
 *  - total rows never stand alone on a page;
 *  - the notes go with the last rows.
 */
export function planRowBreaks(
  rows: ReadonlyArray<{ height: number }>,
  body: ReadonlyArray<{ role: string; level: number }>,
  firstRoom: number,
  pageRoom: number,
  notesHeight: number,
  minRows: number,
): Array<[number, number]> {
  const n = rows.length;
  const out: Array<[number, number]> = [];
  if (n === 0) return [[0, 0]];
  let r = 0;
  let room = firstRoom;
  const fitFrom = (from: number, space: number) => {
    let to = from;
    while (to < n && rows[to].height <= space + 0.01) {
      space -= rows[to].height;
      to++;
    }
    return { to, left: space };
  };
  do {
    let { to, left } = fitFrom(r, room);
    if (to === r) to = Math.min(n, r + 1); // a row taller than a page: place anyway
    if (to === n && n - r >= 2 && notesHeight > left + 0.01) {
      // The notes would go to the next page alone: rows go with them.
      to = Math.max(r + 1, n - minRows);
    }
    if (to < n) {
      const rest = n - to;
      // Does the rest fit one page (with the notes)? Then it must hold minRows.
      const restFits = fitFrom(to, pageRoom);
      if (restFits.to === n && rest < minRows) to = Math.max(r + Math.min(minRows, to - r), n - minRows);
      // A 类/款 row never ends a page without its first child.
      while (to - 1 > r && body[to - 1]?.role === 'subtotal' && (body[to]?.level ?? -1) > body[to - 1].level) to--;
      // Total rows never stand alone.
      while (to - 1 > r && body.slice(to).every((b) => b.role === 'total')) to--;
    }
    if (to <= r) to = r + 1;
    out.push([r, to]);
    r = to;
    room = pageRoom;
  } while (r < n);
  return out;
}

/**
 * Room a 公开 table leaves free at the foot of each page, so that the Word
 * file, laid out by Word or LibreOffice with their own rounding, breaks where
 * the PDF does.
 */
const TABLE_SAFETY = 4;

/** Pages a table would take when started at the top of a page. */
function pagesNeeded(t: TableLayout, f: TableFurniture, pageHeight: number, body: Table['body']): number {
  const topHeight = f.top.reduce((s, x) => s + x.height, 0);
  const notes = f.height - topHeight;
  return planRowBreaks(t.rows, body, pageHeight - topHeight - t.headerHeight - TABLE_SAFETY, pageHeight - t.headerHeight - TABLE_SAFETY, notes, S.spec.tables.minRowsPerPage).length;
}

/** Lines beyond the first in header and body rows: how much the cells wrap. */
function extraLines(t: TableLayout): number {
  const headerRows = t.headerHeights.map((_, r) => Math.max(0, ...t.header.filter((c) => c.rowSpan === 1 && c.row === r).map((c) => c.lines.length - 1)));
  return headerRows.reduce((a, b) => a + b, 0) + t.rows.reduce((s, r) => s + Math.max(0, ...r.cells.map((c) => c.lines.length - 1)), 0);
}

/**
 * Choose the cell size. In-text tables: the largest size whose columns fit.
 * 公开 tables, among sizes down to S.minTableSize (smaller only when
 * the columns need them): the fewest pages; then the largest size whose body
 * rows hardly wrap (at most a tenth of them), else the one that wraps least.
 */
function chooseTable(table: Table, flow: Flow, width: number, pageHeight: number): { t: TableLayout; f: TableFurniture } {
  const labelled = table.label !== undefined;
  const sizes = labelled ? S.labelledTableSizes : INLINE_TABLE_SIZES;
  const candidates: Array<{ t: TableLayout; f: TableFurniture; pages: number; extra: number }> = [];
  const tolerable = Math.max(2, table.body.length / 10);
  for (const size of sizes) {
    if (candidates.length && size < S.minTableSize) break;
    const t = layoutTableMemo(table, flow.fonts, size, width);
    // An in-text table is chosen from its trial layouts themselves (a 公开 table from their
    // fitting figures): the next build needs every one it looked at.
    if (!labelled) layoutMemo(flow.fonts.key)?.keep(t);
    if (!t.fits) continue;
    const f = furniture(table, flow, size, width);
    if (!labelled) return { t, f };
    const c = { t, f, pages: pagesNeeded(t, f, pageHeight, table.body), extra: extraLines(t) };
    // One page with rows that hardly wrap: no smaller size can do better.
    if (c.pages === 1 && c.extra <= tolerable) return c;
    candidates.push(c);
  }
  if (candidates.length) {
    const fewest = Math.min(...candidates.map((c) => c.pages));
    const pool = candidates.filter((c) => c.pages === fewest);
    const ok = pool.find((c) => c.extra <= tolerable);
    if (ok) return ok;
    return pool.reduce((a, b) => (b.extra < a.extra ? b : a));
  }
  const size = sizes[sizes.length - 1];
  return { t: layoutTableMemo(table, flow.fonts, size, width), f: furniture(table, flow, size, width) };
}

export interface TableChoice {
  t: TableLayout;
  f: TableFurniture;
  orientation: Orientation;
}

/** The orientation a table is set in: the fitting decision for 公开 tables, else the model's. */
function orientationOf(flow: Flow, table: Table): Orientation {
  return flow.tables.get(table)?.orientation ?? (table.orientation === 'landscape' ? 'landscape' : 'portrait');
}

/**
 * Table fitting, one decision for the whole report: each 公开 table's
 * orientation, the one body size of all of them, and (from those) the column
 * widths, all from the measured content.
 *  - At a size, a table takes the orientation in which its columns fit, on
 *    the fewest pages, the least cramped (`crampOf`: header words broken
 *    into many lines, figures that nearly touch), with the fewest wrapped
 *    lines (portrait on a tie).
 *  - The size is the largest at which every table that can fit one page (at
 *    some size down to the smallest allowed) fits one page, no more cramped
 *    than it is at its best on one page.
 */
function fitTables(flow: Flow, doc: ReportDocument): void {
  const tables = doc.parts.flatMap((p) => p.blocks.flatMap((b) => (b.kind === 'table' && b.table.label !== undefined ? [b.table] : [])));
  if (tables.length === 0) return;
  const sizes = S.labelledTableSizes.filter((x) => x >= S.minTableSize);
  if (sizes.length === 0) sizes.push(S.minTableSize);
  type Option = TableChoice & { fits: boolean; pages: number; extra: number; cramp: number };
  const memo = new Map<string, Option>();
  const option = (table: Table, size: number, orientation: Orientation): Option => {
    const key = `${table.id}|${size}|${orientation}`;
    let o = memo.get(key);
    if (!o) {
      const g = geometry(orientation);
      const width = textWidth(g);
      const f = furniture(table, flow, size, width);
      let t: TableLayout | undefined;
      const layout = () => (t ??= layoutTableMemo(table, flow.fonts, size, width));
      const pageHeight = textHeight(g);
      // The fitting figures of the trial (memoised with the table: the layout itself is read only when chosen).
      const [fits, pages, extra, cramp] = tableSummary(table, flow.fonts, size, width, `${pageHeight}|${f.top.map((x) => x.height).join(',')}|${f.height}|${S.spec.tables.minRowsPerPage}`, () => {
        const tl = layout();
        return [tl.fits ? 1 : 0, pagesNeeded(tl, f, pageHeight, table.body), extraLines(tl), crampOf(tl, table)];
      });
      o = { get t() { return layout(); }, f, orientation, fits: fits === 1, pages, extra, cramp };
      memo.set(key, o);
    }
    return o;
  };
  const better = (a: Option, b: Option) =>
    a.fits !== b.fits ? a.fits : a.pages !== b.pages ? a.pages < b.pages : a.cramp !== b.cramp ? a.cramp < b.cramp : a.extra !== b.extra ? a.extra < b.extra : a.orientation === 'portrait';
  const pick = (table: Table, size: number): Option => {
    const p = option(table, size, 'portrait');
    const l = option(table, size, 'landscape');
    return better(l, p) ? l : p;
  };
  // A table that can fit one page must, and no more cramped than it need be
  // on one page (a smaller size may let it turn and read well).
  const oneCramp = tables.map((t) => {
    const ones = sizes.map((sz) => pick(t, sz)).filter((o) => o.fits && o.pages === 1);
    return ones.length ? Math.min(...ones.map((o) => o.cramp)) : undefined;
  });
  const good = (t: Table, i: number, sz: number) => {
    const o = pick(t, sz);
    return oneCramp[i] === undefined || (o.fits && o.pages === 1 && o.cramp <= oneCramp[i]!);
  };
  const size = sizes.find((sz) => tables.every((t, i) => good(t, i, sz))) ?? sizes[sizes.length - 1];
  // Then one size per orientation: the tables of an orientation grow together
  // as long as each that fitted one page still does (and no columns squeeze).
  const orientation = new Map(tables.map((t) => [t, pick(t, size).orientation]));
  for (const o of ['portrait', 'landscape'] as const) {
    const group = tables.filter((t) => orientation.get(t) === o);
    const ok = (sz: number) =>
      group.every((t) => {
        const base = option(t, size, o);
        const x = option(t, sz, o);
        return x.fits && x.pages <= base.pages && (base.pages > 1 || x.pages === 1) && x.extra <= base.extra && x.cramp <= base.cramp;
      });
    const sz = sizes.find((x) => x >= size && ok(x)) ?? size;
    for (const t of group) {
      const c = option(t, sz, o);
      flow.tables.set(t, { t: c.t, f: c.f, orientation: o });
      layoutMemo(flow.fonts.key)?.keep(c.t);
    }
  }
}

/** The table laid out at its chosen size (computed once per table and render). */
function tableLayout(flow: Flow, table: Table): { t: TableLayout; f: TableFurniture } {
  let c = flow.tables.get(table);
  if (!c) {
    const g = geometry(table.orientation === 'landscape' ? 'landscape' : 'portrait');
    c = { ...chooseTable(table, flow, textWidth(g), textHeight(g)), orientation: g.orientation };
    flow.tables.set(table, c);
    layoutMemo(flow.fonts.key)?.keep(c.t);
  }
  return c;
}

/** Height an in-text table needs at the cursor: all of it when small, else title, header and first row. */
function inlineTableLead(flow: Flow, table: Table): number {
  const { t, f } = tableLayout(flow, table);
  const g = geometry(orientationOf(flow, table));
  const topHeight = f.top.reduce((s, x) => s + x.height, 0);
  const whole = topHeight + t.headerHeight + t.rows.reduce((s, r) => s + r.height, 0);
  return whole <= textHeight(g) / 3 ? whole : topHeight + t.headerHeight + (t.rows[0]?.height ?? 0);
}

function placeTable(flow: Flow, table: Table): void {
  const orientation = orientationOf(flow, table);
  const labelled = table.label !== undefined;
  const g = geometry(orientation);
  const width = textWidth(g);
  const { t, f } = tableLayout(flow, table);

  if (labelled) {
    if (flow.page.geometry.orientation !== orientation || !flow.fresh) flow.newPage(orientation);
  } else {
    // A small table is kept whole; a larger one needs its title, header and first row.
    flow.need(inlineTableLead(flow, table) + inlineTableSpace(), orientation);
    if (!flow.atTop) flow.y -= inlineTableSpace();
  }
  if (labelled) flow.anchor({ kind: 'table', title: `${table.label} ${table.title}`, level: 1, ...(S.spec.toc.tables ? { toc: table.title } : {}) });
  // Structure: the title as a heading (a 公开 table sits at the level of a
  // section), furniture lines as paragraphs, then the table and its notes.
  const titleNode = flow.section.add(labelled ? 'H2' : 'P');
  for (const line of f.top) {
    const node = line.kind === 'title' ? titleNode : flow.section.add('P');
    for (const it of line.items(flow.left, width, flow.y)) {
      it.node = node;
      flow.add(it);
    }
    flow.y -= line.height;
  }
  const nodes = tableNodes(flow.section.add('Table'), t, table);
  const n = t.rows.length;
  const notesHeight = f.notes.length ? 4 + f.notes.reduce((h, l) => h + l.style.pitch, 0) : 0;
  const pageRoom = textHeight(geometry(orientation)) - t.headerHeight;
  let breaks: Array<[number, number]>;
  if (labelled) {
    breaks = planRowBreaks(t.rows, table.body, flow.room - t.headerHeight - TABLE_SAFETY, pageRoom - TABLE_SAFETY, notesHeight, S.spec.tables.minRowsPerPage);
  } else {
    // In-text tables: rows that fit under a (repeated) header on each page.
    breaks = planRowBreaks(t.rows, table.body, flow.room - t.headerHeight, pageRoom, 0, 1);
  }
  breaks.forEach(([from, to], k) => {
    if (k > 0) flow.newPage(orientation);
    const slice = drawTableSlice(t, from, to, flow.left, flow.y, nodes);
    flow.slices.push({
      tableId: table.id,
      page: flow.pages.length - 1,
      from,
      to,
      top: flow.y,
      bottom: slice.bottom,
      headerHeight: t.headerHeight,
      size: t.size,
    });
    flow.add(slice.rules);
    for (const it of slice.texts) flow.add(it);
    flow.y = slice.bottom;
    flow.fresh = false;
  });
  if (n === 0) flow.fresh = false;
  if (f.notes.length) {
    flow.y -= 4;
    placeNotes(flow, f.notes, orientation);
  }
  if (!labelled) flow.y -= Math.min(inlineTableSpace(), flow.room);
}

function placeNotes(flow: Flow, lines: Array<LaidLine & { note: number }>, orientation: Orientation): void {
  const nodes = new Map<number, StructNode>();
  for (const l of lines) {
    if (l.style.pitch > flow.room + 0.01) flow.newPage(orientation);
    let node = nodes.get(l.note);
    if (!node) nodes.set(l.note, (node = flow.section.add('P')));
    flow.placeLine(l, 'table-note', node);
  }
}

/** Structure elements of a table: THead rows of TH, TBody rows of TD, by cell. */
function tableNodes(tableNode: StructNode, t: TableLayout, table: Table): TableNodes {
  const thead = tableNode.add('THead');
  const headerRows = table.header.map(() => thead.add('TR'));
  const header = t.header.map((c) => {
    const n = headerRows[c.row].add('TH');
    n.attrs = { colSpan: c.colSpan, rowSpan: c.rowSpan, scope: 'Column' };
    return n;
  });
  const tbody = tableNode.add('TBody');
  const rows = t.rows.map((row) => {
    const tr = tbody.add('TR');
    return row.cells.map((c) => {
      const n = tr.add('TD');
      if (c.colSpan > 1) n.attrs = { colSpan: c.colSpan };
      return n;
    });
  });
  return { header, rows };
}

// ---------------------------------------------------------------------------

function placeCover(flow: Flow, doc: ReportDocument): void {
  flow.newPage('portrait', false);
  const g = flow.g;
  const fonts = flow.fonts;
  const sect = flow.structure.add('Sect');
  const titleNode = sect.add('H1');
  const center = (text: string, role: FontRole, size: number, y: number) => {
    const item = simpleItem(text, role, size, (g.width - fonts.measure(text, role, size)) / 2, y, 'cover');
    item.node = sect.add('P');
    flow.add(item);
  };
  let y = g.height - g.top - 150;
  for (const line of doc.meta.titlePage.title) {
    const st: TextStyle = { role: 'serifBold', size: S.coverTitleSize, pitch: S.coverTitleSize * 2, indentEm: 0, align: 'center' };
    for (const l of layoutText(line, st, textWidth(g), fonts)) {
      const item = textItem(l, g.left, y, 'cover');
      item.node = titleNode;
      flow.add(item);
      y -= st.pitch;
    }
  }
  y = g.bottom + 150;
  for (const line of doc.meta.titlePage.subtitle) {
    center(line, 'serif', S.coverSubtitleSize, y);
    y -= S.coverSubtitleSize * 2;
  }
}

function placePartTitle(flow: Flow, label: string, title: string): void {
  flow.newPage('portrait');
  flow.anchor({ kind: 'part', title: `${label} ${title}`, level: 0, toc: `${label} ${title}` }, flow.g.height);
  flow.section = flow.structure.add('Sect');
  const node = flow.section.add('H1');
  for (const text of [label, title]) {
    const lines = layoutText(text, partStyle(flow.fonts), flow.width, flow.fonts);
    for (const l of lines) flow.placeLine(l, 'part', node);
    if (text === title) flow.partTitleLines.set(title, lines.map((l) => lineText(l.line).trim()));
  }
  flow.y -= S.bodyPitch / 2;
  // A 公开 table after the part title still starts a page of its own.
  flow.fresh = false;
}

function placePageNumbers(flow: Flow, fonts: FontSet): void {
  for (const page of flow.pages) {
    if (page.number === null) continue;
    const g = page.geometry;
    const text = `— ${page.number} —`;
    const w = fonts.measure(text, 'serif', S.pageNumberSize);
    const y = g.bottom - S.pageNumberGap - 0.88 * S.pageNumberSize;
    const indent = S.pageNumberSize; // one character in
    const x = page.number % 2 === 1 ? g.width - g.right - indent - w : g.left + indent;
    page.items.push(simpleItem(text, 'serif', S.pageNumberSize, x, y, 'page-number'));
  }
}

function isBreakingTable(b: Block | undefined): b is Extract<Block, { kind: 'table' }> {
  return !!b && b.kind === 'table' && (b.table.label !== undefined || b.table.orientation === 'landscape');
}

// ---------------------------------------------------------------------------
// 目录

/**
 * The 目录 pages: the heading, then one line per entry (parts flush left in
 * the heading face, sections and tables indented two characters), a dot
 * leader and the printed page number at the right (unless the layout asks
 * for a 目录 without page numbers), each line a link to its target. The 目录
 * pages carry no page number (as in the Word file, where the body starts at
 * 1), so filling in the numbers never moves the body: the second pass is
 * exact, and a fixed point after one iteration.
 */
function layoutToc(flow: Flow, doc: ReportDocument, entries: Anchor[]): { pages: Page[]; sect: StructNode } {
  const toc = new Flow(flow.fonts);
  const sect = new StructNode('Sect', flow.structure);
  toc.section = sect;
  toc.newPage('portrait', false);
  const titleNode = sect.add('H1');
  for (const l of layoutText(doc.meta.tocTitle, partStyle(flow.fonts), toc.width, flow.fonts)) toc.placeLine(l, 'part', titleNode);
  toc.y -= S.bodyPitch / 2;
  const withNumbers = S.spec.toc.pageNumbers;
  const size = S.spec.toc.sizePt;
  const heiRole = pdfRole('hei', false, flow.fonts);
  const bodyRole: FontRole = 'serif';
  const numbers = new Map(entries.map((a) => [a, String(flow.pages[a.page].number ?? '')]));
  // Every leader ends at the same x, short of the widest number.
  const widestNumber = Math.max(...[...numbers.values()].map((n) => flow.fonts.measure(n, heiRole, size, true)));
  const leaderEnd = toc.left + toc.width - widestNumber - size / 2;
  for (const a of entries) {
    const level1 = a.kind === 'part';
    const role = level1 ? heiRole : bodyRole;
    const indent = level1 ? 0 : 2 * size;
    const num = withNumbers ? numbers.get(a)! : '';
    const numW = num ? flow.fonts.measure(num, role, size, true) : 0;
    // The text wraps short of the number column; the leader fills the last line.
    const avail = toc.width - indent - (num ? numW + 2 * size : 0);
    const st: TextStyle = { role, size, pitch: S.bodyPitch, indentEm: 0, align: 'left' };
    const lines = layoutText(a.toc!, st, avail, flow.fonts);
    if (lines.length * S.bodyPitch > toc.room + 0.01) toc.newPage('portrait', false);
    const node = sect.add('P');
    const top = toc.y;
    lines.forEach((l, i) => {
      const y = toc.y - baselineOffset(S.bodyPitch, size);
      const item = textItem(l, toc.left + indent, y, 'toc');
      item.node = node;
      toc.add(item);
      if (i === lines.length - 1 && num) {
        const textEnd = toc.left + indent + l.x + l.line.width;
        const numX = toc.left + toc.width - numW;
        const dot = flow.fonts.measure('·', 'serif', size);
        const from = textEnd + size / 2;
        const count = Math.max(0, Math.floor((leaderEnd - from) / dot));
        if (count > 0) {
          const leader = simpleItem('·'.repeat(count), 'serif', size, leaderEnd - count * dot, y, 'toc');
          toc.add(leader); // an artifact: no structure node
        }
        const numItem = simpleItem(num, role, size, numX, y, 'toc');
        numItem.tabular = true;
        numItem.node = node;
        toc.add(numItem);
      }
      toc.y -= S.bodyPitch;
    });
    (toc.page.links ??= []).push({ rect: [toc.left, toc.y, toc.left + toc.width, top], page: a.page, y: a.y });
  }
  return { pages: toc.pages, sect };
}

/** Lay out the whole document. */
export function paginate(doc: ReportDocument, fonts: FontSet): LayoutResult {
  S = pdfStyle(withLayout(doc.layout));
  const memo = layoutMemo(fonts.key);
  // The paragraph bundle on disk is per document (its department and title): in a batch each
  // department reads back its own paragraphs; entries are keyed by content either way.
  memo?.begin(`${doc.meta.department}|${doc.meta.title}`);
  const flow = new Flow(fonts);
  fitTables(flow, doc);
  placeCover(flow, doc);
  for (const part of doc.parts) {
    placePartTitle(flow, part.label, part.title);
    part.blocks.forEach((block, i) => {
      switch (block.kind) {
        case 'heading':
          placeHeading(flow, part.blocks, i);
          break;
        case 'paragraph': {
          const st = paragraphStyle(block);
          placeParagraphLines(flow, layoutText(block.sentences.join(''), st, flow.width, fonts), block.style === 'note' ? 'note' : 'body');
          break;
        }
        case 'table':
          placeTable(flow, block.table);
          break;
      }
    });
  }
  placePageNumbers(flow, fonts);
  // The 目录 after the cover, its entries linked to where they start.
  const entries = flow.anchors.filter((a) => a.toc !== undefined);
  if (entries.length > 0) {
    const toc = layoutToc(flow, doc, entries);
    const k = toc.pages.length;
    for (const p of toc.pages) for (const l of p.links ?? []) l.page += k;
    for (const a of flow.anchors) a.page += k;
    for (const x of flow.slices) x.page += k;
    flow.pages.splice(1, 0, ...toc.pages);
    flow.structure.children.splice(1, 0, toc.sect);
    flow.tocPages = k;
  }
  const tables = new Map<string, TableFit>();
  for (const [table, c] of flow.tables) {
    const pages = flow.slices.filter((x) => x.tableId === table.id).map((x) => [x.from, x.to] as [number, number]);
    tables.set(table.id, { orientation: c.orientation, layout: c.t, pages });
  }
  memo?.save();
  saveFontCaches();
  return { pages: flow.pages, tables, anchors: flow.anchors, slices: flow.slices, structure: flow.structure, tocPages: flow.tocPages, partTitleLines: flow.partTitleLines };
}
