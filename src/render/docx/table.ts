/**
 * A model Table as Word blocks: title, 公开NN表 label, the 部门/金额单位 line,
 * the table itself (merged multi-row header, 栏次 row, body), and the notes.
 *
 * Header cells map rowSpan → w:vMerge (restart/continue) and colSpan →
 * w:gridSpan; the docx package inserts the continue cells of a vertical merge.
 * Header rows repeat on every page (w:tblHeader) and no row splits across pages
 * (w:cantSplit). Column widths are the model's relative widths scaled to the
 * text width of the page the table is on.
 */
import {
  AlignmentType,
  BorderStyle,
  HeightRule,
  Paragraph,
  Tab,
  TabStopType,
  Table as WordTable,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type FileChild,
} from 'docx';
import type { Align, BodyRow, Cell, Column, HeaderCell, Table } from '../../document/types';
import { STYLE } from './styles';
import { TABLE_CELL_PAD, TABLE_CHAR, TABLE_ROW_MIN, pt } from './typography';

const ALIGN: Record<Align, (typeof AlignmentType)[keyof typeof AlignmentType]> = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
};

/**
 * Integer column widths in twips summing exactly to `total`, proportional to the
 * model's relative widths (largest-remainder rounding, ties to the left).
 */
export function scaleColumnWidths(columns: readonly Column[], total: number): number[] {
  const weights = columns.map((c) => (Number.isFinite(c.width) && c.width > 0 ? c.width : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w * total) / sum);
  const widths = exact.map((x) => Math.floor(x));
  let rest = total - widths.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, frac: x - Math.floor(x) }))
    .sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; rest > 0; k = (k + 1) % order.length, rest--) widths[order[k].i] += 1;
  return widths;
}

const thin = { style: BorderStyle.SINGLE, size: 4, color: '000000' } as const;
const BORDERS = { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin };

function cellParagraph(text: string, alignment: Align, options: { indent?: number; bold?: boolean } = {}): Paragraph {
  return new Paragraph({
    style: STYLE.tableText,
    alignment: ALIGN[alignment],
    indent: options.indent ? { left: options.indent } : undefined,
    children: text === '' ? [] : [new TextRun({ text, bold: options.bold || undefined })],
  });
}

function headerRow(cells: readonly HeaderCell[]): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    height: { value: TABLE_ROW_MIN, rule: HeightRule.ATLEAST },
    children: cells.map(
      (cell) =>
        new TableCell({
          columnSpan: cell.colSpan > 1 ? cell.colSpan : undefined,
          rowSpan: cell.rowSpan > 1 ? cell.rowSpan : undefined,
          verticalAlign: VerticalAlignTable.CENTER,
          children: [cellParagraph(cell.text, 'center')],
        }),
    ),
  });
}

/** Left indent of a name cell: one character per row level, in text columns only. */
function nameIndent(row: BodyRow, column: Column | undefined, align: Align): number | undefined {
  if (!column || column.kind !== 'text' || align !== 'left' || row.level <= 0) return undefined;
  return row.level * TABLE_CHAR;
}

function bodyRow(row: BodyRow, columns: readonly Column[]): TableRow {
  let col = 0;
  const children = row.cells.map((cell: Cell) => {
    const span = cell.colSpan && cell.colSpan > 1 ? cell.colSpan : 1;
    const column = columns[col];
    col += span;
    const align: Align = cell.align ?? column?.align ?? 'left';
    return new TableCell({
      columnSpan: span > 1 ? span : undefined,
      verticalAlign: VerticalAlignTable.CENTER,
      children: [cellParagraph(cell.text, align, { indent: nameIndent(row, column, align), bold: row.role === 'total' })],
    });
  });
  return new TableRow({
    cantSplit: true,
    height: { value: TABLE_ROW_MIN, rule: HeightRule.ATLEAST },
    children,
  });
}

/** The notes under a table. A continuation line ("2.…") after "注：1.…" aligns under "1.". */
function notes(table: Table): Paragraph[] {
  let underLead = false;
  return table.notes.map((note, i) => {
    const lead = /^(注|说明)[：:]/.exec(note);
    // "注：" is two characters wide; a line that continues a "注：" list hangs under its text.
    const indent = !lead && underLead ? 2 * TABLE_CHAR : 0;
    if (lead) underLead = lead[1] === '注';
    return new Paragraph({
      style: STYLE.tableNote,
      spacing: i === 0 ? { before: pt(4) } : undefined,
      indent: indent ? { left: indent } : undefined,
      children: [new TextRun(note)],
    });
  });
}

export interface TableRenderOptions {
  /** Width of the text column of the page the table is set on (twips). */
  textWidth: number;
  /** Start the table (its title) on a new page. */
  pageBreakBefore: boolean;
}

/** The blocks of one model table, in reading order. */
export function renderTable(table: Table, options: TableRenderOptions): FileChild[] {
  const out: FileChild[] = [];
  out.push(
    new Paragraph({
      style: STYLE.tableTitle,
      pageBreakBefore: options.pageBreakBefore || undefined,
      children: [new TextRun(table.title)],
    }),
  );
  if (table.label !== undefined) {
    out.push(new Paragraph({ style: STYLE.tableLabel, children: [new TextRun(table.label)] }));
  }
  if (table.departmentLine !== undefined) {
    // 部门 on the left, 金额单位 on the right of the same line: a right tab stop at the text edge.
    out.push(
      new Paragraph({
        style: STYLE.tableMeta,
        tabStops: [{ type: TabStopType.RIGHT, position: options.textWidth }],
        children: [new TextRun(table.departmentLine), new TextRun({ children: [new Tab(), table.unitLine] })],
      }),
    );
  } else {
    out.push(new Paragraph({ style: STYLE.tableMeta, alignment: AlignmentType.RIGHT, children: [new TextRun(table.unitLine)] }));
  }

  const widths = scaleColumnWidths(table.columns, options.textWidth);
  const rows = [...table.header.map(headerRow), ...table.body.map((row) => bodyRow(row, table.columns))];
  out.push(
    new WordTable({
      rows,
      width: { size: options.textWidth, type: WidthType.DXA },
      columnWidths: widths,
      layout: TableLayoutType.FIXED,
      alignment: AlignmentType.CENTER,
      borders: BORDERS,
      margins: { left: TABLE_CELL_PAD, right: TABLE_CELL_PAD, top: 0, bottom: 0 },
    }),
  );
  out.push(...notes(table));
  return out;
}
