/**
 * Provenance: every figure printed in report.md has a trace entry, and each
 * derived figure is recomputed from its trace — inputs read back from data.yaml
 * at the recorded key path and line, operations applied — to the printed text.
 */
import Decimal from 'decimal.js';
import { grouped, plain } from '../../src/format/number';
import { parseSource } from '../../src/source/load';
import { leaves } from '../../src/review/inputs';
import { evaluate, FIGURE, traceBuild, TraceNode } from '../../src/review/trace';
import { explainQuery } from '../../src/review/explain-cli';
import { build, dataText } from '../helpers/build';

const text = dataText();
const { built, trace } = traceBuild(text, 'data.yaml');
const md = build().md;
const src = leaves(parseSource(text, 'data.yaml'));

test('the traced build is the normal build (same report.md)', () => {
  expect(build().document).toEqual(built.document);
});

test('every figure in report.md (text and tables) has an entry', () => {
  const inMd = [...md.matchAll(FIGURE)].map((m) => m[0]).sort();
  expect(inMd.length).toBeGreaterThan(900);
  expect(trace.figures.map((f) => f.text).sort()).toEqual(inMd);
});

test('each computed figure recomputes from its trace to the printed text; each input is at its key path and line', () => {
  const inputValue = (n: TraceNode) => {
    const leaf = src.get(n.path!);
    expect(leaf).toBeDefined();
    expect(leaf!.line).toBe(n.line);
    const v = new Decimal(leaf!.text.replace(/,/g, '').replace(/^["']|["']$/g, ''));
    expect(v.toString()).toBe(n.value);
    return v;
  };
  let computed = 0;
  for (const f of trace.figures) {
    if (f.node === undefined) {
      // not computed: part of a text typed in data.yaml
      expect(text).toContain(f.text.replace(/%$/, ''));
      continue;
    }
    const v = evaluate(trace, f.node, inputValue);
    expect(v.toString()).toBe(trace.nodes[f.node].value);
    const shownText = f.text.endsWith('%') ? plain(v) + '%' : f.text.includes(',') || f.kind === 'cell' ? grouped(v) : plain(v);
    expect(`${f.label}: ${shownText}`).toBe(`${f.label}: ${f.text}`);
    if (trace.nodes[f.node].op !== 'input' && trace.nodes[f.node].op !== 'const') computed++;
  }
  expect(computed).toBeGreaterThan(200);
  expect(trace.figures.filter((f) => f.node === undefined).length).toBeLessThan(20);
});

test('figures point at the right inputs: a 05表 cell at its data.yaml key, 310.80% at the item’s actual and budget', () => {
  const cell = trace.figures.find((f) => f.kind === 'cell' && f.table?.startsWith('公开05表') && f.row === '2010302 一般行政管理事务' && f.col?.endsWith('项目支出'));
  expect(cell).toBeDefined();
  const n = trace.nodes[cell!.node!];
  expect([n.op, n.path, n.line]).toEqual(['input', 'tables.t05.rows.2010302.project', src.get('tables.t05.rows.2010302.project')!.line]);
  const out = explainQuery(trace, '310.80%').join('\n');
  expect(out).toContain('完成年初预算的310.80%');
  expect(out).toContain(`12106.76 ÷ 3895.30（data.yaml:${src.get('tables.t05.rows.2010302.budget')!.line} tables.t05.rows.2010302.budget）`);
  expect(out).toContain(`12106.76（data.yaml:${src.get('tables.t05.rows.2010302.project')!.line} tables.t05.rows.2010302.project）`);
  expect(explainQuery(trace, 'tables.t05.rows.2010302.budget').join('\n')).toContain('完成年初预算的310.80%');
  expect(explainQuery(trace, '一般行政管理事务').length).toBeGreaterThan(3);
  expect(explainQuery(trace, '99999.99')[0]).toContain('报告中没有印出');
});
