/**
 * WordprocessingML as strings: the few elements the report uses (paragraphs,
 * runs, tables, section properties, bookmarks), written in the element and
 * attribute order the docx package (9.15) used, so the XML reads the same.
 *
 * Data text is never markup: every text and attribute value goes through
 * `esc` (& " ' < > escaped; C0 control characters XML 1.0 cannot hold
 * dropped, as docx did).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', "'": '&apos;', '<': '&lt;', '>': '&gt;' };

/** Escapes a text or attribute value. */
export const esc = (value: string): string =>
  // eslint-disable-next-line no-control-regex
  /[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/.test(value) ? value.replace(/[&"'<>\x00-\x08\x0B\x0C\x0E-\x1F]/g, (c) => ESCAPES[c] ?? '') : value;

export type Jc = 'left' | 'center' | 'right' | 'both';

export interface TabStop {
  type: 'left' | 'right';
  position: number;
  leader?: 'dot';
}

/** Paragraph properties (the subset the report uses), in CT_PPr order. */
export interface ParagraphProps {
  style?: string;
  keepNext?: boolean;
  pageBreakBefore?: boolean;
  tabs?: readonly TabStop[];
  spacingBefore?: number;
  indent?: { left?: number; right?: number; hanging?: number };
  alignment?: Jc;
}

export function pPr(p: ParagraphProps, sectPr = ''): string {
  let s = '';
  if (p.style !== undefined) s += `<w:pStyle w:val="${esc(p.style)}"/>`;
  if (p.keepNext) s += '<w:keepNext/>';
  if (p.pageBreakBefore) s += '<w:pageBreakBefore/>';
  if (p.tabs && p.tabs.length > 0) {
    s += '<w:tabs>';
    for (const t of p.tabs) s += `<w:tab w:val="${t.type}" w:pos="${t.position}"${t.leader ? ` w:leader="${t.leader}"` : ''}/>`;
    s += '</w:tabs>';
  }
  if (p.spacingBefore !== undefined) s += `<w:spacing w:before="${p.spacingBefore}"/>`;
  if (p.indent) {
    const { left, right, hanging } = p.indent;
    if (left !== undefined || right !== undefined || hanging !== undefined) {
      s += '<w:ind' + (left !== undefined ? ` w:left="${left}"` : '') + (right !== undefined ? ` w:right="${right}"` : '') + (hanging !== undefined ? ` w:hanging="${hanging}"` : '') + '/>';
    }
  }
  if (p.alignment) s += `<w:jc w:val="${p.alignment}"/>`;
  s += sectPr;
  return s === '' ? '' : `<w:pPr>${s}</w:pPr>`;
}

/** A run of text; `breakBefore` puts a line break (w:br) before it, `tabBefore` a tab. */
export function run(text: string, o: { bold?: boolean; breakBefore?: boolean; tabBefore?: boolean } = {}): string {
  return (
    '<w:r>' +
    (o.bold ? '<w:rPr><w:b/><w:bCs/></w:rPr>' : '') +
    (o.breakBefore ? '<w:br/>' : '') +
    (o.tabBefore ? '<w:tab/>' : '') +
    `<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`
  );
}

/** A body element: a paragraph (which can end a section) or anything else (table, TOC). */
export interface BodyElement {
  kind: 'p' | 'other';
  /** For a paragraph: its properties and content, so section properties can be put into its pPr. */
  props?: ParagraphProps;
  content?: string;
  /** For other elements: the XML. */
  xml?: string;
  /** The paragraph's plain text (w:t, w:tab → tab, w:br → newline), for the 目录. */
  text?: string;
}

export const paragraph = (props: ParagraphProps, content: string, text: string): BodyElement => ({ kind: 'p', props, content, text });

/** One paragraph's XML, with section properties and a bookmark around its content when given. */
export function paragraphXml(e: BodyElement, sectPr = '', bookmark?: { name: string; id: number }): string {
  const props = pPr(e.props ?? {}, sectPr);
  const content = bookmark
    ? `<w:bookmarkStart w:name="${bookmark.name}" w:id="${bookmark.id}"/>${e.content ?? ''}<w:bookmarkEnd w:id="${bookmark.id}"/>`
    : (e.content ?? '');
  return `<w:p>${props}${content}</w:p>`;
}
