/**
 * data.schema.json: the JSON Schema of data.yaml, generated from the
 * validators of src/validate (their registered descriptors), never written by
 * hand. Editors with the YAML language server (VS Code “YAML” extension) read
 * it through the first line of data.yaml and check and complete the file while
 * it is typed. Amounts are described with 6 decimals (万元); a file in 元 is held
 * to 2 decimals by `npm run check`.
 */
import * as fs from 'fs';
import { JsonSchema, schemaOf } from '../validate/schema';
import { dataSchema } from '../validate/model';

/** Words for the sections (the validators label fields; sections have no label of their own). */
const SECTIONS: Record<string, string> = {
  report: '报告基本信息：部门名称、年度、报告日期、金额单位',
  policy: '审核口径：偏离年初预算多少须说明原因、与上年相比多少算“基本持平”（百分数）',
  overview: '第一部分 部门概况：职责、内设机构、决算单位构成',
  subjects: '功能分类科目名称（5 位款、7 位项代码 → 名称）',
  tables: '第二部分 部门决算表（公开01表至09表）的原始数：只填明细，合计由程序计算',
  'tables.t01': '公开01表 收入支出决算总表（其余各行取自02、03、04表）',
  'tables.t02': '公开02表 收入决算表：各“项”的各类收入',
  'tables.t03': '公开03表 支出决算表：各“项”的各类支出',
  'tables.t04': '公开04表 财政拨款收入支出决算总表',
  'tables.t05': '公开05表 一般公共预算财政拨款支出决算表：各“项”的基本支出、项目支出、年初预算及偏离原因',
  'tables.t06': '公开06表 一般公共预算财政拨款基本支出决算表：各经济分类款',
  'tables.t07': '公开07表 政府性基金预算财政拨款收入支出决算表',
  'tables.t08': '公开08表 国有资本经营预算财政拨款支出决算表',
  'tables.t09': '公开09表 财政拨款“三公”经费支出决算表',
  explanations: '第三部分 决算情况说明所需的数据和文字（上年数、原因说明等）',
  glossary: '第四部分 名词解释',
  attachment: '第五部分 附件：整体支出绩效自评报告',
  output: '输出设置（PDF 字体等）',
};

function describeSections(s: JsonSchema, path: string): void {
  const props = s.properties as Record<string, JsonSchema> | undefined;
  if (!props) return;
  for (const [k, v] of Object.entries(props)) {
    const p = path ? `${path}.${k}` : k;
    if (SECTIONS[p] && !v.description) v.description = SECTIONS[p];
    describeSections(v, p);
    for (const alt of (v.anyOf as JsonSchema[] | undefined) ?? []) describeSections(alt, p);
  }
}

export function dataJsonSchema(): JsonSchema {
  const root = JSON.parse(JSON.stringify(schemaOf(dataSchema('万元')))) as JsonSchema;
  describeSections(root, '');
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: '部门决算公开 数据文件（data.yaml）',
    description: '只填原始数和文字；合计、占比、完成率、增减、方向词由程序计算。由 npm run schema 根据校验规则生成，请勿手工修改。',
    ...root,
  };
}

export const schemaText = (): string => JSON.stringify(dataJsonSchema(), null, 2) + '\n';

if (require.main === module) {
  const out = process.argv[2] ?? 'data.schema.json';
  fs.writeFileSync(out, schemaText());
  console.log(`已生成 ${out}`);
}
