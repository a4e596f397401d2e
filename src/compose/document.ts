/**
 * Stage 5: compose the whole report as one ReportDocument — the five parts in the
 * mandated order, wording from the Handlebars templates, tables from the specs.
 */
import { Block, Part, ReportDocument } from '../document/types';
import { Facts } from '../derive/facts';
import { chineseYearMonth } from '../format/number';
import { parseMarkup } from './markup';
import { composeTables } from './tables';
import { createEnv, renderTemplate } from './templates';

export const PARTS: Array<{ id: string; label: string; title: (f: Facts) => string; template: string }> = [
  { id: 'part1', label: '第一部分', title: () => '部门概况', template: 'part1.hbs' },
  { id: 'part2', label: '第二部分', title: () => '部门决算表', template: 'part2.hbs' },
  { id: 'part3', label: '第三部分', title: (f) => `${f.year}年度部门决算情况说明`, template: 'part3.hbs' },
  { id: 'part4', label: '第四部分', title: () => '名词解释', template: 'part4.hbs' },
  { id: 'part5', label: '第五部分', title: () => '附件', template: 'part5.hbs' },
];

export function composeDocument(f: Facts, extraContext: Record<string, unknown> = {}): ReportDocument {
  const hb = createEnv();
  const tables = composeTables(f);
  const ids = new Set<string>();
  const context = { ...f, ...extraContext };
  const parts: Part[] = PARTS.map((p) => {
    const blocks: Block[] = parseMarkup(renderTemplate(hb, p.template, context), p.id, tables, ids);
    return { id: p.id, label: p.label, title: p.title(f), blocks };
  });
  const m = f.model;
  return {
    meta: {
      title: `${m.report.department}${m.report.year}年度部门决算`,
      department: m.report.department,
      year: m.report.year,
      subject: `${m.report.year}年度部门决算公开`,
      language: 'zh-CN',
      date: m.report.date,
      titlePage: { title: [m.report.department, `${m.report.year}年度部门决算`], subtitle: [chineseYearMonth(m.report.date)] },
      keywords: ['部门决算', `${m.report.year}年度`, m.report.department],
      tocTitle: '目　录',
    },
    parts,
  };
}
