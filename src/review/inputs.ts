/**
 * The inputs of a data file as leaves: every scalar with its key path, source
 * text and line, read from the located YAML document (so "20,624.94" and
 * "20624.94" are shown as typed).
 */
import { isMap, isScalar, isSeq, Node, Pair, Scalar } from 'yaml';
import { locAt, Source, sourceText } from '../source/load';

export interface Leaf {
  path: string;
  /** The value as typed (plain scalars: source text; quoted/block: the value). */
  text: string;
  line: number;
}

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function scalarText(src: Source, n: Scalar): string {
  if (n.value === null) return '';
  if (n.type === Scalar.PLAIN) return sourceText(src, n as unknown as Node).trim();
  return String(n.value).trim();
}

export function leaves(src: Source): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const walk = (node: unknown, path: string) => {
    if (isMap(node)) {
      for (const pair of node.items as Pair[]) walk(pair.value, join(path, isScalar(pair.key) ? String(pair.key.value) : String(pair.key)));
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => walk(it, join(path, i)));
    } else if (isScalar(node)) {
      out.set(path, { path, text: scalarText(src, node), line: node.range ? locAt(src, node.range[0]).line : 0 });
    } else if (node === null || node === undefined) {
      out.set(path, { path, text: '', line: 0 });
    }
  };
  walk(src.doc.contents, '');
  return out;
}

/** Which part of the report a key path feeds, for grouping the change report. */
export function inputGroup(path: string): string {
  const [a, b] = path.split(/[.[]/);
  if (a === 'tables' && /^t\d\d$/.test(b ?? '')) return `第二部分 部门决算表 · 公开${b.slice(1)}表（tables.${b}）`;
  if (a === 'overview') return '第一部分 部门概况（overview）';
  if (a === 'explanations') return `第三部分 决算情况说明（explanations${b ? '.' + b : ''}）`;
  if (a === 'glossary') return '第四部分 名词解释（glossary）';
  if (a === 'attachment') return `第五部分 附件（attachment${b ? '.' + b : ''}）`;
  if (a === 'subjects') return '科目名称（subjects）';
  return `基本信息（${a}）`;
}
