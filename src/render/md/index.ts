/**
 * The text rendition: output/report.md. One sentence per line (Markdown joins
 * them into one paragraph), so a changed figure shows up in Git as one changed
 * line. Tables are pipe tables with the printed figures.
 */
import { Block, ReportDocument, Table } from '../../document/types';
import { headerGrid } from '../../document/grid';

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** Leaf column labels: the header texts above each column, joined top to bottom. */
function columnLabels(t: Table): string[] {
  const n = t.columns.length;
  const grid: string[][] = t.header.map(() => Array(n).fill(''));
  for (const g of headerGrid(t.header, n, t)) for (let c = g.col; c < g.col + g.colSpan; c++) grid[g.row][c] = g.cell.text;
  const labelRows = t.header.length - (t.columnNumberRow >= 0 ? 1 : 0);
  return Array.from({ length: n }, (_, c) => {
    const parts: string[] = [];
    for (let r = 0; r < labelRows; r++) if (grid[r][c] && parts[parts.length - 1] !== grid[r][c]) parts.push(grid[r][c]);
    return parts.join('·');
  });
}

function tableMd(t: Table): string[] {
  const out: string[] = [];
  out.push(`### ${t.label ? `${t.label} ` : ''}${t.title}`, '');
  const sub = [t.departmentLine, t.unitLine].filter(Boolean).join('　　');
  out.push(sub, '');
  const labels = columnLabels(t);
  out.push(`| ${labels.map(esc).join(' | ')} |`);
  out.push(`| ${t.columns.map((c) => (c.align === 'right' ? '---:' : c.align === 'center' ? ':---:' : '---')).join(' | ')} |`);
  if (t.columnNumberRow >= 0) {
    const row: string[] = [];
    for (const c of t.header[t.columnNumberRow]) { row.push(c.text); for (let k = 1; k < c.colSpan; k++) row.push(''); }
    out.push(`| ${row.join(' | ')} |`);
  }
  for (const r of t.body) {
    const row: string[] = [];
    r.cells.forEach((c, i) => {
      const indent = i <= 1 && r.level > 0 && c.text && !c.amount ? '　'.repeat(r.level) : '';
      row.push(esc(indent + c.text));
      for (let k = 1; k < (c.colSpan ?? 1); k++) row.push('');
    });
    out.push(`| ${row.join(' | ')} |`);
  }
  out.push('');
  for (const n of t.notes) out.push(n, '');
  return out;
}

function blockMd(b: Block): string[] {
  switch (b.kind) {
    case 'heading':
      return [`${'#'.repeat(b.level + 2)} ${b.text}`, ''];
    case 'paragraph':
      return [...b.sentences, ''];
    case 'table':
      return tableMd(b.table);
  }
}

export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${doc.meta.titlePage.title.join(' ')}`, '', ...doc.meta.titlePage.subtitle, ''];
  for (const p of doc.parts) {
    out.push(`## ${p.label}　${p.title}`, '');
    for (const b of p.blocks) out.push(...blockMd(b));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
