/**
 * The font table (word/fontTable.xml). The docx package writes an empty one;
 * Word and WPS use this table to substitute a font the reader's machine lacks:
 * `w:altName` names the face to try next, and charset 86 (GB2312) with the
 * family/pitch tells Word to pick a Chinese face of the same kind otherwise.
 *
 *   仿宋_GB2312 → 仿宋 → FangSong      楷体_GB2312 → 楷体 → KaiTi
 *   黑体 → SimHei     宋体 → SimSun     方正小标宋简体 → 宋体
 */
import { FONT } from './typography';

interface FontEntry {
  name: string;
  altName?: string;
  panose1?: string;
  charset: string;
  family: 'roman' | 'swiss' | 'modern' | 'script' | 'decorative' | 'auto';
  pitch: 'fixed' | 'variable' | 'default';
}

/** PANOSE of the Windows Chinese faces (as Word writes them for SimSun/SimHei/FangSong/KaiTi). */
const PANOSE_SONG = '02010600030101010101';
const PANOSE_CJK_FIXED = '02010609060101010101';

export const FONT_TABLE: readonly FontEntry[] = [
  { name: FONT.latin, panose1: '02020603050405020304', charset: '00', family: 'roman', pitch: 'variable' },
  { name: FONT.fangsong, altName: '仿宋', panose1: PANOSE_CJK_FIXED, charset: '86', family: 'modern', pitch: 'fixed' },
  { name: '仿宋', altName: 'FangSong', panose1: PANOSE_CJK_FIXED, charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONT.kaiti, altName: '楷体', panose1: PANOSE_CJK_FIXED, charset: '86', family: 'modern', pitch: 'fixed' },
  { name: '楷体', altName: 'KaiTi', panose1: PANOSE_CJK_FIXED, charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONT.heiti, altName: 'SimHei', panose1: PANOSE_CJK_FIXED, charset: '86', family: 'modern', pitch: 'fixed' },
  { name: FONT.songti, altName: 'SimSun', panose1: PANOSE_SONG, charset: '86', family: 'auto', pitch: 'variable' },
  { name: FONT.xiaobiaosong, altName: '宋体', panose1: PANOSE_SONG, charset: '86', family: 'auto', pitch: 'variable' },
];

const escapeAttr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function fontTableXml(): string {
  const fonts = FONT_TABLE.map((f) => {
    const children = [
      f.altName ? `<w:altName w:val="${escapeAttr(f.altName)}"/>` : '',
      f.panose1 ? `<w:panose1 w:val="${f.panose1}"/>` : '',
      `<w:charset w:val="${f.charset}"/>`,
      `<w:family w:val="${f.family}"/>`,
      `<w:pitch w:val="${f.pitch}"/>`,
    ].join('');
    return `<w:font w:name="${escapeAttr(f.name)}">${children}</w:font>`;
  }).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<w:fonts xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' +
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    fonts +
    '</w:fonts>'
  );
}
