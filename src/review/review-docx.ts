/**
 * The review copy, output/review.docx: the Word report (the docx writer's own
 * output, unchanged) with real Word comments added by post-processing its XML:
 *  - on every figure with an audit finding (尾差提示 with both figures, a reason
 *    written for another direction), found through the provenance trace: the
 *    figures that depend on the finding's data and on the fewest other inputs;
 *  - when another version is given, on every sentence and table cell that
 *    changed since it (with the old text).
 * Comments sit on paragraphs (a sentence's paragraph, a cell's paragraph).
 */
import JSZip from 'jszip';
import { Finding } from '../audit/rules';
import { Block, ReportDocument } from '../document/types';
import { Built } from '../pipeline';
import { renderDocx } from '../render/docx';
import { ChangeReport } from './diff';
import { runText, topLevel } from './textconv';
import { Explainer, TraceFile } from './trace';
import { tableCells } from './units';

/** Where a comment goes in the document model. */
export type Anchor =
  | { kind: 'block'; part: number; block: number }
  | { kind: 'cell'; part: number; block: number; row: number; cell: number };

export interface ReviewComment {
  anchor: Anchor;
  author: string;
  text: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The figures a finding is about: those depending on its data, with the fewest other inputs. */
export function findingAnchors(f: Finding, doc: ReportDocument, trace: TraceFile): Anchor[] {
  if (!f.path) return [];
  const base = f.path.replace(/\.(over|under|increase|decrease)_reason$/, '');
  const e = new Explainer(trace);
  const hit = new Set(trace.nodes.map((n, i) => [n, i] as const).filter(([n]) => n.op === 'input' && (n.path === base || n.path!.startsWith(base + '.'))).map(([, i]) => i));
  const all = trace.figures.map((fig, i) => ({ fig, i, inputs: fig.node === undefined ? new Set<number>() : e.inputs(fig.node) }));
  const scored = all.filter((x) => [...x.inputs].some((i) => hit.has(i)));
  // a tail warning names the printed figure: prefer the places that print it (the compared side may be another table)
  const printed = /报表数 (-?[\d.]+)/.exec(f.message)?.[1];
  if (printed) {
    const same = scored.filter((x) => x.fig.text.replace(/,/g, '') === printed);
    const anywhere = all.filter((x) => x.fig.text.replace(/,/g, '') === printed);
    if (same.length || anywhere.length) scored.splice(0, scored.length, ...(same.length ? same : anywhere));
  }
  if (!scored.length) return [];
  // a reason is about the sentence that explains the item; a printed total about its table cell
  const wantSentence = base !== f.path;
  const pool = scored.filter((x) => (wantSentence ? x.fig.kind === 'sentence' : true));
  const best = Math.min(...(pool.length ? pool : scored).map((x) => x.inputs.size));
  const chosen = (pool.length ? pool : scored).filter((x) => x.inputs.size === best).slice(0, 3);
  return chosen.map((x) => figureAnchor(doc, trace, x.i)).filter((a): a is Anchor => !!a);
}

/** The model position of the n-th traced figure (figures are listed in document order). */
function figureAnchor(doc: ReportDocument, trace: TraceFile, index: number): Anchor | undefined {
  const target = trace.figures[index];
  let n = 0;
  const FIG = /-?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}%?/g;
  const whole = new RegExp(`^${FIG.source}$`);
  for (let pi = 0; pi < doc.parts.length; pi++) {
    const blocks = doc.parts[pi].blocks;
    for (let bi = 0; bi < blocks.length; bi++) {
      const b = blocks[bi];
      if (b.kind === 'heading') continue;
      if (b.kind === 'table') {
        for (const c of tableCells(b.table)) {
          if (!whole.test(c.text)) continue;
          if (n++ === index) return { kind: 'cell', part: pi, block: bi, row: c.rowIndex, cell: c.cellIndex };
        }
      }
      for (const s of b.kind === 'paragraph' ? b.sentences : b.table.notes) {
        for (const _ of s.matchAll(FIG)) {
          void _;
          if (n++ === index) return { kind: 'block', part: pi, block: bi };
        }
      }
    }
  }
  void target;
  return undefined;
}

