/**
 * Page numbers for the table of contents. The docx package can lay the pages
 * out as Word does (docx/layout) and write each entry's page number into the
 * TOC, so LibreOffice and WPS, which show a TOC as it was saved, show them too.
 * Word rebuilds the TOC on opening (its field is dirty), with its own numbers.
 *
 * Text is measured with the writer's own advance widths (measureEm): Chinese
 * characters and full-width punctuation one em, as in every 公文 face, Times
 * New Roman digits half an em. Every line of the report has a fixed height, so
 * these widths settle the line breaks and so the page breaks. The layout runs
 * in "guess" mode, so fonts outside its tables (仿宋_GB2312, 黑体, …) do not
 * stop it. It is pure computation on the document: the same document gives the
 * same numbers, on any machine.
 */
import type { IPropertiesOptions } from 'docx';
import { measureEm } from './widths';

type PageNumberEstimator = NonNullable<IPropertiesOptions['pageNumbers']>;

interface LayoutModule {
  estimatePageNumbersWith(options: {
    measureWidth: (text: string, font: { name: string; size: number; bold: boolean; italic: boolean }) => number;
    guess?: boolean;
  }): PageNumberEstimator;
}

/** An estimator for docx's `pageNumbers` option. */
export function tocPageNumberEstimator(): PageNumberEstimator {
  // docx/layout is a package subpath export, which this project's "node" module resolution cannot type.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const layout = require('docx/layout') as LayoutModule;
  return layout.estimatePageNumbersWith({
    measureWidth: (text, font) => measureEm(text) * font.size,
    guess: true,
  });
}
