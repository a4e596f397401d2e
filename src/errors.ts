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
