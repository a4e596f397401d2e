#!/usr/bin/env node
/**
 * Bundle the command line's entry points with esbuild, over the files tsc wrote:
 *
 *   dist/src/cli/main.js    (npm run check / build-report / watch, and `node dist/src/cli/main.js`)
 *   dist/src/cli/worker.js  (the worker thread of --batch and watch: workerScript() in src/cli/batch.ts)
 *
 * Each bundle is one file holding our own modules plus the libraries `check`
 * needs (yaml, handlebars, decimal.js), so a cold command reads and compiles
 * one file instead of ≈ 150 modules with their package.json look-ups. The
 * writers' libraries (docx, exceljs, pdf-lib, fontkit, …) stay ordinary
 * require()s of node_modules, made only when a writer runs, so `check` never
 * loads them (src/render/pdf reaches into pdf-lib's pako and fontkit's brotli
 * by their node_modules paths, which bundling them would break).
 * Our writer modules are inside the bundle, evaluated on first require only
 * (esbuild keeps a lazy require() lazy).
 *
 * Bundled from the TypeScript sources (esbuild strips the types); tsc has
 * already type-checked and compiled the same sources to dist/, and every other
 * compiled file (review commands, bench, the files tests require) stays tsc's.
 * Called by scripts/run.js after every compile. Plain JavaScript on purpose.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

/** Entry point (source) → output file (where tsc put its compiled version). */
const BUNDLES = {
  'src/cli/main.ts': 'dist/src/cli/main.js',
  'src/cli/worker.ts': 'dist/src/cli/worker.js',
};

/** npm packages put inside the bundles; every other package stays a require() of node_modules. */
const INLINE = new Set(['yaml', 'handlebars', 'decimal.js', 'source-map']);

function packageOf(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const externals = {
  name: 'juesuan-externals',
  setup(build) {
    // Bare specifiers: bundle the INLINE packages, leave the others to node.
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      if (INLINE.has(packageOf(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Bundle every entry; throws (with esbuild's messages printed) on failure. */
async function bundle() {
  let esbuild;
  try {
    esbuild = require(require.resolve('esbuild', { paths: [ROOT] }));
  } catch {
    throw new Error('找不到 esbuild：请先在工具目录运行 npm ci。');
  }
  for (const [entry, out] of Object.entries(BUNDLES)) {
    const stubFile = path.join(ROOT, out);
    const outfile = stubFile.replace(/\.js$/, '.bundle.js');
    const tmp = `${outfile}.${process.pid}.tmp`;
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: [path.join(ROOT, entry)],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      tsconfig: path.join(ROOT, 'tsconfig.json'),
      plugins: [externals],
      logLevel: 'error',
      legalComments: 'none',
      // handlebars' lib/index.js registers require.extensions['.handlebars']: harmless, quiet it
      logOverride: { 'unsupported-require-call': 'silent' },
    });
    fs.renameSync(tmp, outfile);
    const stub = fs.readFileSync(path.join(__dirname, 'bundle-stub.js'), 'utf8').replace('__BUNDLE__', path.basename(outfile));
    fs.writeFileSync(`${stubFile}.${process.pid}.tmp`, stub);
    fs.renameSync(`${stubFile}.${process.pid}.tmp`, stubFile);
  }
}

module.exports = { bundle, BUNDLES };

if (require.main === module) {
  bundle().catch((e) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  });
}
