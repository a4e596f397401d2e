/**
 * Comparison verdicts: budget vs actual (大于/小于/基本持平/年初无预算) and
 * year on year (增加/减少/基本持平). A verdict is a decision, so it is made here,
 * never in a template. Reasons are tied to the direction they explain.
 */
import Decimal from 'decimal.js';
import { ratio, shown, HUNDRED } from '../format/number';
import { DirectionReasons } from '../validate/model';

export interface BudgetVerdict {
  budget: Decimal;
  actual: Decimal;
  /** actual / budget × 100 (from shown figures); undefined when there was no budget. */
  rate?: Decimal;
  /** over: 大于, under: 小于, flat: 基本持平, equal: 持平, none: 年初无预算, both_zero: 均为 0 */
  kind: 'over' | 'under' | 'flat' | 'equal' | 'none' | 'both_zero';
  /** 大于 / 小于 when there is a direction. */
  word?: '大于' | '小于';
  reason?: string;
  /** A reason is required by the policy but missing (an audit error). */
  missingReason: boolean;
  /** A reason was written for the other direction and is not printed (an audit warning). */
  staleReason?: string;
  isOver: boolean; isUnder: boolean; isFlat: boolean; isEqual: boolean; noBudget: boolean; bothZero: boolean;
  /** actual is zero while a budget existed: "未完成预算支出". */
  actualZero: boolean;
}

/**
 * `thresholdPct`: a deviation within ±threshold of the budget without a reason
 * reads 基本持平; `null`: every difference needs a reason (no 基本持平; 决算
 * equal to 预算 as shown reads 持平 and needs none).
 */
export function budgetVerdict(actual: Decimal, budget: Decimal, thresholdPct: Decimal | null, reasons: DirectionReasons): BudgetVerdict {
  const a = shown(actual);
  const b = shown(budget);
  const base = { budget: b, actual: a, missingReason: false, actualZero: a.isZero() && !b.isZero() };
  let kind: BudgetVerdict['kind'];
  let rate: Decimal | undefined;
  if (b.isZero()) kind = a.isZero() ? 'both_zero' : 'none';
  else {
    rate = ratio(a, b)!;
    kind = a.greaterThan(b) ? 'over' : a.lessThan(b) ? 'under' : 'equal';
  }
  const word = kind === 'over' || kind === 'none' ? '大于' : kind === 'under' ? '小于' : undefined;
  const own = word === '大于' ? reasons.overReason : word === '小于' ? reasons.underReason : undefined;
  const other = word === '大于' ? reasons.underReason : word === '小于' ? reasons.overReason : reasons.overReason ?? reasons.underReason;
  const within = thresholdPct !== null && rate !== undefined && rate.minus(HUNDRED).abs().lessThanOrEqualTo(thresholdPct);
  let missingReason = false;
  if (word && !own) {
    if (within) kind = 'flat';
    else missingReason = true;
  }
  return {
    ...base, rate, kind, word: kind === 'flat' ? undefined : word, reason: kind === 'flat' ? undefined : own,
    missingReason, staleReason: other && other !== own ? other : undefined,
    isOver: kind === 'over', isUnder: kind === 'under', isFlat: kind === 'flat', isEqual: kind === 'equal',
    noBudget: kind === 'none', bothZero: kind === 'both_zero',
  };
}

export interface YoyVerdict {
  current: Decimal;
  prior: Decimal;
  /** |current − prior| */
  change: Decimal;
  /** |change| / prior × 100; undefined when prior is 0. */
  pct?: Decimal;
  kind: 'increase' | 'decrease' | 'same';
  /** 增加 / 减少 for the amount */
  amountWord?: '增加' | '减少';
  /** 增长 / 下降 for the rate */
  rateWord?: '增长' | '下降';
  /** Small change: "与上年基本持平". */
  flat: boolean;
  reason?: string;
  missingReason: boolean;
  staleReason?: string;
  isIncrease: boolean; isDecrease: boolean; isSame: boolean; priorZero: boolean;
}

export function yoyVerdict(current: Decimal, prior: Decimal, flatPct: Decimal, reasons: DirectionReasons, reasonRequired = true): YoyVerdict {
  const c = shown(current);
  const p = shown(prior);
  const diff = c.minus(p);
  const kind = diff.isPositive() && !diff.isZero() ? 'increase' : diff.isNegative() ? 'decrease' : 'same';
  const pct = p.isZero() ? undefined : ratio(diff.abs(), p);
  const flat = kind !== 'same' && pct !== undefined && pct.lessThan(flatPct);
  const own = kind === 'increase' ? reasons.increaseReason : kind === 'decrease' ? reasons.decreaseReason : undefined;
  const other = kind === 'increase' ? reasons.decreaseReason : kind === 'decrease' ? reasons.increaseReason : reasons.increaseReason ?? reasons.decreaseReason;
  return {
    current: c, prior: p, change: diff.abs(), pct, kind,
    amountWord: kind === 'increase' ? '增加' : kind === 'decrease' ? '减少' : undefined,
    rateWord: kind === 'increase' ? '增长' : kind === 'decrease' ? '下降' : undefined,
    flat,
    reason: own,
    missingReason: reasonRequired && kind !== 'same' && !flat && !own,
    staleReason: other && other !== own ? other : undefined,
    isIncrease: kind === 'increase', isDecrease: kind === 'decrease', isSame: kind === 'same', priorZero: p.isZero(),
  };
}
