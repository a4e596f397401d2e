/**
 * Derive, don't type: changing one leaf amount in a copy of data.yaml changes
 * every sentence and table cell that depends on it, and nothing else.
 */
import { build, dataText, edit } from './helpers/build';

function changedLines(before: string, after: string): Array<[string, string]> {
  const a = before.split('\n');
  const b = after.split('\n');
  expect(b.length).toBe(a.length);
  return a.map((l, i) => [l, b[i]] as [string, string]).filter(([x, y]) => x !== y);
}

const base = build().md;

test('the 三公 公务接待费 budget (16 → 18) reaches the table, the 第三部分 sentences and the 附件, and nothing else', () => {
  const after = build(edit(dataText(), 'budget: { abroad: 10, car_purchase: 0, car_operation: 35, reception: 16 }', 'budget: { abroad: 10, car_purchase: 0, car_operation: 35, reception: 18 }')).md;
  const changed = changedLines(base, after).map(([, y]) => y);
  const expected = [
    '| 63.00 | 10.00 | 35.00 | 0.00 | 35.00 | 18.00 | 26.73 | 0.00 | 25.82 | 0.00 | 25.82 | 0.92 |', // 公开09表
    '“三公”经费财政拨款支出预算为63.00万元，支出决算为26.73万元，完成预算的42.43%，', // 七（一） total: budget and rate
    '公务接待费支出预算为18.00万元，支出决算为0.92万元，完成预算的5.11%，', // 七（一） 公务接待费
    '2023年度“三公”经费预算数63.00万元，其中公务接待费18.00万元，', // 附件 三公 budget
    '全年“三公”经费预算结余36.27万元，其中公务接待费17.08万元，', // 附件 三公 balance
    '2023年“三公”经费年初预算安排金额63.00万元，', // 附件 运行成本
  ];
  expect(changed).toHaveLength(expected.length);
  for (const e of expected) expect(changed.filter((l) => l.startsWith(e))).toHaveLength(1);
});

test('the 机关运行经费 budget (443.75 → 400.00) changes only the 九 sentence', () => {
  const text = edit(dataText(), 'admin_operating:                 # 机关运行经费（决算数取06表公用经费合计）\n    budget: 443.75', 'admin_operating:                 # 机关运行经费（决算数取06表公用经费合计）\n    budget: 400.00');
  const changed = changedLines(base, build(text).md);
  expect(changed).toEqual([[
    '本部门2023年度机关运行经费支出362.72万元，比年初预算数443.75万元减少81.03万元，下降18.26%。',
    '本部门2023年度机关运行经费支出362.72万元，比年初预算数400.00万元减少37.28万元，下降9.32%。',
  ]]);
});

test('an SME contract amount (货物 101.85 → 105.00) changes the SME total and every share built on it', () => {
  const text = edit(dataText(), '      goods: 101.85', '      goods: 105.00');
  const changed = changedLines(base, build(text).md);
  expect(changed.map(([, y]) => y)).toEqual([
    '授予中小企业合同金额2672.02万元，占政府采购支出总额的20.62%，其中：授予小微企业合同金额377.45万元，占授予中小企业合同金额的14.13%。',
    '货物采购授予中小企业合同金额占货物支出金额的92.08%，无政府采购工程支出，服务采购授予中小企业合同金额占服务支出金额的19.99%。',
  ]);
});
