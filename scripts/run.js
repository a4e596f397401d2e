#!/usr/bin/env node
/**
 * Start a compiled entry point of the toolkit, compiling first only when the
 * TypeScript sources are newer than the last compile.
 *
 *   node scripts/run.js cli build …      → dist/src/cli/main.js build …
 *   node scripts/run.js gen-fixtures …   → dist/src/tools/gen-fixtures.js …
 *   node scripts/run.js bench …          → dist/bench/bench.js …
 *   node scripts/run.js --build-only     → compile if stale, run nothing (npm "prepare", "pretest")
 *   node scripts/run.js --force          → compile now (npm run build)
 *
 * Staleness: the newest modification time under src/, bench/, tests/ (for
 * `cli`: src/ only, all its bundle is made from) and of tsconfig.json,
 * package.json and the bundler scripts against dist/.built (written after
 * every successful compile). A stat walk of ~100 files costs a few milliseconds.
 * A compile is tsc (type check, dist/) and then scripts/bundle.js (the command
 * line's bundles, well under a second).
 * Templates, profiles and the catalog are read at run time and need no compile.
 * Plain JavaScript on purpose: it must run before anything is compiled.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.built');
const SOURCES = ['src', 'bench', 'tests'];
const CONFIG = ['tsconfig.json', 'package.json', 'scripts/bundle.js', 'scripts/bundle-stub.js'];

const ENTRIES = {
  cli: 'dist/src/cli/main.js',
  'gen-fixtures': 'dist/src/tools/gen-fixtures.js',
  bench: 'dist/bench/bench.js',
  'diff-report': 'dist/src/review/diff-cli.js',
  textconv: 'dist/src/review/textconv-cli.js',
  explain: 'dist/src/review/explain-cli.js',
  review: 'dist/src/review/review-cli.js',
  schema: 'dist/src/review/json-schema.js',
};

function newestSource(sources) {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of sources) walk(path.join(ROOT, d));
  for (const f of CONFIG) {
    try {
      newest = Math.max(newest, fs.statSync(path.join(ROOT, f)).mtimeMs);
    } catch {
      /* optional */
    }
  }
  return newest;
}

function isStale(sources) {
  let built;
  try {
    built = fs.statSync(STAMP).mtimeMs;
  } catch {
    return true;
  }
  return newestSource(sources) > built;
}

function compile(reason, then) {
  if (reason) process.stderr.write(`${reason}，正在编译 TypeScript（约 10 秒，只在源代码改动后发生一次）…\n`);
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [ROOT] });
  } catch {
    process.stderr.write('找不到 TypeScript 编译器：请先在工具目录运行 npm ci。\n');
    process.exit(2);
  }
  const startedAt = Date.now();
  const { spawnSync } = require('child_process'); // only here: loading it costs a few ms of every start
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('编译失败（见上面的 TypeScript 错误），未运行任何命令。\n');
    process.exit(r.status || 2);
  }
  // The command line's entry points become bundles (scripts/bundle.js): one file to load, not ≈ 150 modules.
  require('./bundle').bundle().then(
    () => {
      fs.mkdirSync(DIST, { recursive: true });
      fs.writeFileSync(STAMP, `compiled ${new Date(startedAt).toISOString()}\n`);
      // The stamp must not be newer than a source saved during the compile.
      const t = new Date(startedAt);
      fs.utimesSync(STAMP, t, t);
      if (then) then();
    },
    (e) => {
      process.stderr.write(`${e.message}\n打包失败，未运行任何命令。\n`);
      process.exit(2);
    },
  );
}

function main() {
  const [what, ...rest] = process.argv.slice(2);
  if (what === '--force') return compile('');
  if (what !== '--build-only' && !ENTRIES[what]) {
    process.stderr.write(`scripts/run.js: 未知的入口“${what}”（可用：${Object.keys(ENTRIES).join('、')}）\n`);
    process.exit(2);
  }
  const go = () => (what === '--build-only' ? undefined : start(what, rest));
  if (!fs.existsSync(STAMP) || !fs.existsSync(path.join(DIST, 'src', 'cli', 'main.bundle.js'))) compile('尚未编译', go);
  // The command line's bundle is made from src/ alone: a change under tests/ or bench/ waits for npm test or bench.
  else if (isStale(what === 'cli' ? ['src'] : SOURCES)) compile('源代码比上次编译新', go);
  else go();
}

function start(what, rest) {
  const entry = ENTRIES[what];
  const file = path.join(ROOT, entry);
  // Run in this process (one node start, not two), as the main module, so the
  // entry's `require.main === module` start-up check holds as with `node file`.
  process.argv = [process.argv[0], file, ...rest];
  require('module').runMain();
}

main();
