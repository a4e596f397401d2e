/**
 * Stage 1: read data.yaml into a YAML document that keeps every scalar's source
 * text and position, so amounts can be parsed from their text (never through a JS
 * float) and every error can point at file:line:column.
 *
 * Before anything is parsed the file is checked as text: size, encoding (UTF-8
 * only; UTF-16 and GBK are recognised and explained), control characters and
 * non-characters, full-width indentation. After parsing: the root is a mapping,
 * no key appears twice in one mapping (a quoted and a plain code are the same
 * key), no text holds an invisible or forbidden character (also when written as
 * an escape such as "\u200b"), and no text is longer than MAX_TEXT_CHARS.
 */
import * as fs from 'fs';
import { LineCounter, parseDocument, Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, Node, Pair, Scalar } from 'yaml';
import { InputError, Location, Problem, shownPath } from '../errors';
import {
  charName, decodeData, findBadChars, fullWidthIndents, isForbidden, MAX_DATA_BYTES, MAX_TEXT_CHARS,
} from './text-checks';

export interface Source {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function loadSource(file: string): Source {
  const shown = shownPath(file);
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new InputError([{ path: '', message: `${shown} 是一个文件夹，不是数据文件：请用 --data 指定 data.yaml 文件` }]);
    if (st.size > MAX_DATA_BYTES)
      throw new InputError([{ path: '', loc: { file: shown, line: 1, col: 1 }, message: `数据文件过大（${st.size.toLocaleString('en-US')} 字节，上限 ${MAX_DATA_BYTES.toLocaleString('en-US')} 字节）：一个部门的 data.yaml 通常不到 100 KB，请检查是否误粘贴了大段内容` }]);
    buf = fs.readFileSync(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? '文件不存在，请检查文件名和路径（可用 --data 指定）'
      : code === 'EACCES' || code === 'EPERM' ? '没有读取权限，或文件正被其他程序独占打开'
      : code === 'EISDIR' ? '这是一个文件夹，不是文件'
      : `文件系统错误（代码 ${code ?? '未知'}）`;
    throw new InputError([{ path: '', message: `无法读取数据文件 ${shown}：${why}` }]);
  }
  const d = decodeData(buf);
  if (!d.ok) {
    const prefix = buf.subarray(0, d.offset).toString('utf8');
    const line = prefix.split('\n').length;
    const col = prefix.length - prefix.lastIndexOf('\n');
    throw new InputError([{ path: '', loc: { file: shown, line, col }, message: d.message }]);
  }
  return parseSource(d.text, shown);
}

const YAML_MESSAGES: Record<string, string> = {
  DUPLICATE_KEY: '键名重复（同一层级下同一个键出现了两次）',
  BAD_INDENT: '缩进不正确（同一层级的键应左对齐，下一层比上一层多缩进两个空格）',
  MISSING_CHAR: '缺少必要的字符（如冒号、引号或括号没有成对）',
  MULTILINE_IMPLICIT_KEY: '键名不能跨行（可能缺少冒号，或缩进错误）',
  TAB_AS_INDENT: '不能用 Tab 缩进，请改用空格',
  UNEXPECTED_TOKEN: '出现了不应有的字符（如多余的括号、引号或冒号）',
  BLOCK_AS_IMPLICIT_KEY: '缩进或冒号位置不正确',
  BAD_SCALAR_START: '这个值不能以此字符开头（以 @、`、%、|、> 等开头的文字请加引号）',
  BAD_DQ_ESCAPE: '双引号中的反斜杠转义不正确（文字中的 \\ 请写成 \\\\，或改用单引号）',
  BLOCK_IN_FLOW: '{ } 或 [ ] 中不能换行写下一层内容',
  BAD_ALIAS: '别名（*名称）引用了不存在的锚点（&名称）',
  ALIAS_PROPS: '别名（*名称）不能带锚点或标签',
  MULTIPLE_ANCHORS: '一个值只能有一个锚点（&名称）',
  MULTIPLE_TAGS: '一个值只能有一个标签（!名称）',
  BAD_PROP_ORDER: '锚点或标签的位置不正确',
  BAD_DIRECTIVE: '以 % 开头的指令不正确',
  MULTIPLE_DOCS: '文件中只能有一份数据（不要用“---”分隔多份）',
  NON_STRING_KEY: '键名必须是文字或数字',
  TAG_RESOLVE_FAILED: '不认识的标签（以 ! 开头的写法），请删除它',
  BAD_COLLECTION_TYPE: '标签与内容类型不符',
  KEY_OVER_1024_CHARS: '键名过长（超过 1024 个字符），可能缺少冒号或换行',
  RESOURCE_EXHAUSTION: '嵌套层次过深或别名展开过多（超出解析器的限制）：请检查是否误粘贴了大量括号或别名',
  IMPOSSIBLE: '无法解析的内容',
};

export function parseSource(text: string, file: string): Source {
  const lines = new LineCounter();
  // Text-level checks first: with a NUL or a full-width indent the YAML errors would be misleading.
  const pre: Problem[] = [];
  const pos = (offset: number): Location => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { file, line, col: offset - before.lastIndexOf('\n') };
  };
  if (Buffer.byteLength(text, 'utf8') > MAX_DATA_BYTES)
    pre.push({ path: '', loc: { file, line: 1, col: 1 }, message: `数据文件过大（上限 ${MAX_DATA_BYTES.toLocaleString('en-US')} 字节）：请检查是否误粘贴了大段内容` });
  for (const h of findBadChars(text, false).slice(0, 20)) {
    pre.push({ path: '', loc: pos(h.offset), message: `文件中有控制字符或非字符 ${charName(h.cp)}，它不是文字（常见于从其他软件复制粘贴）：请删除它` });
  }
  for (const h of fullWidthIndents(text).slice(0, 20)) {
    pre.push({ path: '', loc: pos(h.offset), message: `行首用了${h.cp === 0x3000 ? '全角空格' : '不换行空格'}（${charName(h.cp)}）缩进：YAML 只能用半角空格缩进，请把行首的空白删掉后重新用空格键缩进` });
  }
  if (pre.length) throw new InputError(pre);

  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false, strict: true });
  const src: Source = { file, text, doc, lines };
  const seenAt = new Set<string>();
  const problems: Problem[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const better = explainYamlError(text, e.code, e.pos[0]);
    const loc = locAt(src, better?.offset ?? e.pos[0]);
    const key = `${loc.line}:${loc.col}`;
    if (seenAt.has(key)) continue; // one message per place: the parser often reports a slip twice
    seenAt.add(key);
    problems.push({ loc, path: '', message: `YAML 格式错误：${better?.message ?? YAML_MESSAGES[e.code] ?? '无法解析的内容'}` });
  }
  if (problems.length) throw new InputError(problems);
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    throw new InputError([{ path: '', loc: { file, line: 1, col: 1 }, message: '数据文件是空的：应以 report:、overview:、tables: 等各部分组成（可复制自带的 data.yaml 修改）' }]);
  }
  if (!isMap(root)) {
    const what = isSeq(root) ? '一个列表（以“- ”开头）' : `一段文字“${String((root as Scalar).value ?? '').slice(0, 20)}”`;
    throw new InputError([{ path: '', loc: nodeLoc(src, root) ?? { file, line: 1, col: 1 }, message: `数据文件最外层应为一组键值（report:、overview:、tables: 等），实际为${what}` }]);
  }
  checkNodes(src, root, '', problems);
  if (problems.length) throw new InputError(problems);
  return src;
}

