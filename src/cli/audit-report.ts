/** output/audit.md: the audit rules that ran and the findings kept (尾数差异提示). */
import { formatLocation } from '../errors';
import { RULES } from '../audit/rules';
import { Built } from '../pipeline';

export function renderAuditReport(b: Built): string {
  const lines = [`# ${b.model.report.department}${b.model.report.year}年度部门决算 审核结果`, ''];
  lines.push(`共执行 ${RULES.length} 条审核规则：错误 ${b.audit.errors.length} 条，尾数差异提示 ${b.audit.warnings.length} 条。`, '');
  if (b.audit.warnings.length) {
    lines.push('## 尾数差异提示', '');
    for (const f of b.audit.warnings) lines.push(`- [${f.rule}] ${f.message}${f.loc ? `（${formatLocation(f.loc)}）` : ''}`);
    lines.push('');
  }
  lines.push('## 审核规则', '', '| 编号 | 规则 |', '| --- | --- |');
  for (const r of RULES) lines.push(`| ${r.id} | ${r.statement} |`);
  return lines.join('\n') + '\n';
}
