/**
 * Page numbers for the table of contents, from our own page layout (the PDF
 * writer's, src/layout/pagination.ts): the Word file's 目录 shows the pages the
 * PDF has, and LibreOffice and WPS, which show a TOC as it was saved, show
 * them. Word rebuilds the TOC on opening (its field is dirty), with its own.
 *
 * docx bookmarks each TOC entry's paragraph (_Toc1, _Toc2, … in document
 * order) and asks the estimator for the page of each bookmark. The entries are
 * the parts (Heading1), the "一、" sections (Heading2) and the 公开 tables
 * (TableTitle), which are exactly the 目录 entries of the PDF layout, in the
 * same order; the i-th bookmark gets the i-th entry's page. A count that does
 * not match is a bug and fails loudly.
 */
import type { IPropertiesOptions } from 'docx';
import type { TocEntry } from '../../layout/pagination';

type PageNumberEstimator = NonNullable<IPropertiesOptions['pageNumbers']>;

/** Bookmark names in document order, with the text of the paragraph each starts in. */
export function bookmarksInOrder(body: unknown): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const textOf = (o: unknown): string => {
    if (Array.isArray(o)) return o.map(textOf).join('');
    if (o && typeof o === 'object') {
      let t = '';
      for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
        if (k === '_attr') continue;
        if (k === 'w:t') t += Array.isArray(v) ? v.filter((x) => typeof x === 'string').join('') : typeof v === 'string' ? v : '';
        else if (k === 'w:br') t += ' ';
        else if (k !== 'w:instrText') t += textOf(v);
      }
      return t;
    }
    return '';
  };
  const walk = (o: unknown, paragraph: unknown): void => {
    if (Array.isArray(o)) {
      for (const x of o) walk(x, paragraph);
      return;
    }
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
      if (k === 'w:bookmarkStart') {
        const attrs = (v as { _attr?: Record<string, unknown> })?._attr ?? (Array.isArray(v) ? (v.find((x) => x && typeof x === 'object' && '_attr' in x) as { _attr: Record<string, unknown> })?._attr : undefined);
        const name = attrs?.['w:name'];
        if (typeof name === 'string') out.push({ name, text: textOf(paragraph).trim() });
      } else walk(v, k === 'w:p' ? v : paragraph);
    }
  };
  walk(body, undefined);
  return out;
}

/** An estimator for docx's `pageNumbers` option that writes the pages of `entries`. */
export function tocPageNumbersFrom(entries: readonly TocEntry[]): PageNumberEstimator {
  return (body) => {
    const marks = bookmarksInOrder(body).filter((b) => /^_Toc\d+$/.test(b.name));
    if (marks.length !== entries.length) {
      throw new Error(`目录条目数不一致：Word 文档 ${marks.length} 条，版面 ${entries.length} 条`);
    }
    const bookmarks = new Map<string, string>();
    const numbers = new Map<string, number>();
    marks.forEach((m, i) => {
      bookmarks.set(m.name, String(entries[i].page));
      numbers.set(m.name, entries[i].page);
    });
    return { bookmarks, bookmarkPageNumbers: numbers };
  };
}
