'use strict';
/**
 * Start-up stub written by scripts/bundle.js in place of a compiled entry point
 * (dist/src/cli/main.js, dist/src/cli/worker.js). It runs the entry's bundle
 * (the file named below, next to this one) as if it were this module — same
 * module, require, __filename and __dirname, so `require.main === module`,
 * module.exports and workerScript() behave as with the tsc output — and keeps
 * V8's code cache of the bundle, so a cold process does not parse and compile
 * again the ≈ 1 MB of JavaScript it ran last time.
 *
 * The code cache lives in node_modules/.cache/juesuan-report/v8-code/, one
 * entry per bundle and command word (check, build --only pdf, worker, …: each
 * compiles other functions). An entry is named and checked by the SHA-256 of
 * the exact bundle text, the node version, architecture and command, and holds
 * a SHA-256 of its own payload: a corrupt, truncated or stale entry is ignored
 * (and replaced), and V8 itself rejects data from another V8 or other flags.
 * Entries are written to a temporary file and renamed, after the command ran
 * (then V8 includes every function compiled on the way); other entries of the
 * same bundle and command are removed then. JUESUAN_CACHE=off turns it off,
 * JUESUAN_CACHE_DIR moves it (as for the other caches). A cache that cannot be
 * written is skipped silently: it only saves time. The cache never changes
 * what the code does.
 *
 * It also tells the bundle its code version (the SHA-256 of the bundle text),
 * which keys the toolkit's own disk caches of loaded profiles and catalogs
 * (src/cache/store.ts): an entry made by other code is never read.
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const BUNDLE = path.join(__dirname, '__BUNDLE__');
const MAGIC = 'juesuan-v8-code 1\n';
const MAX_FILES = 24;

(function start() {
  const bytes = fs.readFileSync(BUNDLE);
  const code = bytes.toString('utf8');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${code}\n})`;
  let store;
  if (process.env.JUESUAN_CACHE !== 'off') {
    try {
      store = cacheStore(bytes);
    } catch {
      store = undefined;
    }
  }
  const cachedData = store && store.read();
  // The code version of the disk caches (src/cache/store.ts): the exact bundle text.
  if (store) globalThis[Symbol.for('juesuan.codeVersion')] = store.codeHash;
  const script = new vm.Script(wrapped, { filename: BUNDLE, cachedData });
  if (store && (!cachedData || script.cachedDataRejected)) store.writeLater(script);
  script.runInThisContext()(module.exports, require, module, __filename, __dirname);
})();

function cacheStore(bytes) {
  const { createHash } = require('crypto');
  const { isMainThread, parentPort } = require('worker_threads');
  const sha = (x) => createHash('sha256').update(x).digest('hex');
  const argv = process.argv.slice(2);
  const only = argv.indexOf('--only');
  const command = /^(build|check|watch|rules)$/.test(argv[0] || '') ? argv[0] : 'other';
  const mode = isMainThread ? `${command}${only >= 0 ? ` ${argv[only + 1] || ''}` : ''}` : 'worker';
  const name = `${path.basename(BUNDLE, '.js')}-${mode.replace(/[^a-z0-9,]+/gi, '_') || 'none'}`;
  const codeHash = sha(bytes);
  const key = sha(`${process.version}\0${process.arch}\0${mode}\0${codeHash}`);
  const dir = process.env.JUESUAN_CACHE_DIR ? path.join(process.env.JUESUAN_CACHE_DIR, 'v8-code') : path.join(projectRoot(), 'node_modules', '.cache', 'juesuan-report', 'v8-code');
  const file = path.join(dir, `${name}-${key.slice(0, 32)}.bin`);
  return {
    codeHash,
    read() {
      let buf;
      try {
        buf = fs.readFileSync(file);
      } catch {
        return undefined;
      }
      // MAGIC, key (64 hex), payload SHA-256 (64 hex), newline, payload
      const head = MAGIC.length + 129;
      if (buf.length <= head || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return undefined;
      if (buf.toString('latin1', MAGIC.length, MAGIC.length + 64) !== key) return undefined;
      const payload = buf.subarray(head);
      if (buf.toString('latin1', MAGIC.length + 64, MAGIC.length + 128) !== sha(payload)) return undefined;
      return payload;
    },
    writeLater(script) {
      let done = false;
      const write = () => {
        if (done) return;
        done = true;
        try {
          const payload = script.createCachedData();
          fs.mkdirSync(dir, { recursive: true });
          const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
          fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}${key}${sha(payload)}\n`, 'latin1'), payload]));
          fs.renameSync(tmp, file);
          // Older entries of this bundle and command go; at most MAX_FILES entries stay (the oldest go).
          const others = [];
          for (const f of fs.readdirSync(dir)) {
            if (f === path.basename(file) || f.endsWith('.tmp')) continue;
            if (f.startsWith(`${name}-`)) fs.rmSync(path.join(dir, f), { force: true });
            else others.push({ f, t: fs.statSync(path.join(dir, f)).mtimeMs });
          }
          others.sort((a, b) => a.t - b.t);
          for (const o of others.slice(0, Math.max(0, others.length + 1 - MAX_FILES))) fs.rmSync(path.join(dir, o.f), { force: true });
        } catch {
          /* read-only install: no cache */
        }
      };
      if (isMainThread || !parentPort) process.once('exit', write);
      else {
        // A worker is terminated, never exits: keep the cache after its first answer.
        const post = parentPort.postMessage;
        parentPort.postMessage = function postMessage(...args) {
          const r = post.apply(this, args);
          parentPort.postMessage = post;
          write();
          return r;
        };
      }
    },
  };
}

/** The toolkit's folder: the nearest parent with package.json and profiles/ (as src/paths.ts). */
function projectRoot() {
  for (let dir = __dirname; ; ) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'profiles'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('no project root');
    dir = up;
  }
}
