/**
 * Atomic publication of a set of output files into a folder (output/).
 *
 * output/ stays an ordinary folder (report.md and audit.md are tracked in Git),
 * so the set is swapped file by file under a journal:
 *
 *   1. take output/.build.lock (O_EXCL; a lock whose process is gone is stale);
 *   2. recover whatever an earlier, killed build left (roll back or forward);
 *   3. write every new file into a private folder output/.publish-<pid>-<random>/new/;
 *   4. write the journal (which files, which existed before), then for each file
 *      move the old one to …/old/ and the new one into place;
 *   5. on any failure move every old file back and remove the new ones;
 *      on success mark the journal committed and remove the private folder.
 *
 * After any failure — including a kill at any point, since step 2 of the next
 * build (or `check`) finishes the job — output/ holds the complete old set or the
 * complete new set, and no temporary file.
 */
import * as nodeFs from 'fs';
import * as path from 'path';
import { FsError } from '../errors';

/** The file-system calls publication uses; tests inject failures here. */
export interface FsLayer {
  mkdirSync(p: string, o?: { recursive?: boolean }): unknown;
  writeFileSync(p: string, data: Buffer | string, o?: { flag?: string }): void;
  readFileSync(p: string, enc: 'utf8'): string;
  renameSync(from: string, to: string): void;
  rmSync(p: string, o?: { recursive?: boolean; force?: boolean }): void;
  existsSync(p: string): boolean;
  readdirSync(p: string): string[];
  openSync(p: string, flags: string): number;
  writeSync(fd: number, s: string): unknown;
  closeSync(fd: number): void;
}

export const realFs: FsLayer = nodeFs as unknown as FsLayer;

/** Points where a test may stop the process (kill tests). */
export type HookPoint = 'locked' | 'staged' | 'journal' | 'moved-old' | 'moved-new' | 'committed';

export interface PublishOptions {
  fs?: FsLayer;
  hook?: (point: HookPoint, file?: string) => void;
}

export const LOCK = '.build.lock';
const STAGE_PREFIX = '.publish-';
const JOURNAL = 'journal.json';
const COMMITTED = 'committed';

interface Journal {
  files: string[];
  existed: string[];
}

/** Whether a name in output/ is publication scratch (never part of a set). */
export function isScratch(name: string): boolean {
  return name === LOCK || name.startsWith(`${LOCK}.stale-`) || name.startsWith(STAGE_PREFIX) || /^\..*\.tmp$/.test(name);
}

function uniqueName(): string {
  return `${STAGE_PREFIX}${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Take the lock or explain who holds it. Returns the release function. */
export function acquireLock(dir: string, fs: FsLayer = realFs): () => void {
  const file = path.join(dir, LOCK);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw FsError.from(e, file, '创建锁文件');
      // The holder creates the lock, then writes its pid: an empty lock is being created, not stale.
      let pid = NaN;
      for (let wait = 0; wait < 40; wait++) {
        let t: string | undefined;
        try {
          t = fs.readFileSync(file, 'utf8').trim();
        } catch {
          t = undefined; // gone meanwhile: try to take it
        }
        if (t === undefined) break;
        if (t !== '') {
          pid = Number(t);
          break;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
      }
      if (alive(pid) && pid !== process.pid) {
        throw new FsError(
          `另一个生成过程（进程号 ${pid}）正在写入 ${dir}，为免两次生成的文件互相混杂，本次未改动任何文件；请等它结束后再运行。` +
            `若确认没有其他生成在运行，可删除 ${file} 后重试`,
          file,
        );
      }
      // Take the stale lock over by moving it aside first (only one process can move it), then make
      // sure what was moved is the stale lock and not a fresh one another build just created.
      const aside = `${file}.stale-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
      try {
        fs.renameSync(file, aside);
      } catch (e2) {
        if ((e2 as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else took it over
        throw FsError.from(e2, file, '删除过期的锁文件');
      }
      let moved = '';
      try {
        moved = fs.readFileSync(aside, 'utf8').trim();
      } catch {
        moved = '';
      }
      if (moved !== '' && moved !== String(pid) && alive(Number(moved)) && !fs.existsSync(file)) {
        try {
          fs.renameSync(aside, file); // a fresh lock: put it back
        } catch {
          /* it is gone: continue as if stale */
        }
      }
      fs.rmSync(aside, { force: true });
      continue;
    }
    try {
      fs.writeSync(fd, String(process.pid));
    } finally {
      fs.closeSync(fd);
    }
    return () => fs.rmSync(file, { force: true });
  }
  throw new FsError(`无法取得输出目录的锁 ${file}：请确认没有其他生成在运行后删除该文件再试`, file);
}

/**
 * Finish or undo what a killed build left in `dir`: with a committed journal the
 * new set is complete (only scratch is removed); otherwise every old file is put
 * back and every new one removed. Call with the lock held.
 */
