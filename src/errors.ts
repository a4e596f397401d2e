import * as path from 'path';

/**
 * Errors a finance officer can act on: each names the file, line and column, the
 * key path in data.yaml, what was expected and what was found, in Chinese.
 */
export interface Location {
  file: string;
  line: number;
  col: number;
}

export interface Problem {
  loc?: Location;
  /** Key path, e.g. "tables.t05.rows.2010301.budget". */
  path: string;
  /** Chinese message: what was expected, what was found. */
  message: string;
}

export function formatLocation(loc?: Location): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '';
}

export function formatProblem(p: Problem): string {
  const where = formatLocation(p.loc);
  return `${where ? where + ': ' : ''}${p.path ? `[${p.path}] ` : ''}${p.message}`;
}

/** Thrown for bad input; the CLI prints `problems` without a stack trace. */
export class InputError extends Error {
  constructor(public readonly problems: Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
  }
}

/** What each file-system error means for the user ([what happened, what to do]). */
const FS_CODES: Record<string, (file: string) => [string, string]> = {
  EPERM: (f) => [`${f} 正被其他程序打开，无法替换`, '请关闭打开它的 PDF 阅读器、Word、WPS 或 Excel 后重试（若没有程序打开它，请检查是否有修改权限）'],
  EBUSY: (f) => [`${f} 正被其他程序打开，无法替换`, '请关闭打开它的 PDF 阅读器、Word、WPS 或 Excel 后重试'],
  EACCES: (f) => [`没有写入 ${f} 的权限`, '请换一个有写权限的输出目录（--out），或请管理员开放权限'],
  EROFS: (f) => [`${f} 所在的磁盘是只读的`, '请换一个可写的输出目录（--out）'],
  ENOSPC: (f) => [`磁盘空间不足，无法写入 ${f}`, '请清理磁盘或换一个输出目录（--out）后重试'],
  EDQUOT: (f) => [`磁盘配额已满，无法写入 ${f}`, '请清理磁盘或换一个输出目录（--out）后重试'],
  ENOENT: (f) => [`找不到 ${f} 或它所在的文件夹`, '请检查路径是否写对'],
  EISDIR: (f) => [`${f} 是一个文件夹，不是文件`, '请把这个同名文件夹改名或删除'],
  ENOTDIR: (f) => [`${f} 的路径中有一段是文件而不是文件夹`, '请检查 --out 指定的目录'],
  EEXIST: (f) => [`${f} 已存在，无法创建或覆盖`, '请把它改名或删除后重试'],
  EMFILE: (f) => [`打开的文件过多，无法写入 ${f}`, '请关闭一些程序后重试'],
  ENAMETOOLONG: (f) => [`路径 ${f} 过长`, '请换一个较短的输出目录'],
};

/** A file as the user sees it: relative to the working folder when inside it. */
export function shownPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** A file-system failure, translated; the CLI prints `message` as is. */
export class FsError extends Error {
  constructor(message: string, public readonly file: string, public readonly code?: string) {
    super(message);
    this.name = 'FsError';
  }

  /** Translate a Node error (EPERM, ENOSPC, …) met while doing `action` on `file`. */
  static from(e: unknown, file: string, action: string, after?: string): FsError {
    if (e instanceof FsError) return e;
    const err = e as NodeJS.ErrnoException | undefined;
    const code = err?.code ?? '';
    const target = typeof err?.path === 'string' && !err.path.includes(`${path.sep}.publish-`) ? err.path : file;
    const name = code === 'EPERM' || code === 'EBUSY' ? path.basename(target) : shownPath(target);
    const t = FS_CODES[code]?.(name);
    const what = t ? t[0] : `${action} ${shownPath(target)} 时出现文件系统错误（代码 ${code || '未知'}）`;
    const todo = t ? t[1] : '请检查磁盘和文件夹权限后重试';
    return new FsError(`${what}${after ? `；${after}` : ''}。${todo}`, file, code);
  }
}
