/**
 * Tagged PDF: the logical structure (Document → Sect → H1…H5 / P / Table →
 * THead/TBody → TR → TH/TD) that screen readers and reflow use. Pagination
 * hangs each display line on a StructNode; the emitter marks the line's
 * content with its MCID; buildStructTree writes the StructTreeRoot, the
 * ParentTree and the catalog entries. Page numbers, rules and header rows
 * repeated on continuation pages are artifacts.
 */
import { PDFDocument, PDFName, PDFNumber, PDFRef, type PDFDict } from 'pdf-lib';

export type StructType =
  | 'Document'
  | 'Sect'
  | 'H1'
  | 'H2'
  | 'H3'
  | 'H4'
  | 'H5'
  | 'P'
  | 'Table'
  | 'THead'
  | 'TBody'
  | 'TR'
  | 'TH'
  | 'TD';

/** A marked-content piece of a structure element: MCID `mcid` on page `page`. */
export interface MarkedContent {
  page: number;
  mcid: number;
}

export class StructNode {
  readonly children: StructNode[] = [];
  readonly content: MarkedContent[] = [];
  /** Table attributes (TH/TD spans, TH scope). */
  attrs?: { colSpan?: number; rowSpan?: number; scope?: 'Column' | 'Row' | 'Both' };

  constructor(readonly type: StructType, readonly parent?: StructNode) {}

  add(type: StructType): StructNode {
    const n = new StructNode(type, this);
    this.children.push(n);
    return n;
  }
}

/** Does this node (or any descendant) carry content? Empty elements are left out. */
function hasContent(n: StructNode): boolean {
  return n.content.length > 0 || n.children.some(hasContent);
}

/**
 * Write the structure tree for `root` into the document. `pageRefs[i]` is
 * page i; `mcidCount[i]` the number of MCIDs used on it.
 */
export function buildStructTree(pdf: PDFDocument, root: StructNode, pageRefs: PDFRef[], mcidCount: number[]): void {
  const ctx = pdf.context;
  const rootRef = ctx.nextRef();
  // parents[page][mcid] = ref of the element that owns that marked content.
  const parents: PDFRef[][] = pageRefs.map((_, i) => new Array<PDFRef>(mcidCount[i] ?? 0));

  const build = (node: StructNode, parentRef: PDFRef): PDFRef | undefined => {
    if (!hasContent(node)) return undefined;
    const ref = ctx.nextRef();
    const kids: unknown[] = [];
    for (const child of node.children) {
      const r = build(child, ref);
      if (r) kids.push(r);
    }
    const pages = new Set(node.content.map((c) => c.page));
    const dict: Record<string, unknown> = { Type: 'StructElem', S: node.type, P: parentRef };
    if (pages.size === 1 && node.children.length === 0) {
      dict.Pg = pageRefs[node.content[0].page];
      for (const c of node.content) kids.push(PDFNumber.of(c.mcid));
    } else {
      for (const c of node.content) kids.push(ctx.obj({ Type: 'MCR', Pg: pageRefs[c.page], MCID: c.mcid }));
    }
    for (const c of node.content) parents[c.page][c.mcid] = ref;
    dict.K = kids.length === 1 ? kids[0] : kids;
    if (node.attrs) {
      const a: Record<string, unknown> = { O: 'Table' };
      if (node.attrs.colSpan && node.attrs.colSpan > 1) a.ColSpan = node.attrs.colSpan;
      if (node.attrs.rowSpan && node.attrs.rowSpan > 1) a.RowSpan = node.attrs.rowSpan;
      if (node.attrs.scope) a.Scope = node.attrs.scope;
      dict.A = ctx.obj(a as never);
    }
    ctx.assign(ref, ctx.obj(dict as never));
    return ref;
  };

  const top = build(root, rootRef);
  const nums: unknown[] = [];
  pageRefs.forEach((pageRef, i) => {
    const page = ctx.lookup(pageRef) as PDFDict;
    page.set(PDFName.of('StructParents'), PDFNumber.of(i));
    page.set(PDFName.of('Tabs'), PDFName.of('S'));
    nums.push(PDFNumber.of(i), ctx.register(ctx.obj(parents[i].filter(Boolean))));
  });
  const parentTree = ctx.register(ctx.obj({ Nums: nums as never }));
  ctx.assign(
    rootRef,
    ctx.obj({
      Type: 'StructTreeRoot',
      ...(top ? { K: top } : {}),
      ParentTree: parentTree,
      ParentTreeNextKey: pageRefs.length,
    } as never),
  );
  pdf.catalog.set(PDFName.of('StructTreeRoot'), rootRef);
  pdf.catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }));
}
