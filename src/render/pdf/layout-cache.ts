/**
 * Memo of the layout's expensive, content-determined pieces: a paragraph's
 * lines (text, style, measure) and a table's trial layouts (the table's
 * content, cell size, width), for one set of font files.
 *
 *  - In memory, per process and font set (by the font files' identity), so a
 *    warm process (watch, batch workers) re-lays only the paragraphs and
 *    tables that changed.
 *  - On disk, for the next cold process: the paragraphs a document used in one
 *    bundle per font set and document (its department and title: a lookup
 *    hint only, the entries inside are keyed by content); per table (keyed by
 *    its content) the fitting figures of every trial layout in one file, and
 *    each trial layout the report placed in a file of its own, so a rebuild
 *    reads only the layouts the fitting chose. Trials not placed are not
 *    written (a batch of new departments computes hundreds of them and would
 *    spend more writing them than a rebuild saves).
 *    Every key holds the code that computes the entry (a hash of the modules).
 *
 * The entries are plain data and never modified by their users, so sharing
 * them between builds is safe; a layout read back is the same data as the one
 * computed (JSON keeps every number exactly). JUESUAN_CACHE=off turns off the
 * disk part and the memory part alike, so such a build computes everything.
 */
import { DiskCache, codeHash, moduleFile } from '../../cache/disk';
import { cacheEnabled } from '../../cache/templates';
import type { LaidLine } from './paragraph';
import type { TableLayout } from './table';

const MAX_TEXTS = 8000;
/** Paragraphs an earlier build of the same document used, carried over in its disk bundle. */
const MAX_DISK_EXTRA = 400;
/** Tables kept in memory (each with its fitting figures and, after a build, only its chosen layout). */
const MAX_TABLES = 400;

const disk = new DiskCache('layout', 6000);

let code: string | undefined;
/** The code a layout depends on: line breaking, paragraphs, tables (and the fitting figures paginate computes), fonts, the layout description. */
function layoutCode(): string {
  if (code === undefined) {
    const f = __filename;
    code = codeHash([
      f,
      moduleFile('./paragraph', f),
      moduleFile('./linebreaker', f),
      moduleFile('./table', f),
      moduleFile('./paginate', f),
      moduleFile('./fonts', f),
      moduleFile('./style', f),
      moduleFile('../../document/grid', f),
      moduleFile('../../layout/spec', f),
      moduleFile('linebreak/package.json', f),
      moduleFile('fontkit/package.json', f),
    ]);
  }
  return code;
}

/** A table's summaries of its trial layouts (what the fitting decides by) and the trial layouts asked for. */
class TableEntry {
  /** Trial layouts by `${size}|${avail}` (each on disk in a file of its own). */
  readonly layouts = new Map<string, TableLayout>();
  /** Fitting figures of a trial (fits, pages, wrapped lines, cramp) by trial and page geometry. */
  readonly summaries = new Map<string, TableSummary>();
  summariesLoaded = false;
  summariesDirty = false;
  /** Trial layouts the last layout that used this table placed (the others leave memory at its end). */
  kept = new Set<string>();
  /** Trial layouts computed in this process and not yet on disk. */
  readonly unsaved = new Set<string>();
  constructor(readonly diskKey: string) {}
}

/** [fits (1/0), pages, extra lines, cramp] of one trial layout. */
export type TableSummary = [number, number, number, number];

class Memo {
  readonly texts = new Map<string, LaidLine[]>();
  readonly tables = new Map<string, TableEntry>();
  /** Paragraphs of the disk bundle not yet taken into `texts`. */
  private bundle: Record<string, LaidLine[]> | undefined;
  private bundleLoaded = false;
  /** The document being laid out (names its paragraph bundle on disk). */
  private hint = '';
  private usedTexts = new Set<string>();
  private textsDirty = false;
  private touchedTables = new Set<TableEntry>();
  /** Tables whose trial layouts this layout asked for. */
  private usedTables = new Set<TableEntry>();
  /** Which table entry and trial each layout handed out is (for keep()). */
  private readonly origin = new WeakMap<TableLayout, [TableEntry, string]>();

  constructor(private readonly fontsKey: string) {}

  private bundleKey(): string {
    return `texts|v2|${layoutCode()}|${this.fontsKey}|${this.hint}`;
  }

  text(key: string, compute: () => LaidLine[]): LaidLine[] {
    if (!this.bundleLoaded) {
      this.bundleLoaded = true;
      const b = disk.getJsonChecked<Record<string, LaidLine[]>>(this.bundleKey());
      this.bundle = b && typeof b === 'object' ? b : undefined;
    }
    let laid = this.texts.get(key);
    if (!laid) {
      const stored = this.bundle?.[key];
      if (Array.isArray(stored) && stored.every(validLaidLine)) laid = stored;
      else laid = compute();
      if (this.texts.size >= MAX_TEXTS) this.texts.clear();
      this.texts.set(key, laid);
    }
    // this document's bundle lacks it (new text, or laid out for another document of a batch)
    if (!this.bundle || !Object.prototype.hasOwnProperty.call(this.bundle, key)) this.textsDirty = true;
    this.usedTexts.add(key);
    return laid;
  }

