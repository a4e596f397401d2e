/** Locate files shipped with the toolkit (catalog/, templates/) from src/ or dist/src/. */
import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'templates'))) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (package.json + templates/)');
    dir = up;
  }
}

export function projectFile(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
