/**
 * The review copy: real Word comments on the paragraphs and cells they are
 * about (read back from word/comments.xml and the commentRangeStart positions),
 * and LibreOffice opens it (converts it to PDF and keeps every comment).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import JSZip from 'jszip';
import { buildVersion, compareVersions, fileVersion } from '../../src/review/diff';
import { writeReview } from '../../src/review/review-cli';
import { AuditError } from '../../src/pipeline';
import { build, DATA, dataText, edit } from '../helpers/build';
import { adjusted } from './fixtures';

const unxml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/** Each comment's text and the text of the paragraph its range starts in. */
async function readBack(file: string): Promise<Array<{ id: string; comment: string; paragraph: string }>> {
  const zip = await JSZip.loadAsync(fs.readFileSync(file));
  const comments = await zip.file('word/comments.xml')!.async('string');
  const doc = await zip.file('word/document.xml')!.async('string');
  expect(await zip.file('[Content_Types].xml')!.async('string')).toContain('/word/comments.xml');
  expect(await zip.file('word/_rels/document.xml.rels')!.async('string')).toContain('relationships/comments');
  const texts = new Map([...comments.matchAll(/<w:comment w:id="(\d+)"[^>]*>[\s\S]*?<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => [m[1], unxml(m[2])]));
  return [...doc.matchAll(/<w:commentRangeStart w:id="(\d+)"\/>/g)].map((m) => {
    const start = Math.max(doc.lastIndexOf('<w:p>', m.index!), doc.lastIndexOf('<w:p ', m.index!));
    const end = doc.indexOf('</w:p>', m.index!);
    const para = doc.slice(start, end);
    expect(para).toContain(`<w:commentReference w:id="${m[1]}"/>`);
    return { id: m[1], comment: texts.get(m[1])!, paragraph: [...para.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((x) => unxml(x[1])).join('') };
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'review-'));
const current = path.join(dir, 'data.yaml');
fs.writeFileSync(current, adjusted());
const out = path.join(dir, 'review.docx');

test('comments on every tail warning’s figure and on every changed sentence and cell', async () => {
  const r = await writeReview(current, DATA, out);
  const back = await readBack(out);
  expect(back.length).toBe(r.comments);
  const cur = build(adjusted());
  // 尾差提示: the comment quotes both figures and sits where the printed figure is
  for (const w of cur.audit.warnings) {
    const mine = back.filter((b) => b.comment.includes(w.message));
    expect(mine.length).toBeGreaterThan(0);
    const printed = /报表数 (-?[\d.]+)/.exec(w.message)![1];
    for (const b of mine) expect(b.paragraph.replace(/,/g, '')).toContain(printed);
  }
  const changes = compareVersions(buildVersion(fileVersion(DATA)), buildVersion(fileVersion(current)));
  expect(changes.sentences.length).toBe(6);
  for (const c of changes.sentences) {
    const b = back.find((x) => x.comment.includes(`原为：${c.old}`));
    expect(b?.paragraph).toContain(c.new);
  }
  for (const c of changes.cells) {
    const b = back.find((x) => x.comment.includes(`${c.row} ${c.col} 已修改，原为：${c.old}`));
    expect(b?.paragraph).toBe(c.new);
  }
});

test('a reason for another direction: the build stops, the review copy carries it as a comment at the item', async () => {
  let text = edit(dataText(), '"2080502": { basic: 344.38, budget: 336.62', '"2080502": { basic: 344.38, budget: 356.62');
  text = edit(text, 'initial_basic: 2659.79', 'initial_basic: 2679.79');
  expect(() => build(text)).toThrow(AuditError);
  const file = path.join(dir, 'stale.yaml');
  fs.writeFileSync(file, text);
  const docx = path.join(dir, 'stale.docx');
  const r = await writeReview(file, undefined, docx);
  expect(r.blocked).toBe(1);
  const b = (await readBack(docx)).find((x) => x.comment.includes('原因与方向不符'));
  expect(b?.comment).toContain('“年中调整的人员经费”');
  expect(b?.paragraph).toContain('年初预算为356.62万元，支出决算为344.38万元，完成年初预算的96.57%');
});

const haveSoffice = spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).status === 0;
(haveSoffice ? test : test.skip)('LibreOffice opens the review copy: converts it to PDF, and reads every comment (to ODT)', async () => {
  if (!fs.existsSync(out)) await writeReview(current, DATA, out);
  const n = (await readBack(out)).length;
  const profile = `file://${path.join(dir, 'lo-profile')}`;
  for (const to of ['pdf', 'odt']) {
    const res = spawnSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', to, '--outdir', dir, out], { encoding: 'utf8', timeout: 110000 });
    expect(res.status).toBe(0);
  }
  expect(fs.readFileSync(path.join(dir, 'review.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
  const odt = await JSZip.loadAsync(fs.readFileSync(path.join(dir, 'review.odt')));
  const content = await odt.file('content.xml')!.async('string');
  expect((content.match(/<office:annotation[ >]/g) ?? []).length).toBe(n);
});
