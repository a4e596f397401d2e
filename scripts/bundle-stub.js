'use strict';
/**
 * Start-up stub written by scripts/bundle.js in place of a compiled entry point
 * (dist/src/cli/main.js, dist/src/cli/worker.js). It runs the entry's bundle
 * (the file named below, next to this one) as if it were this module — same
 * module, require, __filename and __dirname, so `require.main === module`,
 * module.exports and workerScript() behave as with the tsc output — and keeps
 * V8's code cache of the bundle, of every library module the command loads
 * from node_modules (docx, exceljs, pdf-lib, fontkit, …) and of the compiled
 * Handlebars templates (src/cache/templates.ts), so a cold process
 * does not parse and compile again the JavaScript it ran last time.
 *
 * The code cache lives in node_modules/.cache/juesuan-report/v8-code/, one
 * file per bundle and command word (check, build --only pdf, worker, …: each
 * loads and compiles other code). Each script's entry is used only when the
 * SHA-256 of the exact text being compiled equals the one stored with it; the
 * file holds a SHA-256 of its whole payload, so a corrupt or truncated file is
 * ignored (and replaced); its name holds the node version and architecture,
 * and V8 itself rejects data from another V8 or other flags. The file is
 * written (temporary file, then rename) after the command ran, so V8 includes
 * every function compiled on the way, and only when something was compiled
 * without a usable entry. JUESUAN_CACHE=off turns it off, JUESUAN_CACHE_DIR
 * moves it (as for the other caches). A cache that cannot be written is
 * skipped silently: it only saves time, and never changes what the code does.
 *
 * It also tells the bundle its code version (the SHA-256 of the bundle text),
 * which keys the toolkit's own disk caches of loaded profiles and catalogs
 * (src/cache/store.ts): an entry made by other code is never read.
 */
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const BUNDLE = path.join(__dirname, '__BUNDLE__');
const MAGIC = 'juesuan-v8-code 2\n';
const MAX_FILES = 24;
const WRAP = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];

(function start() {
  // JIT: a cold command is mostly over before TurboFan's optimised code pays back its compile (on 2 cores
  // its background compiles compete with the build). `check` does without TurboFan (CPU ≈ 0.26 → 0.17 s);
  // every other command lets V8 optimise a function only after 8× the default work in it (interrupt
  // budget 66 KB of bytecode → 528 KB): build CPU ≈ 3.4 → 2.5 s, and the hot layout code of watch and batch
  // is still optimised. Set by the main thread before any worker starts (the flags are per process), and
  // only when this stub is the program (not when a test harness requires it to call run()).
  if (require.main === module && require('worker_threads').isMainThread) {
    const v8 = require('v8');
    if (/^(check|rules|help)?$/.test(process.argv[2] || '')) v8.setFlagsFromString('--no-opt');
    else v8.setFlagsFromString('--interrupt-budget=540672');
  }
  const bytes = fs.readFileSync(BUNDLE);
  const code = bytes.toString('utf8');
  let cache;
  if (process.env.JUESUAN_CACHE !== 'off') {
    try {
      cache = codeCache(bytes);
    } catch {
      cache = undefined;
    }
  }
  let script;
  if (cache) {
    // The code version of the disk caches (src/cache/store.ts): the exact bundle text.
    globalThis[Symbol.for('juesuan.codeVersion')] = cache.codeHash;
    script = cache.compile(BUNDLE, cache.codeHash, WRAP[0] + code + WRAP[1]);
    cache.hookModules();
    // Code the bundle makes at run time (compiled Handlebars templates, src/cache/templates.ts) is cached the same way.
    globalThis[Symbol.for('juesuan.compileCached')] = (filename, text) => cache.compile(filename, cache.sha(text), text);
  } else script = new vm.Script(WRAP[0] + code + WRAP[1], { filename: BUNDLE });
  script.runInThisContext()(module.exports, require, module, __filename, __dirname);
})();

