/**
 * Runs many command lines of the compiled CLI in one Node process (the corpus
 * test's fast path): node corpus-driver.js jobs.json results.json, where jobs is
 * [{ id, args }]. Each run's console output is captured as stdout/stderr text.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { run } = require(path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'main.js'));

(async () => {
  const jobs = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const results = {};
  const orig = { log: console.log, error: console.error, warn: console.warn };
  for (const j of jobs) {
    let stdout = '';
    let stderr = '';
    console.log = (...a) => { stdout += a.join(' ') + '\n'; };
    console.error = console.warn = (...a) => { stderr += a.join(' ') + '\n'; };
    let status;
    try {
      status = await run(j.args);
    } catch (e) {
      status = -1;
      stderr += `driver: run threw ${e && e.stack}`;
    }
    Object.assign(console, orig);
    results[j.id] = { status, stdout, stderr };
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(results));
})();
