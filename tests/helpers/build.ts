/** Test helpers: build the bundled data.yaml (or a modified copy) to Markdown. */
import * as fs from 'fs';
import * as path from 'path';
import { buildFromText, Built } from '../../src/pipeline';
import { renderMarkdown } from '../../src/render/md';

export const ROOT = path.join(__dirname, '..', '..');
export const DATA = path.join(ROOT, 'data.yaml');
export const dataText = (): string => fs.readFileSync(DATA, 'utf8');

export function build(text = dataText()): Built & { md: string } {
  const b = buildFromText(text, 'data.yaml');
  return { ...b, md: renderMarkdown(b.document) };
}

/** Replace exactly one occurrence of `from` in the YAML text (fails loudly otherwise). */
export function edit(text: string, from: string, to: string): string {
  const n = text.split(from).length - 1;
  if (n !== 1) throw new Error(`expected exactly one occurrence of ${JSON.stringify(from)}, found ${n}`);
  return text.replace(from, to);
}
