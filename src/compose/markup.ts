/**
 * The small block markup that report templates produce, turned into document
 * blocks. A template renders to plain text:
 *
 *   ## 一、标题          heading level 1 (### level 2, #### level 3, ##### level 4)
 *   ::table 01           the table with that id
 *   (blank line)         ends a paragraph
 *   anything else        paragraph text; lines of one paragraph are joined
 *   ~ text               a paragraph without first-line indent
 *
 * Paragraph text is split into sentences after 。！？ (outside brackets and
 * quotes), so the Markdown rendition can put one sentence per line.
 */
import { Block, Paragraph, Table } from '../document/types';
import { DATA_MARK } from './templates';

/** Data strings arrive prefixed with DATA_MARK: markup is only what the template itself wrote. */
const unmark = (s: string) => s.split(DATA_MARK).join('');

export function splitSentences(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    cur += ch;
    if ('（(《“「【'.includes(ch)) depth++;
    else if ('）)》”」】'.includes(ch)) depth = Math.max(0, depth - 1);
    else if ('。！？'.includes(ch) && depth === 0) {
      // keep a closing quote or bracket that follows with its sentence
      while (i + 1 < chars.length && '”）」'.includes(chars[i + 1])) cur += chars[++i];
      out.push(cur);
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

export function parseMarkup(text: string, partId: string, tables: Map<string, Table>, ids: Set<string>): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let plain = false;
  const flush = () => {
    if (para.length) {
      const p: Paragraph = { kind: 'paragraph', style: plain ? 'plain' : 'body', sentences: splitSentences(para.join('')) };
      blocks.push(p);
    }
    para = [];
    plain = false;
  };
  let n = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith(DATA_MARK)) {
      // a line that starts with data is paragraph text, whatever it looks like
      para.push(unmark(line));
      continue;
    }
    if (!unmark(line).trim()) {
      flush();
      continue;
    }
    const h = /^(#{2,5})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      let id = `${partId}-h${++n}`;
      while (ids.has(id)) id += '_';
      ids.add(id);
      blocks.push({ kind: 'heading', level: (h[1].length - 1) as 1 | 2 | 3 | 4, text: unmark(h[2]).trim(), id });
      continue;
    }
    const t = /^::table\s+(\S+)$/.exec(line);
    if (t) {
      flush();
      const table = tables.get(unmark(t[1]));
      if (!table) throw new Error(`template refers to unknown table ${unmark(t[1])}`);
      blocks.push({ kind: 'table', table });
      continue;
    }
    if (line.startsWith('~ ')) {
      flush();
      plain = true;
      para.push(unmark(line.slice(2)));
      continue;
    }
    para.push(unmark(line));
  }
  flush();
  return blocks;
}
