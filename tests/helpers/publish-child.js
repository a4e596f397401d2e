/**
 * A publishing process for the fault tests: publishes the set named argv[3]
 * into argv[2] through the compiled src/cli/publish.js. argv[4] = "point:n"
 * kills the process (SIGKILL) the n-th time the hook point is reached;
 * argv[5] = milliseconds to wait at the "staged" point (to force two builds
 * to overlap). Exit code 0 = published, 4 = refused with a Chinese message.
 */
'use strict';
const path = require('path');
const { publish } = require(path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'publish.js'));
const { FsError } = require(path.join(__dirname, '..', '..', 'dist', 'src', 'errors.js'));
const { setFiles } = require('./publish-sets.js');

const [dir, name, killAt = '', delay = '0'] = process.argv.slice(2);
const [point, nth] = killAt.split(':');
let seen = 0;
try {
  publish(dir, setFiles(name), {
    hook: (p) => {
      if (p === 'staged' && Number(delay) > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(delay));
      if (p === point && ++seen === Number(nth || 1)) process.kill(process.pid, 'SIGKILL');
    },
  });
  process.exit(0);
} catch (e) {
  if (e instanceof FsError) {
    console.error(e.message);
    process.exit(4);
  }
  throw e;
}