  private entry(contentKey: string): TableEntry {
    let e = this.tables.get(contentKey);
    if (!e) {
      if (this.tables.size >= MAX_TABLES) this.tables.clear();
      e = new TableEntry(`table|v2|${layoutCode()}|${this.fontsKey}|${contentKey}`);
      this.tables.set(contentKey, e);
    }
    return e;
  }

  /** A trial layout of a table (by content key and `${size}|${avail}`). */
  table(contentKey: string, trial: string, compute: () => TableLayout): TableLayout {
    const e = this.entry(contentKey);
    let t = e.layouts.get(trial);
    if (!t) {
      const diskKey = `${e.diskKey}|${trial}`;
      const stored = disk.getJsonChecked<unknown>(diskKey);
      if (validTableLayout(stored)) t = stored;
      else {
        t = compute();
        e.unsaved.add(trial);
      }
      e.layouts.set(trial, t);
    }
    this.origin.set(t, [e, trial]);
    this.usedTables.add(e);
    return t;
  }

  /** The layout goes into the report: keep it in memory for the next build (the other trials are on disk). */
  keep(t: TableLayout): void {
    const o = this.origin.get(t);
    if (o) o[0].kept.add(o[1]);
  }

  /** The fitting figures of a trial layout (by content key and trial + geometry key). */
  summary(contentKey: string, key: string, compute: () => TableSummary): TableSummary {
    const e = this.entry(contentKey);
    if (!e.summariesLoaded) {
      e.summariesLoaded = true;
      const stored = disk.getJsonChecked<Record<string, unknown>>(`${e.diskKey}|summaries`);
      if (stored && typeof stored === 'object') {
        for (const k in stored) {
          const v = stored[k];
          if (Array.isArray(v) && v.length === 4 && v.every(isNum)) e.summaries.set(k, v as TableSummary);
        }
      }
    }
    let v = e.summaries.get(key);
    if (!v) {
      v = compute();
      e.summaries.set(key, v);
      e.summariesDirty = true;
      this.touchedTables.add(e);
    }
    return v;
  }

  /** Start of a layout: track what it uses. */
  begin(hint: string): void {
    if (hint !== this.hint) {
      this.hint = hint;
      this.bundleLoaded = false;
      this.bundle = undefined;
    }
    this.usedTexts = new Set();
    for (const e of this.usedTables) e.kept.clear();
    this.usedTables = new Set();
  }

  /** End of a layout: write what is new to disk; drop the trial layouts not placed from memory. */
  save(): void {
    for (const e of this.usedTables) {
      for (const k of e.kept) {
        const t = e.layouts.get(k);
        if (t && e.unsaved.delete(k)) disk.setJsonChecked(`${e.diskKey}|${k}`, t);
      }
      for (const k of [...e.layouts.keys()]) {
        if (!e.kept.has(k)) {
          e.layouts.delete(k);
          e.unsaved.delete(k);
        }
      }
    }
    if (this.textsDirty) {
      this.textsDirty = false;
      const out: Record<string, LaidLine[]> = {};
      for (const k of this.usedTexts) {
        const v = this.texts.get(k);
        if (v) out[k] = v;
      }
      // and what this document's previous builds used (a figure changed back is not laid out again)
      let extra = 0;
      if (this.bundle) {
        for (const k in this.bundle) {
          if (extra >= MAX_DISK_EXTRA) break;
          if (!Object.prototype.hasOwnProperty.call(out, k)) {
            out[k] = this.bundle[k];
            extra++;
          }
        }
      }
      this.bundle = out;
      disk.setJsonChecked(this.bundleKey(), out);
    }
    for (const e of this.touchedTables) {
      if (!e.summariesDirty) continue;
      e.summariesDirty = false;
      disk.setJsonChecked(`${e.diskKey}|summaries`, Object.fromEntries(e.summaries));
    }
    this.touchedTables.clear();
  }
}

const memos = new Map<string, Memo>();

/** The memo of a font set (by the identity of its files), or undefined when caches are off. */
export function layoutMemo(fontsKey: string): Memo | undefined {
  if (!cacheEnabled()) return undefined;
  let m = memos.get(fontsKey);
  if (!m) {
    if (memos.size >= 8) memos.clear();
    memos.set(fontsKey, (m = new Memo(fontsKey)));
  }
  return m;
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

// Entries are checksummed (what is read is what this code wrote under this key); these checks of
// their shape are a second guard, kept cheap.
function validLaidLine(l: unknown): boolean {
  if (!l || typeof l !== 'object') return false;
  const x = l as { line?: { atoms?: unknown; width?: unknown }; style?: { role?: unknown; size?: unknown }; x?: unknown };
  return !!x.line && Array.isArray(x.line.atoms) && isNum(x.line.width) && !!x.style && typeof x.style.role === 'string' && isNum(x.style.size) && isNum(x.x);
}

function validTableLayout(t: unknown): t is TableLayout {
  if (!t || typeof t !== 'object') return false;
  const x = t as Partial<TableLayout>;
  return isNum(x.size) && isNum(x.headerHeight) && typeof x.fits === 'boolean' && Array.isArray(x.colX) && Array.isArray(x.header) && Array.isArray(x.rows) && Array.isArray(x.headerHeights);
}