function codeCache(bundleBytes) {
  const { createHash } = require('crypto');
  const { isMainThread, parentPort } = require('worker_threads');
  const Module = require('module');
  const sha = (x) => createHash('sha256').update(x).digest('hex');
  const argv = process.argv.slice(2);
  const only = argv.indexOf('--only');
  const command = /^(build|check|watch|rules)$/.test(argv[0] || '') ? argv[0] : 'other';
  const mode = isMainThread ? `${command}${only >= 0 ? ` ${argv[only + 1] || ''}` : ''}` : 'worker';
  const name = `${path.basename(BUNDLE, '.js')}-${mode.replace(/[^a-z0-9,]+/gi, '_')}`;
  const dir = process.env.JUESUAN_CACHE_DIR ? path.join(process.env.JUESUAN_CACHE_DIR, 'v8-code') : path.join(projectRoot(), 'node_modules', '.cache', 'juesuan-report', 'v8-code');
  const file = path.join(dir, `${name}-${sha(`${process.version}\0${process.arch}\0${mode}\0${BUNDLE}`).slice(0, 24)}.bin`);
  const stored = read(file);
  /** Every script compiled here: file, hash of its text, vm.Script, and whether it had no usable entry. */
  const compiled = [];
  let fresh = false;
  let writing = false;
  let written = false;

  function compile(filename, hash, text) {
    const e = stored.get(filename);
    const cachedData = e && e.hash === hash ? e.data : undefined;
    const script = new vm.Script(text, { filename, cachedData });
    const miss = !cachedData || script.cachedDataRejected === true;
    if (miss) fresh = true;
    if (!written) compiled.push({ filename, hash, script }); // after the write (a worker's first answer) nothing more is kept
    if (miss && !writing) writeLater();
    return script;
  }

  /** node_modules files go through compile() too; anything unusual goes to node's own _compile. */
  function hookModules() {
    const original = Module.prototype._compile;
    const inModules = `${path.sep}node_modules${path.sep}`;
    Module.prototype._compile = function _compile(content, filename) {
      if (typeof content !== 'string' || !filename.includes(inModules) || content.includes('import(') || content.startsWith('#!')) {
        return original.call(this, content, filename);
      }
      let script;
      try {
        script = compile(filename, sha(content), WRAP[0] + content + WRAP[1]);
      } catch {
        return original.call(this, content, filename); // node reports a syntax error its own way
      }
      const mod = this;
      const req = function require(id) {
        return mod.require(id);
      };
      req.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
      req.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
      req.main = process.mainModule;
      req.extensions = Module._extensions;
      req.cache = Module._cache;
      return script.runInThisContext().call(mod.exports, mod.exports, req, mod, filename, path.dirname(filename));
    };
  }

  function writeLater() {
    writing = true;
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
  }

  function write() {
    written = true;
    if (!fresh) return;
    try {
      const index = [];
      const blobs = [];
      let offset = 0;
      for (const c of compiled) {
        const data = c.script.createCachedData();
        index.push([c.filename, c.hash, offset, data.length]);
        blobs.push(data);
        offset += data.length;
      }
      const head = Buffer.from(JSON.stringify(index), 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32LE(head.length, 0);
      const payload = Buffer.concat([len, head, ...blobs]);
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${MAGIC}${sha(payload)}\n`, 'latin1'), payload]));
      fs.renameSync(tmp, file);
      // At most MAX_FILES files stay (the oldest go), and no stray temporary file.
      const others = [];
      for (const f of fs.readdirSync(dir)) {
        const p = path.join(dir, f);
        const st = fs.statSync(p);
        if (f.endsWith('.tmp')) {
          if (Date.now() - st.mtimeMs > 3600e3) fs.rmSync(p, { force: true });
        } else if (f !== path.basename(file)) others.push({ p, t: st.mtimeMs });
      }
      others.sort((a, b) => a.t - b.t);
      for (const o of others.slice(0, Math.max(0, others.length + 1 - MAX_FILES))) fs.rmSync(o.p, { force: true });
    } catch {
      /* read-only install: no cache */
    }
  }

  /** file → { hash, data } from a cache file; empty when missing, corrupt or truncated. */
  function read(f) {
    const out = new Map();
    let buf;
    try {
      buf = fs.readFileSync(f);
    } catch {
      return out;
    }
    const at = MAGIC.length + 65;
    if (buf.length <= at + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return out;
    const payload = buf.subarray(at);
    if (buf.toString('latin1', MAGIC.length, MAGIC.length + 64) !== sha(payload)) return out;
    try {
      const n = payload.readUInt32LE(0);
      const base = 4 + n;
      for (const [filename, hash, offset, length] of JSON.parse(payload.toString('utf8', 4, base))) {
        if (base + offset + length <= payload.length) out.set(filename, { hash, data: payload.subarray(base + offset, base + offset + length) });
      }
    } catch {
      out.clear();
    }
    return out;
  }

  return { codeHash: sha(bundleBytes), sha, compile, hookModules };
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
