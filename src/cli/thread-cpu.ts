/**
 * CPU time of the calling thread (main thread or worker), in milliseconds,
 * from /proc/thread-self/stat (Linux; 10 ms ticks), or undefined elsewhere.
 * process.cpuUsage() counts the whole process (every thread and V8's helper
 * threads), so it cannot tell how a build's work is split across threads.
 * For timings reports (watch, bench), never for output.
 */
import { readFileSync } from 'fs';

export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime) are 11 and 12 after the command name and state.
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