export function reviewComments(built: Built, trace: TraceFile, changes?: ChangeReport, extraFindings: Finding[] = []): ReviewComment[] {
  const out: ReviewComment[] = [];
  const doc = built.document;
  for (const f of [...built.audit.findings, ...extraFindings]) {
    const anchors = findingAnchors(f, doc, trace);
    const where = f.loc ? `（${f.loc.file}:${f.loc.line}）` : '';
    const text = `${f.severity === 'error' ? '错误' : '提示'} [${f.rule}] ${f.message}${where}`;
    for (const a of anchors.length ? anchors : [{ kind: 'block', part: 0, block: 0 } as Anchor]) out.push({ anchor: a, author: '审核', text: anchors.length ? text : `${text}（未能定位到具体数字）` });
  }
  if (changes) {
    const since = `与${changes.other.label}相比`;
    for (const c of changes.sentences) {
      if (c.unit && c.unit.pos.sentence >= 0 && c.unit.pos.sentence < 1000) {
        out.push({ anchor: { kind: 'block', part: c.unit.pos.part, block: c.unit.pos.block }, author: '修改', text: c.old !== undefined ? `${since}，此句已修改，原为：${c.old}` : `${since}，新增此句` });
      } else if (c.unit) {
        out.push({ anchor: { kind: 'block', part: c.unit.pos.part, block: c.unit.pos.block }, author: '修改', text: c.old !== undefined ? `${since}，已修改，原为：${c.old}` : `${since}，新增` });
      } else out.push({ anchor: { kind: 'block', part: 0, block: 0 }, author: '修改', text: `${since}，删除了一句（${c.part}${c.section ? ' · ' + c.section : ''}）：${c.old}` });
    }
    for (const c of changes.cells) {
      if (c.unit) out.push({ anchor: { kind: 'cell', ...c.unit.pos }, author: '修改', text: `${since}，${c.table} ${c.row} ${c.col} 已修改，原为：${c.old ?? '（无此格）'}` });
      else out.push({ anchor: { kind: 'block', part: 0, block: 0 }, author: '修改', text: `${since}，删除了 ${c.table} ${c.row} ${c.col}（原为 ${c.old}）` });
    }
  }
  // one comment per place and text (an identity checked twice gives the same message)
  const seen = new Set<string>();
  return out.filter((c) => {
    const k = `${JSON.stringify(c.anchor)} ${c.text}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

const blockText = (b: Block): string => (b.kind === 'heading' ? b.text : b.kind === 'paragraph' ? b.sentences.join('') : '');

/** Add the comments to a rendered docx: comments.xml, its relationship and content type, and the ranges. */
export async function addComments(docx: Buffer, doc: ReportDocument, comments: ReviewComment[]): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const bodyStart = xml.indexOf('<w:body>') + '<w:body>'.length;
  const body = xml.slice(bodyStart, xml.lastIndexOf('</w:body>'));
  const els = topLevel(body, ['w:p', 'w:tbl']);
  // Align the model's blocks to the body's elements, in order (cover and TOC paragraphs are skipped).
  const at = new Map<string, number>(); // "part:block" → element index
  let cursor = 0;
  doc.parts.forEach((p, pi) => p.blocks.forEach((b, bi) => {
    const want = b.kind === 'table' ? undefined : blockText(b);
    for (let i = cursor; i < els.length; i++) {
      const ok = b.kind === 'table' ? els[i].tag === 'w:tbl' : els[i].tag === 'w:p' && runText(els[i].xml) === want;
      if (ok) { at.set(`${pi}:${bi}`, i); cursor = i + 1; return; }
    }
  }));
  // Insertions: [offset in body, text], applied from the end.
  const inserts: Array<[number, string]> = [];
  const date = `${doc.meta.date}T00:00:00Z`;
  const bodies: string[] = [];
  comments.forEach((c, id) => {
    let para: { start: number; xml: string } | undefined;
    const el = els[at.get(`${c.anchor.part}:${c.anchor.block}`) ?? -1] ?? els.find((e) => e.tag === 'w:p' && runText(e.xml).trim());
    if (!el) return;
    if (c.anchor.kind === 'cell' && el.tag === 'w:tbl') {
      const b = doc.parts[c.anchor.part].blocks[c.anchor.block];
      const t = b.kind === 'table' ? b.table : undefined;
      const inner = el.xml.indexOf('>') + 1;
      const rows = topLevel(el.xml.slice(inner), ['w:tr']);
      const row = rows[(t?.header.length ?? 0) + c.anchor.row];
      if (row) {
        const rowInner = row.xml.indexOf('>') + 1;
        const tc = topLevel(row.xml.slice(rowInner), ['w:tc'])[c.anchor.cell];
        if (tc) {
          const tcInner = tc.xml.indexOf('>') + 1;
          const p = topLevel(tc.xml.slice(tcInner), ['w:p'])[0];
          if (p) para = { start: el.start + inner + row.start + rowInner + tc.start + tcInner + p.start, xml: p.xml };
        }
      }
    } else if (el.tag === 'w:p') para = el;
    if (!para) return;
    const pPrEnd = para.xml.indexOf('</w:pPr>');
    const open = pPrEnd >= 0 ? pPrEnd + '</w:pPr>'.length : para.xml.indexOf('>') + 1;
    const close = para.xml.lastIndexOf('</w:p>');
    inserts.push([para.start + open, `<w:commentRangeStart w:id="${id}"/>`]);
    inserts.push([para.start + close, `<w:commentRangeEnd w:id="${id}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference w:id="${id}"/></w:r>`]);
    bodies.push(`<w:comment w:id="${id}" w:author="${esc(c.author)}" w:date="${date}" w:initials="${esc(c.author.slice(0, 1))}"><w:p><w:r><w:t xml:space="preserve">${esc(c.text)}</w:t></w:r></w:p></w:comment>`);
  });
  // stable order: by offset, then by insertion order (ranges of one paragraph nest)
  const ordered = inserts.map((x, i) => ({ x, i })).sort((a, b) => b.x[0] - a.x[0] || b.i - a.i);
  let newBody = body;
  for (const { x: [off, s] } of ordered) newBody = newBody.slice(0, off) + s + newBody.slice(off);
  zip.file('word/document.xml', xml.slice(0, bodyStart) + newBody + xml.slice(bodyStart + body.length), { date: new Date(date) });
  zip.file('word/comments.xml',
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' + bodies.join('') + '</w:comments>',
    { date: new Date(date) });
  const ct = await zip.file('[Content_Types].xml')!.async('string');
  if (!ct.includes('/word/comments.xml'))
    zip.file('[Content_Types].xml', ct.replace('</Types>', '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>'), { date: new Date(date) });
  const relsName = 'word/_rels/document.xml.rels';
  const rels = await zip.file(relsName)!.async('string');
  if (!rels.includes('relationships/comments"'))
    zip.file(relsName, rels.replace('</Relationships>', '<Relationship Id="rIdReviewComments" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/></Relationships>'), { date: new Date(date) });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

export async function renderReviewDocx(built: Built, trace: TraceFile, changes?: ChangeReport, extraFindings: Finding[] = []): Promise<{ data: Buffer; comments: ReviewComment[] }> {
  const comments = reviewComments(built, trace, changes, extraFindings);
  const docx = await renderDocx(built.document);
  return { data: await addComments(docx, built.document, comments), comments };
}
