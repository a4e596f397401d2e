/** The second data version used by the change-report and review-copy tests. */
import { dataText, edit } from '../helpers/build';

/** The adjusted version: two budget/prior-year leaves and one printed total edited. */
export function adjusted(): string {
  let t = dataText();
  t = edit(t, 'reception: 16 }', 'reception: 18 }'); // 09表 公务接待费预算 16 → 18
  t = edit(t, '    total: 21739.96 ', '    total: 21839.96 '); // 上年收、支总计
  t = edit(t, 'prior_year_printed_total: 19.69', 'prior_year_printed_total: 19.68'); // 上年“三公”合计打印数: the tail warning disappears
  return t;
}