export function recover(dir: string, fs: FsLayer = realFs): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  let did = false;
  for (const name of names) {
    if (name.startsWith(STAGE_PREFIX)) {
      const stage = path.join(dir, name);
      if (!fs.existsSync(path.join(stage, COMMITTED)) && fs.existsSync(path.join(stage, JOURNAL))) {
        let j: Journal | undefined;
        try {
          j = JSON.parse(fs.readFileSync(path.join(stage, JOURNAL), 'utf8')) as Journal;
        } catch {
          j = undefined;
        }
        if (j) rollBack(dir, stage, j, j.files, fs);
      }
      removeScratch(stage, fs);
      did = true;
    } else if (/^\..*\.tmp$/.test(name) || name.startsWith(`${LOCK}.stale-`)) {
      // temp files of the earlier, non-atomic writer
      removeScratch(path.join(dir, name), fs);
      did = true;
    }
  }
  return did;
}

function removeScratch(p: string, fs: FsLayer): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch (e) {
    throw FsError.from(e, p, '删除临时文件');
  }
}

/** Put every old file back and remove new files that had no predecessor. */
function rollBack(dir: string, stage: string, j: Journal, touched: string[], fs: FsLayer): void {
  const failures: unknown[] = [];
  for (const f of touched) {
    const old = path.join(stage, 'old', f);
    const target = path.join(dir, f);
    try {
      if (fs.existsSync(old)) fs.renameSync(old, target);
      else if (!j.existed.includes(f) && !fs.existsSync(path.join(stage, 'new', f)) && fs.existsSync(target)) fs.rmSync(target, { force: true });
    } catch (e) {
      failures.push(FsError.from(e, target, '恢复原有文件'));
    }
  }
  if (failures.length) throw failures[0];
}

/** Publish `files` into `dir` as one set. */
export function publish(dir: string, files: Array<{ file: string; data: Buffer }>, opts: PublishOptions = {}): void {
  const fs = opts.fs ?? realFs;
  const hook = opts.hook ?? (() => undefined);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new FsError(`输出目录 ${dir} 已存在，但它是一个文件而不是文件夹；原有文件均未改动。请用 --out 指定一个文件夹`, dir, 'EEXIST');
    throw FsError.from(e, dir, '创建输出目录');
  }
  const release = acquireLock(dir, fs);
  try {
    hook('locked');
    recover(dir, fs);
    const stage = path.join(dir, uniqueName());
    let keepStage = false;
    try {
      // 1. stage the new set
      try {
        fs.mkdirSync(path.join(stage, 'new'), { recursive: true });
        fs.mkdirSync(path.join(stage, 'old'), { recursive: true });
        for (const f of files) fs.writeFileSync(path.join(stage, 'new', f.file), f.data);
      } catch (e) {
        throw FsError.from(e, dir, '写入新文件', '原有文件均未改动');
      }
      hook('staged');
      const existed = files.map((f) => f.file).filter((f) => fs.existsSync(path.join(dir, f)));
      for (const f of existed) {
        // a folder where an output file belongs is the user's: never move it away
        let isDir = false;
        try {
          fs.readdirSync(path.join(dir, f));
          isDir = true;
        } catch {
          isDir = false;
        }
        if (isDir) throw FsError.from(Object.assign(new Error('EISDIR'), { code: 'EISDIR' }), path.join(dir, f), '替换', '原有文件均未改动');
      }
      const j: Journal = { files: files.map((f) => f.file), existed };
      try {
        fs.writeFileSync(path.join(stage, JOURNAL), JSON.stringify(j));
      } catch (e) {
        throw FsError.from(e, dir, '写入新文件', '原有文件均未改动');
      }
      hook('journal');
      // 2. swap, file by file, with rollback
      const touched: string[] = [];
      try {
        for (const f of j.files) {
          const target = path.join(dir, f);
          touched.push(f);
          if (existed.includes(f)) {
            try {
              fs.renameSync(target, path.join(stage, 'old', f));
            } catch (e) {
              throw FsError.from(e, target, '替换', '原有文件均未改动');
            }
            hook('moved-old', f);
          }
          try {
            fs.renameSync(path.join(stage, 'new', f), target);
          } catch (e) {
            throw FsError.from(e, target, '替换', '原有文件均未改动');
          }
          hook('moved-new', f);
        }
      } catch (e) {
        try {
          rollBack(dir, stage, j, touched, fs);
        } catch (e2) {
          keepStage = true;
          const msg = e2 instanceof FsError ? e2.message : String(e2);
          throw new FsError(`替换输出文件时失败，恢复原有文件时又失败：${msg}。原有文件保存在 ${stage}；请关闭占用文件的程序后重新运行 npm run build-report，程序会先把它们恢复`, dir);
        }
        throw e;
      }
      try {
        fs.writeFileSync(path.join(stage, COMMITTED), '');
      } catch {
        // the new set is complete either way: the next run sees every new file in place
      }
      hook('committed');
    } finally {
      try {
        if (!keepStage) fs.rmSync(stage, { recursive: true, force: true });
      } catch {
        /* the next build's recovery removes it */
      }
    }
  } finally {
    release();
  }
}

/**
 * For `check`: if a killed build left scratch in `dir`, restore the complete set
 * (under the lock). Returns whether anything was done; never creates `dir`.
 */
export function tidy(dir: string, fs: FsLayer = realFs): boolean {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return false;
  }
  if (!names.some(isScratch)) return false;
  const release = acquireLock(dir, fs);
  try {
    recover(dir, fs);
  } finally {
    release();
  }
  return true;
}
