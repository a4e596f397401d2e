/**
 * Display width of a string in Excel column-width units: a CJK (full-width)
 * character takes about two units, an ASCII character one.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    width += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
  }
  return width;
}

/** Whether a code point is set full-width in a CJK font (East Asian Wide/Fullwidth, plus CJK quotes). */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2018 && cp <= 0x201f) || // ‘ ’ “ ” are full-width in Chinese fonts
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Number of lines a text needs in a wrapped cell of the given width (at least 1). */
export function wrappedLines(text: string, columnWidth: number): number {
  if (text === '') return 1;
  // Excel keeps roughly one unit of padding inside a cell.
  const usable = Math.max(1, columnWidth - 1);
  let lines = 0;
  for (const part of text.split('\n')) {
    lines += Math.max(1, Math.ceil(displayWidth(part) / usable));
  }
  return lines;
}
