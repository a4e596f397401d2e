/**
 * Checks on the raw file before and around YAML parsing: encoding, size,
 * control characters and non-characters, invisible characters, full-width
 * indentation. Each problem is located at the exact line and column.
 */

import { isUtf8 } from 'buffer';

/** Largest data file accepted (data.yaml of a large department is ~50 KB). */
export const MAX_DATA_BYTES = 2 * 1024 * 1024;
/** Longest single text (one scalar) accepted, in characters. */
export const MAX_TEXT_CHARS = 20000;

const NAMES: Record<number, string> = {
  0x00: '空字符 NUL', 0x07: '响铃符 BEL', 0x08: '退格符 BS', 0x0b: '垂直制表符 VT', 0x0c: '换页符 FF', 0x1b: '转义符 ESC',
  0x7f: '删除符 DEL', 0x85: '下一行符 NEL', 0xa0: '不换行空格', 0xad: '软连字符',
  0x180e: '蒙古文元音分隔符', 0x200b: '零宽空格', 0x200c: '零宽不连字', 0x200d: '零宽连字', 0x200e: '从左至右标记', 0x200f: '从右至左标记',
  0x2028: '行分隔符', 0x2029: '段分隔符', 0x202a: '双向文字控制符', 0x202b: '双向文字控制符', 0x202c: '双向文字控制符',
  0x202d: '双向文字控制符', 0x202e: '双向文字控制符', 0x2060: '字连接符', 0x2061: '不可见数学符号', 0x2062: '不可见数学符号',
  0x2063: '不可见数学符号', 0x2064: '不可见数学符号', 0x2066: '双向文字控制符', 0x2067: '双向文字控制符', 0x2068: '双向文字控制符',
  0x2069: '双向文字控制符', 0xfeff: '零宽不换行空格（BOM）', 0xfffd: '替换字符（通常是编码转换出错留下的）', 0xfffe: '非字符', 0xffff: '非字符',
};

export const codePoint = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
export const charName = (cp: number) => `${codePoint(cp)}${NAMES[cp] ? `（${NAMES[cp]}）` : ''}`;

/** Control characters (except tab, LF, CR), non-characters, lone surrogates, U+FFFD: never valid in data. */
export function isForbidden(cp: number): boolean {
  if (cp < 0x20) return cp !== 0x09 && cp !== 0x0a && cp !== 0x0d;
  if (cp >= 0x7f && cp <= 0x9f) return true;
  if (cp >= 0xd800 && cp <= 0xdfff) return true; // only lone surrogates reach here (see scan)
  if (cp >= 0xfdd0 && cp <= 0xfdef) return true;
  if ((cp & 0xfffe) === 0xfffe) return true; // U+xFFFE, U+xFFFF in every plane
  return cp === 0xfffd;
}

/** Characters a reader cannot see; in data they are a mistake (pasted from the web or Word). */
export function isInvisible(cp: number): boolean {
  return cp === 0xad || cp === 0x180e || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x2069) || cp === 0xfeff;
}

export interface CharHit {
  offset: number;
  cp: number;
}

const MAYBE_BAD = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffd-\uffff]/;
const MAYBE_BAD_OR_INVISIBLE = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ud800-\udfff\ufdd0-\ufdef\ufeff\ufffd-\uffff]/;

/** Every forbidden (and, if asked, invisible) character of `s`, with its UTF-16 offset. */
export function findBadChars(s: string, invisible: boolean, from = 0): CharHit[] {
  const out: CharHit[] = [];
  // Fast path: no UTF-16 unit the scan below could report (a superset: every surrogate goes to the scan).
  if (!(invisible ? MAYBE_BAD_OR_INVISIBLE : MAYBE_BAD).test(s)) return out;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = (c - 0xd800) * 0x400 + (d - 0xdc00) + 0x10000;
        if (isForbidden(cp)) out.push({ offset: from + i, cp });
        i++;
        continue;
      }
    }
    if (cp === 0xfeff && i === 0 && from === 0) continue; // the UTF-8 BOM at the start of a file is fine
    if (isForbidden(cp) || (invisible && isInvisible(cp))) out.push({ offset: from + i, cp });
  }
  return out;
}

export type Decoded = { ok: true; text: string } | { ok: false; offset: number; message: string };

/**
 * Decode a data file. UTF-8 (with or without BOM) is the only accepted encoding;
 * UTF-16 and GBK/GB18030 are recognised so the message can say what to do.
 */
export function decodeData(buf: Buffer): Decoded {
  const saveAs = '请另存为 UTF-8 编码（用记事本或 WPS 打开它，选“另存为”，“编码”选 UTF-8）后再运行';
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff))
    return { ok: false, offset: 0, message: `文件不是 UTF-8 编码（是带 BOM 的 UTF-16 编码，即记事本中的“Unicode”）：${saveAs}` };
  const head = buf.subarray(0, Math.min(buf.length, 4096));
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < head.length; i++) if (head[i] === 0) (i % 2 === 0 ? evenNul++ : oddNul++);
  if (head.length >= 4 && (evenNul > head.length / 8 || oddNul > head.length / 8))
    return { ok: false, offset: 0, message: `文件不是 UTF-8 编码（看起来是不带 BOM 的 UTF-16 编码）：${saveAs}` };
  // node's native check first (the same UTF-8 rules); the scan only to locate the first bad byte
  const bad = isUtf8(buf) ? -1 : firstInvalidUtf8(buf);
  if (bad < 0) return { ok: true, text: buf.toString('utf8') };
  let gb = false;
  try {
    new TextDecoder('gb18030', { fatal: true }).decode(buf);
    gb = true;
  } catch {
    gb = false;
  }
  const what = gb ? '看起来是 GBK/GB18030 编码，即记事本中的“ANSI”' : '其中有不是 UTF-8 的字节';
  return { ok: false, offset: bad, message: `文件不是 UTF-8 编码（${what}）：${saveAs}` };
}

/** Byte offset of the first invalid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    let min = 0;
    if (c < 0x80) { i++; continue; }
    else if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; }
    else return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Lines indented with full-width spaces (U+3000) or no-break spaces before a key or list item. */
export function fullWidthIndents(text: string): Array<{ offset: number; cp: number }> {
  const out: Array<{ offset: number; cp: number }> = [];
  const re = /^( *)([\u3000\u00a0]+)(?:- |[^\s:#\u3000\u00a0][^:\n]*:(?: |$))/gm;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push({ offset: m.index + m[1].length, cp: m[2].charCodeAt(0) });
  return out;
}
