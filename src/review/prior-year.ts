/**
 * Next year's report: the prior-year figures of data.yaml (上年收、支总计, 上年财政拨款
 * 收、支总计, 上年一般公共预算财政拨款支出, 上年“三公”经费各项) can be taken from last
 * year's data file (explanations.prior_year_file) instead of being typed again.
 * Last year's file is validated and derived with the same program; a figure that
 * is typed as well and differs from what last year's file gives is a finding
 * (audit rule PRI-01).
 */
import Decimal from 'decimal.js';
import * as fs from 'fs';
import * as path from 'path';
import { InputError, formatProblem, Problem } from '../errors';
import { Location } from '../errors';

export interface PriorYearFigures {
  /** Last year's file as shown in messages. */
  file: string;
  year: number;
  total: Decimal;
  fiscalTotal: Decimal;
  generalSpending: Decimal;
  threePublic: { abroad: Decimal; car_purchase: Decimal; car_operation: Decimal; reception: Decimal };
  /** 09表 决算数 合计 as last year printed it. */
  threePublicTotal: Decimal;
}

/** Nesting guard: last year's own prior_year_file is not followed (its prior figures are not needed). */
export const priorState = { depth: 0 };

export function loadPriorYear(dataFile: string, rel: string, year: number, loc: Location | undefined): { figures?: PriorYearFigures; problem?: Problem } {
  const where = 'explanations.prior_year_file';
  const abs = path.resolve(path.dirname(dataFile), rel);
  const shown = path.relative(process.cwd(), abs) || abs;
  if (!fs.existsSync(abs)) return { problem: { path: where, loc, message: `找不到上年数据文件“${rel}”（按本文件所在目录解析为 ${shown}）` } };
  // lazy: validation calls this module, and this module validates (no load-time cycle)
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { loadModel } = require('../validate/model') as typeof import('../validate/model');
  const { deriveFacts } = require('../derive/facts') as typeof import('../derive/facts');
  const { cell } = require('../derive/tables') as typeof import('../derive/tables');
  /* eslint-enable @typescript-eslint/no-var-requires */
  priorState.depth++;
  try {
    const last = loadModel(abs);
    if (last.report.year !== year - 1)
      return { problem: { path: where, loc, message: `上年数据文件 ${shown} 是 ${last.report.year} 年度的，应为 ${year - 1} 年度` } };
    const f = deriveFacts(last);
    const t09 = f.tables.t09.actual;
    return {
      figures: {
        file: shown, year: last.report.year,
        total: f.tables.summary.t01.grandIncome.value,
        fiscalTotal: f.tables.summary.t04.grandIncome.value,
        generalSpending: cell(f.tables.t05, '', 'total'),
        threePublic: { abroad: t09.abroad.value, car_purchase: t09.car_purchase.value, car_operation: t09.car_operation.value, reception: t09.reception.value },
        threePublicTotal: t09.total.value,
      },
    };
  } catch (e) {
    if (e instanceof InputError)
      return { problem: { path: where, loc, message: `上年数据文件 ${shown} 有 ${e.problems.length} 处错误，请先改正：${formatProblem(e.problems[0])}` } };
    throw e;
  } finally {
    priorState.depth--;
  }
}
