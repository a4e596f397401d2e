/**
 * Helpers for the PDF writer tests: the documents to test (the mini fixture
 * always; the real report from data.yaml once it exists), rendering with a
 * per-process cache, and the poppler/qpdf command-line tools.
 */
import { execFileSync, spawnSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import type { ReportDocument } from '../../src/document/types';
import { miniDocument } from '../fixtures/mini-document';
import { renderPdf, layoutPdf } from '../../src/render/pdf';
import type { LayoutResult } from '../../src/render/pdf/paginate';

export const ROOT = path.resolve(__dirname, '..', '..');
export const DATA_YAML = path.join(ROOT, 'data.yaml');
export const HAVE_REAL = existsSync(DATA_YAML);

export const SECOND_YAML = path.join(ROOT, 'tests', 'fixtures', 'second-department', 'data.yaml');

const built = new Map<string, ReportDocument>();
/** The document of a data.yaml, built once (lazily, so the mini tests run whatever the pipeline's state). */
function fromYaml(file: string): () => ReportDocument {
  return () => {
    let doc = built.get(file);
    if (!doc) {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { buildDocumentFromFile } = require('../../src/pipeline') as typeof import('../../src/pipeline');
      built.set(file, (doc = buildDocumentFromFile(file)));
    }
    return doc;
  };
}
const real = fromYaml(DATA_YAML);

export interface Case {
  name: string;
  doc: () => ReportDocument;
}

/**
 * The mini fixture with its tables lengthened past a page (table 01 to 90
 * rows, the landscape table 06 to 60), so multi-page tables are tested even
 * without data.yaml.
 */
function longDocument(): ReportDocument {
  const doc: ReportDocument = JSON.parse(JSON.stringify(miniDocument));
  for (const part of doc.parts) {
    for (const b of part.blocks) {
      if (b.kind !== 'table') continue;
      const t = b.table;
      const target = t.id === '01' ? 90 : t.id === '06' ? 60 : t.body.length;
      const data = t.body.filter((r) => r.role === 'data');
      if (!data.length) continue;
      const rows = [];
      for (let i = 0; rows.length < target - 1; i++) rows.push(JSON.parse(JSON.stringify(data[i % data.length])));
      t.body = [...rows, t.body[t.body.length - 1]];
    }
  }
  return doc;
}

/** The documents every PDF test runs against; `real` only while data.yaml exists. */
export const CASES: Case[] = [
  { name: 'mini', doc: () => miniDocument },
  { name: 'long', doc: longDocument },
];
if (HAVE_REAL) CASES.push({ name: 'real', doc: real });
// A second, different department (元 data, a 07 table with rows).
if (existsSync(SECOND_YAML)) CASES.push({ name: 'second', doc: fromYaml(SECOND_YAML) });

const pdfCache = new Map<string, Promise<Buffer>>();
export function pdfOf(c: Case): Promise<Buffer> {
  let p = pdfCache.get(c.name);
  if (!p) pdfCache.set(c.name, (p = renderPdf(c.doc())));
  return p;
}

const layoutCache = new Map<string, LayoutResult>();
export function layoutOf(c: Case): LayoutResult {
  let l = layoutCache.get(c.name);
  if (!l) layoutCache.set(c.name, (l = layoutPdf(c.doc())));
  return l;
}

export function hasTool(tool: string): boolean {
  const r = spawnSync(tool, ['-v'], { encoding: 'utf8' });
  return !r.error;
}

/** Run `fn` with the PDF written to a temporary file. */
export function withFile<T>(pdf: Buffer, fn: (file: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'pdf-test-'));
  const file = path.join(dir, 'out.pdf');
  try {
    writeFileSync(file, pdf);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run a poppler tool on the PDF; returns stdout and stderr (syntax errors land there). */
export function poppler(pdf: Buffer, tool: string, args: string[]): { stdout: string; stderr: string; status: number } {
  return withFile(pdf, (file) => {
    const r = spawnSync(tool, [...args, file], { encoding: 'utf8', maxBuffer: 64 << 20 });
    return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
  });
}

export function pdftotext(pdf: Buffer, mode: 'layout' | 'raw' | 'default' = 'default'): string {
  return withFile(pdf, (file) => {
    const args = mode === 'default' ? [] : [`-${mode}`];
    return execFileSync('pdftotext', [...args, '-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  });
}

export interface FontRow {
  name: string;
  type: string;
  emb: boolean;
  sub: boolean;
  uni: boolean;
}

export function pdffonts(pdf: Buffer): FontRow[] {
  const out = withFile(pdf, (file) => execFileSync('pdffonts', [file], { encoding: 'utf8' }));
  const lines = out.split('\n').slice(2).filter((l) => l.trim());
  return lines.map((l) => {
    const cols = l.trim().split(/\s+/);
    // name, type (may contain spaces), encoding, emb, sub, uni, object, ID
    const n = cols.length;
    return {
      name: cols[0],
      type: cols.slice(1, n - 6).join(' '),
      emb: cols[n - 5] === 'yes',
      sub: cols[n - 4] === 'yes',
      uni: cols[n - 3] === 'yes',
    };
  });
}

export function qpdfCheck(pdf: Buffer): { status: number; output: string } {
  return withFile(pdf, (file) => {
    const r = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    return { status: r.status ?? -1, output: `${r.stdout}\n${r.stderr}` };
  });
}

/** Text with page-number lines removed and all whitespace stripped. */
export function squash(text: string): string {
  return text
    .split(/\n|\f/)
    .filter((l) => !/^\s*—\s*\d+\s*—\s*$/.test(l))
    .join('')
    .replace(/\s+/g, '');
}

export function strip(s: string): string {
  return s.replace(/\s+/g, '');
}