/**
 * The YAML parser reports some slips where it noticed them, not where they are:
 * a line indented under a "key: value" line is blamed on the line above, and a
 * { or [ left open on one line is blamed on the next. Find the real place.
 */
function explainYamlError(text: string, code: string, offset: number): { offset: number; message: string } | undefined {
  const lineStart = (o: number) => text.lastIndexOf('\n', o - 1) + 1;
  const lines = text.split('\n');
  const lineNo = text.slice(0, offset).split('\n').length - 1;
  const indent = (l: string) => /^ */.exec(l)![0].length;
  const meaningful = (l: string) => l.trim() !== '' && !l.trim().startsWith('#');
  if (code === 'MULTILINE_IMPLICIT_KEY' || code === 'BLOCK_AS_IMPLICIT_KEY' || code === 'BAD_INDENT') {
    // "key: value" followed by a deeper-indented "other: …"
    for (let i = lineNo; i < Math.min(lines.length - 1, lineNo + 3); i++) {
      if (!/^\s*[^\s#][^:]*:\s+[^\s#|>]/.test(lines[i])) continue;
      let j = i + 1;
      while (j < lines.length && !meaningful(lines[j])) j++;
      if (j < lines.length && indent(lines[j]) > indent(lines[i]) && /^\s*[^\s#][^:]*:(\s|$)/.test(lines[j])) {
        const off = lines.slice(0, j).join('\n').length + 1 + indent(lines[j]);
        return { offset: off, message: `缩进不正确：上一行“${lines[i].trim().split(':')[0]}:”已经写了值，这一行不能比它缩进更多（同一层级的键应左对齐）` };
      }
    }
  }
  // a quote left open on the reported line
  const here = (lines[lineNo] ?? '').replace(/\s#.*$/, '');
  if (((here.match(/"/g) ?? []).length % 2 === 1 || (here.match(/'/g) ?? []).length % 2 === 1) && !/[\u4e00-\u9fff]'/.test(here)) {
    const q = (here.match(/"/g) ?? []).length % 2 === 1 ? '"' : "'";
    return { offset: lines.slice(0, lineNo).join('\n').length + (lineNo ? 1 : 0) + here.indexOf(q), message: `这一行的引号 ${q} 没有成对（开头和结尾都要有）` };
  }
  // a { or [ not closed on the line before the reported one
  const start = lineStart(offset);
  for (let i = text.slice(0, start).split('\n').length - 1; i >= Math.max(0, lineNo - 2); i--) {
    const l = (lines[i] ?? '').replace(/"[^"]*"|'[^']*'/g, '').replace(/\s#.*$/, '');
    const open = (l.match(/[{[]/g) ?? []).length;
    const close = (l.match(/[}\]]/g) ?? []).length;
    if (open > close && i !== lineNo) {
      const off = lines.slice(0, i).join('\n').length + (i ? 1 : 0) + lines[i].replace(/\s+(#.*)?$/, '').length;
      return { offset: off, message: `这一行的 ${l.includes('{') ? '{' : '['} 没有对应的 ${l.includes('{') ? '}' : ']'}（括号要成对，写在同一行内）` };
    }
    if (open < close) {
      const idx = l.search(/[}\]]/);
      const off = lines.slice(0, i).join('\n').length + (i ? 1 : 0) + idx;
      return { offset: off, message: `多了一个 ${l[idx]}（没有与它成对的 ${l[idx] === '}' ? '{' : '['}）` };
    }
  }
  return undefined;
}

const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

/** A mapping key as data: a quoted and a plain code are the same key. */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value ?? '');
  return String(key);
}

function checkNodes(src: Source, node: unknown, path: string, problems: Problem[], depth = 0): void {
  if (depth > 50) {
    problems.push({ path, loc: nodeLoc(src, node), message: '嵌套层次过深（超过 50 层）：请检查缩进' });
    return;
  }
  if (isAlias(node) || !isNode(node)) return;
  if (isScalar(node)) {
    checkScalar(src, node, path, problems);
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((it, i) => checkNodes(src, it, join(path, i), problems, depth + 1));
    return;
  }
  if (isMap(node)) {
    const seen = new Map<string, Pair>();
    for (const pair of node.items as Pair[]) {
      if (!isPair(pair)) continue;
      const k = keyText(pair.key);
      if (isScalar(pair.key)) checkScalar(src, pair.key, join(path, k), problems);
      const prev = seen.get(k);
      if (prev) {
        const l1 = nodeLoc(src, prev.key);
        const l2 = nodeLoc(src, pair.key);
        const quoted = isScalar(prev.key) && isScalar(pair.key) && prev.key.type !== pair.key.type ? '（加不加引号都是同一个键）' : '';
        problems.push({
          path: join(path, k), loc: l2,
          message: `键“${k}”重复：第 ${l1?.line} 行和第 ${l2?.line} 行都写了它${quoted}；请删除或合并其中一处`,
        });
      } else seen.set(k, pair);
      checkNodes(src, pair.value, join(path, k), problems, depth + 1);
    }
  }
}

function checkScalar(src: Source, node: Scalar, path: string, problems: Problem[]): void {
  const v = node.value;
  if (typeof v !== 'string') return;
  const r = node.range;
  if (v.length > MAX_TEXT_CHARS) {
    problems.push({ path, loc: nodeLoc(src, node), message: `文字过长（${v.length.toLocaleString('en-US')} 个字符，一段文字上限 ${MAX_TEXT_CHARS.toLocaleString('en-US')} 个字符）：请检查是否误粘贴了大段内容，或把它分成几段` });
    return;
  }
  // Invisible characters as typed in the file: located exactly.
  const raw = r ? src.text.slice(r[0], r[1]) : '';
  const inRaw = findBadChars(raw, true);
  for (const h of inRaw.slice(0, 3)) {
    problems.push({ path, loc: locAt(src, r![0] + h.offset), message: `有看不见的字符 ${charName(h.cp)}（常见于从网页或 Word 复制）：请删除它；若整行看起来都正确，可把这一项删除后重新输入` });
  }
  if (inRaw.length) return;
  // Written as escapes ("\0", "\a", "\uFFFE", "\u200b"): the value holds them.
  const inValue = findBadChars(v, true);
  for (const h of inValue.slice(0, 3)) {
    const kind = isForbidden(h.cp) ? '控制字符或非字符' : '看不见的字符';
    problems.push({ path, loc: nodeLoc(src, node), message: `文字中含有${kind} ${charName(h.cp)}（由引号中的反斜杠转义写成），它不能印在报告中：请删除这个转义` });
  }
}

export function locAt(src: Source, offset: number): Location {
  const p = src.lines.linePos(offset);
  return { file: src.file, line: p.line, col: p.col };
}

export function nodeLoc(src: Source, node: unknown): Location | undefined {
  if (isNode(node) && (node as Node).range) return locAt(src, (node as Node).range![0]);
  return undefined;
}

/** The exact source text of a scalar node. */
export function sourceText(src: Source, node: Node): string {
  const r = node.range!;
  return src.text.slice(r[0], r[1]);
}
