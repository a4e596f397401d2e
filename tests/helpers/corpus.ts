/**
 * The bad-input corpus (tests/fixtures/bad/cases): load the expectations and run
 * the compiled CLI on each case into an output folder holding a previous set.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './build';

export const CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
export const CASES_DIR = path.join(ROOT, 'tests', 'fixtures', 'bad', 'cases');

export interface Expectation {
  id: string;
  category: string;
  title: string;
  command: 'check' | 'build';
  exit: number;
  message?: string;
  path?: string;
  line?: number;
  col?: number;
  sameAsCommitted?: boolean;
  mdHas?: string[];
  mdNot?: string[];
}

export function loadCorpus(): Expectation[] {
  return fs.readdirSync(CASES_DIR).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(CASES_DIR, f), 'utf8')) as Expectation);
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], timeoutMs = 120000): Promise<Run> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const t = setTimeout(() => p.kill('SIGKILL'), timeoutMs);
    p.on('close', (status) => {
      clearTimeout(t);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Every file of a folder (recursively, including dot files) with its bytes. */
export function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else out.set(`${rel}${e.name}`, fs.readFileSync(p));
    }
  };
  walk(dir, '');
  return out;
}

export function sameSnapshot(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.get(k)?.equals(v)) return false;
  return true;
}

/** A previous set in a fresh output folder: what a failed run must leave exactly as it was. */
export function previousSet(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'juesuan-out-'));
  fs.copyFileSync(path.join(ROOT, 'output', 'report.md'), path.join(dir, 'report.md'));
  fs.copyFileSync(path.join(ROOT, 'output', 'audit.md'), path.join(dir, 'audit.md'));
  fs.writeFileSync(path.join(dir, 'report.docx'), 'previous docx');
  fs.writeFileSync(path.join(dir, 'report.xlsx'), 'previous xlsx');
  fs.writeFileSync(path.join(dir, 'report.pdf'), 'previous pdf');
  fs.writeFileSync(path.join(dir, '.gitkeep'), '');
  return dir;
}

/** JavaScript or Node internals a user must never see. */
export const JS_TEXT = /\n\s+at \S.*[(:]\d+|\bat .+\(.+:\d+:\d+\)|TypeError|ReferenceError|RangeError|SyntaxError|\bError:|\bundefined\b|\bnull\b|\bNaN\b|\[object |\bE(?:PERM|ACCES|BUSY|EXIST|NOSPC|NOENT|ISDIR|ROFS)\b|is not a function|Cannot read prop/;

/** Run `fn` over `items` with at most `n` at a time. */
export async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }));
  return out;
}
