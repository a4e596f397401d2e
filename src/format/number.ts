/**
 * Display formatting of Decimals. Rounding is half-up (四舍五入) to two decimals
 * and happens only here, at display time.
 */
import Decimal from 'decimal.js';
import { traceHooks } from '../trace-hooks';

export const ZERO = new Decimal(0);
export const HUNDRED = new Decimal(100);

/** Round half-up to 2 decimals (the value a reader sees). */
export function shown(d: Decimal): Decimal {
  return d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

/** "20624.94" — narrative style, no separators, always two decimals. */
export function plain(d: Decimal): string {
  const s = shown(d).toFixed(2);
  traceHooks.display?.(d, s);
  return s;
}

/** "20,624.94" — table style with thousands separators. */
export function grouped(d: Decimal): string {
  const s = shown(d).toFixed(2);
  const neg = s.startsWith('-');
  const [int, frac] = (neg ? s.slice(1) : s).split('.');
  const t = (neg ? '-' : '') + int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '.' + frac;
  traceHooks.display?.(d, t);
  return t;
}

/** part / whole × 100 from the displayed figures; undefined when whole is 0. */
export function ratio(part: Decimal, whole: Decimal): Decimal | undefined {
  const w = shown(whole);
  if (w.isZero()) return undefined;
  return shown(part).div(w).mul(HUNDRED);
}

/** "99.90%" */
export function pct(d: Decimal): string {
  return plain(d) + '%';
}

/** Chinese date line for title pages: 2024-06-28 → "二〇二四年六月". */
export function chineseYearMonth(iso: string): string {
  const digits = '〇一二三四五六七八九';
  const [y, m] = iso.split('-').map(Number);
  const year = String(y).split('').map((c) => digits[Number(c)]).join('');
  const month = m <= 10 ? (m === 10 ? '十' : digits[m]) : '十' + digits[m - 10];
  return `${year}年${month}月`;
}
