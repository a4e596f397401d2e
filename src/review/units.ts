/**
 * The report as a flat list of reviewable units: every sentence (with the part
 * and section it stands in) and every table cell (with its table, row and
 * column labels). Used by the change report, the review copy and textconv
 * tests; it reads only the document model, so it does not depend on how the
 * document was composed.
 */
import { headerGrid } from '../document/grid';
import { Cell, ReportDocument, Table } from '../document/types';

export interface SentenceUnit {
  kind: 'sentence';
  /** "第三部分　2023年度部门决算情况说明" */
  part: string;
  /** The nearest heading texts above (level 1 and 2), joined by " · "; "" before any heading. */
  section: string;
  text: string;
  /** Position: part index, block index within the part, sentence index (headings: -1). */
  pos: { part: number; block: number; sentence: number };
}

export interface CellUnit {
  kind: 'cell';
  part: string;
  /** "公开05表 一般公共预算财政拨款支出决算表" */
  table: string;
  tableId: string;
  row: string;
  col: string;
  text: string;
  /** Unique within the table: row label, column label (and a counter for repeats). */
  key: string;
  pos: { part: number; block: number; row: number; cell: number };
}

export type Unit = SentenceUnit | CellUnit;

/** Leaf column labels: header texts above each column, joined top to bottom ("决算数·合计"). */
export function columnLabels(t: Table): string[] {
  const n = t.columns.length;
  const grid: string[][] = t.header.map(() => Array<string>(n).fill(''));
  for (const g of headerGrid(t.header, n, t)) for (let c = g.col; c < g.col + g.colSpan; c++) grid[g.row][c] = g.cell.text;
  const labelRows = t.header.length - (t.columnNumberRow >= 0 ? 1 : 0);
  return Array.from({ length: n }, (_, c) => {
    const parts: string[] = [];
    for (let r = 0; r < labelRows; r++) if (grid[r][c] && parts[parts.length - 1] !== grid[r][c]) parts.push(grid[r][c].replace(/\s+/g, ''));
    return parts.join('·');
  });
}

export const tableName = (t: Table): string => (t.label ? `${t.label} ${t.title}` : t.title);

/** Cells of a table with their row label: the text cells to the left of a cell, since the last amount. */
export function tableCells(t: Table): Array<{ row: string; col: string; text: string; cell: Cell; rowIndex: number; cellIndex: number }> {
  const labels = columnLabels(t);
  const out: Array<{ row: string; col: string; text: string; cell: Cell; rowIndex: number; cellIndex: number }> = [];
  t.body.forEach((r, ri) => {
    let col = 0;
    let rowLabel: string[] = [];
    let afterValue = false;
    r.cells.forEach((c, ci) => {
      const kind = t.columns[col]?.kind;
      const isLabel = !c.amount && (kind === 'text' || kind === 'code');
      if (isLabel) {
        // a label after values starts the row's next half (table 01: 收入 | 支出)
        if (afterValue) { rowLabel = []; afterValue = false; }
        if (c.text) rowLabel.push(c.text);
      } else if (c.text) {
        out.push({ row: rowLabel.join(' ') || `第${ri + 1}行`, col: labels[col] || `第${col + 1}列`, text: c.text, cell: c, rowIndex: ri, cellIndex: ci });
        afterValue = true;
      }
      col += c.colSpan ?? 1;
    });
  });
  return out;
}

export function documentUnits(doc: ReportDocument): Unit[] {
  const units: Unit[] = [];
  doc.parts.forEach((p, pi) => {
    const part = `${p.label}　${p.title}`;
    const heads: string[] = [];
    p.blocks.forEach((b, bi) => {
      if (b.kind === 'heading') {
        if (b.level <= 2) {
          heads.length = b.level - 1;
          heads[b.level - 1] = b.text;
        }
        const parent = b.level <= 2 ? heads.slice(0, b.level - 1) : heads;
        units.push({ kind: 'sentence', part, section: parent.filter(Boolean).join(' · '), text: b.text, pos: { part: pi, block: bi, sentence: -1 } });
      } else if (b.kind === 'paragraph') {
        b.sentences.forEach((s, si) => units.push({ kind: 'sentence', part, section: heads.filter(Boolean).join(' · '), text: s, pos: { part: pi, block: bi, sentence: si } }));
      } else {
        const t = b.table;
        const seen = new Map<string, number>();
        for (const c of tableCells(t)) {
          const base = `${c.row}|${c.col}`;
          const n = (seen.get(base) ?? 0) + 1;
          seen.set(base, n);
          units.push({
            kind: 'cell', part, table: tableName(t), tableId: t.id, row: c.row, col: c.col, text: c.text,
            key: n > 1 ? `${base}#${n}` : base, pos: { part: pi, block: bi, row: c.rowIndex, cell: c.cellIndex },
          });
        }
        t.notes.forEach((s, si) => units.push({ kind: 'sentence', part, section: heads.filter(Boolean).join(' · ') || tableName(t), text: s, pos: { part: pi, block: bi, sentence: 1000 + si } }));
      }
    });
  });
  return units;
}
