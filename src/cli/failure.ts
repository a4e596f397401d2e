/**
 * What every command prints when it fails for a reason other than its own
 * checks: file-system faults in Chinese, data errors located, and a bug in the
 * toolkit as one Chinese line with where to report it, never a stack trace.
 */
import { FsError, InputError, formatProblem } from '../errors';

/**
 * A failure that is not bad input and not the file system is a bug in the
 * toolkit: one Chinese line saying so and where to report it; the details only
 * with DEBUG=1 (a user never sees a stack trace). Returns the exit code.
 */
export function reportFailure(e: unknown): number {
  if (e instanceof FsError) {
    console.error(`文件操作失败：${e.message}`);
    return 4;
  }
  if (e instanceof InputError) {
    console.error(`数据文件有 ${e.problems.length} 处错误，未生成任何文件：`);
    for (const p of e.problems) console.error('  ' + formatProblem(p));
    return 1;
  }
  const oom = e instanceof RangeError && /memory|Invalid (string|array) length/i.test(e.message);
  console.error(
    oom
      ? '内存不足，生成已停止，输出目录未改动：数据中可能有过长的文字，请缩短后重试。'
      : '程序内部错误（工具本身的缺陷，不是数据问题），输出目录未改动：请把 data.yaml 和这条信息发给本工具的维护人员（见 README“报告问题”），设置环境变量 DEBUG=1 重新运行可看到技术细节。',
  );
  if (process.env.DEBUG) console.error(e);
  return 3;
}


/** Run a command's main function as the process's entry: exit code from it, any failure through reportFailure. */
export function runEntry(main: () => number | Promise<number>): void {
  Promise.resolve()
    .then(main)
    .then((code) => { process.exitCode = code; }, (e: unknown) => { process.exitCode = reportFailure(e); });
}
