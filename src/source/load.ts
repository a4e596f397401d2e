/**
 * Stage 1: read data.yaml into a YAML document that keeps every scalar's source
 * text and position, so amounts can be parsed from their text (never through a JS
 * float) and every error can point at file:line:column.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LineCounter, parseDocument, Document, isNode, Node } from 'yaml';
import { InputError, Location, Problem } from '../errors';

export interface Source {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export function loadSource(file: string): Source {
  let text: string;
  const shown = path.relative(process.cwd(), file) || file;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError([{ path: '', message: `无法读取数据文件 ${shown}：${(e as NodeJS.ErrnoException).code ?? String(e)}` }]);
  }
  return parseSource(text, shown);
}

export function parseSource(text: string, file: string): Source {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const src: Source = { file, text, doc, lines };
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    loc: locAt(src, e.pos[0]),
    path: '',
    message: `YAML 格式错误：${translateYamlError(e.code, e.message)}`,
  }));
  if (problems.length) throw new InputError(problems);
  return src;
}

function translateYamlError(code: string, message: string): string {
  const known: Record<string, string> = {
    DUPLICATE_KEY: '键名重复（同一层级下同一个键出现了两次）',
    BAD_INDENT: '缩进不正确',
    MISSING_CHAR: '缺少必要的字符（如冒号、引号或括号）',
    MULTILINE_IMPLICIT_KEY: '键名不能跨行（可能缺少冒号或缩进错误）',
    TAB_AS_INDENT: '不能用 Tab 缩进，请改用空格',
    UNEXPECTED_TOKEN: '出现了不应有的字符',
    BLOCK_AS_IMPLICIT_KEY: '缩进或冒号位置不正确',
  };
  const first = message.split('\n')[0];
  return known[code] ? `${known[code]}（${first}）` : first;
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
