/**
 * Excel marks 科目代码 and 行次 written as text ("201", "1") with a green
 * "number stored as text" triangle, and totals over non-adjacent rows with
 * "formula omits adjacent cells". Both are intended here, so each sheet gets an
 * <ignoredErrors> element for its used range (exceljs cannot write one).
 */

/** Elements that must follow <ignoredErrors> in CT_Worksheet (ECMA-376 §18.3.1.99). */
const LATER_ELEMENTS = ['<smartTags', '<drawing', '<legacyDrawing', '<legacyDrawingHF', '<picture', '<oleObjects', '<controls', '<webPublishItems', '<tableParts', '<extLst'];

export function addIgnoredErrors(sheetXml: string): string {
  if (sheetXml.includes('<ignoredErrors')) return sheetXml;
  const dim = /<dimension ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"\/>/.exec(sheetXml);
  if (!dim) return sheetXml;
  const element =
    `<ignoredErrors><ignoredError sqref="${dim[1]}" numberStoredAsText="1" formula="1" formulaRange="1"/></ignoredErrors>`;
  let at = sheetXml.lastIndexOf('</worksheet>');
  for (const tag of LATER_ELEMENTS) {
    const i = sheetXml.indexOf(tag);
    if (i >= 0 && i < at) at = i;
  }
  if (at < 0) return sheetXml;
  return sheetXml.slice(0, at) + element + sheetXml.slice(at);
}
