/**
 * Optional observers for provenance tracing (src/review/trace.ts). Unset in a
 * normal build, so each call site costs one property check. Validation reports
 * every amount it parses (with its key path and place); number formatting
 * reports every figure it turns into text.
 */
import type Decimal from 'decimal.js';
import type { Location } from './errors';

export const traceHooks: {
  input?: (d: Decimal, path: string, loc: Location | undefined) => void;
  display?: (d: Decimal, text: string) => void;
} = {};
