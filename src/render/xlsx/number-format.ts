/**
 * Choosing an Excel number format for a numeric cell.
 *
 * The model gives every numeric cell its exact value and its display text. The
 * writer stores the value as a number and picks the number format under which
 * the spreadsheet shows exactly the model's text ("20,624.94", "0.00", "94.63%").
 * It never changes the text: it only tries a few formats and keeps the first
 * one that reproduces it.
 */
import Decimal from 'decimal.js';
import type { Column } from '../../document/types';

type PercentMode = 'none' | 'literal' | 'scale';

interface FormatSpec {
  grouping: boolean;
  decimals: number;
  percent: PercentMode;
}

/** Excel format code for a spec, e.g. `#,##0.00`, `0.00"%"`, `0.00%`. */
export function formatCode(spec: FormatSpec): string {
  let code = spec.grouping ? '#,##0' : '0';
  if (spec.decimals > 0) code += '.' + '0'.repeat(spec.decimals);
  if (spec.percent === 'literal') code += '"%"';
  if (spec.percent === 'scale') code += '%';
  return code;
}

/** What a spreadsheet shows for `value` under `spec` (half away from zero, as Excel rounds). */
export function formatValue(value: string, spec: FormatSpec): string {
  let d = new Decimal(value);
  if (spec.percent === 'scale') d = d.times(100);
  const fixed = d.toFixed(spec.decimals, Decimal.ROUND_HALF_UP);
  const negative = fixed.startsWith('-');
  const unsigned = negative ? fixed.slice(1) : fixed;
  const [intPart, fracPart] = unsigned.split('.');
  const groupedInt = spec.grouping ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : intPart;
  // Excel prints a value that rounds to zero without its minus sign.
  const isZero = /^[0.]*$/.test(unsigned);
  let out = (negative && !isZero ? '-' : '') + groupedInt + (fracPart !== undefined ? '.' + fracPart : '');
  if (spec.percent !== 'none') out += '%';
  return out;
}

/** Default format of a column kind, used when no candidate reproduces the text. */
export function defaultFormat(kind: Column['kind']): string {
  switch (kind) {
    case 'percent':
      return '0.00"%"';
    case 'count':
      return '0';
    default:
      return '#,##0.00';
  }
}

/**
 * The number format that displays `value` exactly as `text`, preferring the
 * house formats of the column kind (amounts `#,##0.00`). Returns undefined when
 * no candidate reproduces the text.
 */
export function chooseNumberFormat(value: string, text: string, kind: Column['kind']): string | undefined {
  const trimmed = text.trim();
  const isPercent = trimmed.endsWith('%');
  const numberPart = isPercent ? trimmed.slice(0, -1) : trimmed;
  const dot = numberPart.indexOf('.');
  const decimals = dot >= 0 ? numberPart.length - dot - 1 : 0;
  // Prefer grouping for amounts and for any text that shows a separator.
  const groupingOrder = kind === 'amount' || numberPart.includes(',') ? [true, false] : [false, true];
  const percentModes: PercentMode[] = isPercent ? ['literal', 'scale'] : ['none'];
  for (const percent of percentModes) {
    for (const grouping of groupingOrder) {
      const spec: FormatSpec = { grouping, decimals, percent };
      let shown: string;
      try {
        shown = formatValue(value, spec);
      } catch {
        return undefined;
      }
      if (shown === trimmed) return formatCode(spec);
    }
  }
  return undefined;
}
