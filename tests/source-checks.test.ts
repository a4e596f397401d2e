/**
 * Source-level guards not covered file by file in the corpus: the data-file
 * size limit (checked before the file is read), UTF-8 validation, forbidden
 * and invisible characters found by code point, and the alias cap.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InputError, formatProblem } from '../src/errors';
import { loadSource, parseSource } from '../src/source/load';
import { findBadChars, firstInvalidUtf8, MAX_DATA_BYTES } from '../src/source/text-checks';
import { validateSource } from '../src/validate/model';
import { dataText, edit } from './helpers/build';

const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
};

test('a data file over the size limit is refused before it is read, with the sizes', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-big-'));
  const file = path.join(dir, 'data.yaml');
  fs.writeFileSync(file, dataText() + '#'.repeat(MAX_DATA_BYTES));
  const p = problemsOf(() => loadSource(file));
  expect(p).toHaveLength(1);
  expect(p[0]).toMatch(/data\.yaml:1:1: 数据文件过大（2,\d{3},\d{3} 字节，上限 2,097,152 字节）/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('UTF-8 validation finds the first bad byte; overlong forms and encoded surrogates are invalid', () => {
  expect(firstInvalidUtf8(Buffer.from('中文 abc', 'utf8'))).toBe(-1);
  expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0xaf]))).toBe(1); // overlong "/"
  expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]))).toBe(2); // U+D800
  expect(firstInvalidUtf8(Buffer.from([0xe4, 0xb8]))).toBe(0); // truncated 中
  expect(firstInvalidUtf8(Buffer.from([0xd6, 0xd0, 0xce, 0xc4]))).toBe(0); // 中文 in GBK
});

test('forbidden and invisible characters are found by code point, astral characters are fine', () => {
  const s = 'a\u0000b\u200bc😀d\ud800e\uffff\u{1fffe}';
  expect(findBadChars(s, false).map((h) => h.cp.toString(16))).toEqual(['0', 'd800', 'ffff', '1fffe']);
  expect(findBadChars(s, true).map((h) => h.cp.toString(16))).toEqual(['0', '200b', 'd800', 'ffff', '1fffe']);
  expect(findBadChars('\ufeffreport:', true)).toEqual([]); // a BOM at the start of a file
});

test('aliases are followed, but at most 1000 times (an alias bomb in a valid place stops quickly)', () => {
  const anchors = edit(dataText(), '  internal_bodies: [综合部, 人事部, 规划发展部, 云网建管安全部, 政务服务部（政府网站部）, 大数据资源部, 大数据应用部]',
    `  internal_bodies: [&b 综合部, ${Array(1200).fill('*b').join(', ')}]`);
  const p = problemsOf(() => validateSource(parseSource(anchors, 'data.yaml')));
  expect(p.some((x) => x.includes('别名（*b）使用过多（超过 1000 次）'))).toBe(true);
});

test('keys named like object internals are ordinary keys where any name is allowed', () => {
  const t = edit(dataText(), '    财政拨款收入: 指财政当年拨付的资金。', '    __proto__: 指原型。\n    hasOwnProperty: 指自有属性。\n    财政拨款收入: 指财政当年拨付的资金。');
  const m = validateSource(parseSource(t, 'data.yaml'));
  expect(m.glossary.before.slice(0, 2)).toEqual([['__proto__', '指原型'], ['hasOwnProperty', '指自有属性']]);
});
