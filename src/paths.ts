/** Locate files shipped with the toolkit (catalog/, profiles/) from src/ or dist/src/. */
import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'profiles'))) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the project root (package.json + profiles/)');
    dir = up;
  }
}

export function projectFile(...parts: string[]): string {
  return path.join(projectRoot(), ...parts);
}
