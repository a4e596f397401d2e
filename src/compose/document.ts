/**
 * Stage 5: compose the whole report as one ReportDocument — the parts in the
 * profile's order, wording from the profile's Handlebars templates, tables from
 * its table specs.
 */
import { Block, Part, ReportDocument } from '../document/types';
import { Facts, templateFacts } from '../derive/facts';
import { chineseYearMonth } from '../format/number';
import { fillTitle, Profile } from '../profile/load';
import { parseMarkup } from './markup';
import { composeTables } from './tables';
import { createEnv, renderTemplate } from './templates';

export function composeDocument(f: Facts, profile: Profile): ReportDocument {
  const env = createEnv(profile);
  const tables = composeTables(f, profile);
  const ids = new Set<string>();
  const context = templateFacts(f);
  const vals = { year: f.year, department: f.department };
  const parts: Part[] = profile.parts.map((p) => {
    const blocks: Block[] = p.template ? parseMarkup(renderTemplate(env, profile.templates.get(p.template)!, context), p.id, tables, ids) : [];
    if (p.tables) for (const t of profile.tables) if (!t.inline) blocks.push({ kind: 'table', table: tables.get(t.id)! });
    return { id: p.id, label: p.label, title: fillTitle(p.title, vals), blocks };
  });
  const d = profile.document;
  const m = f.model;
  return {
    meta: {
      title: fillTitle(d.title, vals),
      department: f.department,
      year: f.year,
      subject: fillTitle(d.subject, vals),
      language: 'zh-CN',
      date: m.report.date,
      titlePage: { title: d.titlePage.map((t) => fillTitle(t, vals)), subtitle: [chineseYearMonth(m.report.date)] },
      keywords: d.keywords.map((t) => fillTitle(t, vals)),
      tocTitle: profile.toc.title,
      ...(profile.toc.pageNumbers ? {} : { tocPageNumbers: false }),
      ...(Object.keys(profile.typography).length ? { typography: profile.typography } : {}),
    },
    parts,
    // the profile's choices of the shared layout description (src/layout/spec.ts)
    ...(profile.toc.pageNumbers ? {} : { layout: { toc: { pageNumbers: false } } }),
  };
}
