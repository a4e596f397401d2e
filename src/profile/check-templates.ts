/**
 * Static check of a profile's Handlebars templates against the declared shape of
 * the facts they receive (facts-shape.ts). Walks each template's AST with the
 * scope Handlebars gives at run time (#each and #with push a context, #if and
 * #unless do not; ../ goes up one context; partials see the caller's scope or
 * their argument) and reports, located in the template file:
 *  - a Handlebars syntax error;
 *  - a field that does not exist (with the fields that do);
 *  - a helper that does not exist, or given the wrong kind of value
 *    (money/pct an amount, join a list, #each a list, #with a group of fields);
 *  - printing something that is not text or a number ({{amount}} without money);
 *  - an unknown partial, and a ::table line naming no inline table.
 */
import Handlebars from 'handlebars';
import { Problem } from '../errors';
import { Shape } from './facts-shape';

type AST = hbs.AST.Node;
type Loc = { start: { line: number; column: number } };

export interface HelperSite { file: string; helper: string; line: number; column: number }

interface Scope {
  /** Context stack, innermost last. */
  stack: Shape[];
  /** @root: the top-level template's context. */
  root: Shape;
  /** @index etc. available (inside #each). */
  inEach: boolean;
  /** Block parameters in scope (`#each list as |item i|`, `#with x as |y|`). */
  params?: Map<string, Shape>;
}

const withParams = (scope: Scope, names: string[] | undefined, shapes: Shape[]): Map<string, Shape> | undefined => {
  if (!names?.length) return scope.params;
  const m = new Map(scope.params ?? []);
  names.forEach((n, i) => { if (shapes[i] !== undefined) m.set(n, shapes[i]); });
  return m;
};

const isList = (s: Shape): s is { list: Shape } => typeof s === 'object' && 'list' in s && Object.keys(s).length === 1;
const isGroup = (s: Shape): s is { [k: string]: Shape } => typeof s === 'object' && !isList(s);

const KIND_NAME: Record<string, string> = { amount: '金额', text: '文字', number: '数字', flag: '是/否判断', pair: '数据对' };
export function describeShape(s: Shape | undefined): string {
  if (s === undefined) return '（不存在）';
  if (typeof s === 'string') return KIND_NAME[s];
  if (isList(s)) return '列表';
  return '一组字段';
}

interface Source { name: string; file: string; text: string }

export class TemplateChecker {
  readonly problems: Problem[] = [];
  readonly sites: HelperSite[] = [];
  /** Table ids placed by ::table lines. */
  readonly placed = new Map<string, { file: string; line: number }>();
  private readonly parsed = new Map<string, hbs.AST.Program | null>();
  private readonly partialDepth: string[] = [];

  constructor(
    private readonly partials: Map<string, Source>,
    private readonly inlineTables: Set<string>,
    private readonly allTables: Set<string>,
  ) {}

  private problem(file: string, loc: Loc | undefined, message: string): void {
    this.problems.push({ loc: loc ? { file, line: loc.start.line, col: loc.start.column + 1 } : { file, line: 1, col: 1 }, path: '', message });
  }

  private parse(src: Source): hbs.AST.Program | null {
    if (this.parsed.has(src.file)) return this.parsed.get(src.file)!;
    let ast: hbs.AST.Program | null = null;
    try {
      ast = Handlebars.parse(src.text);
    } catch (e) {
      const err = e as Error & { lineNumber?: number; column?: number };
      const m = /line (\d+)/.exec(err.message);
      const line = err.lineNumber ?? (m ? Number(m[1]) : 1);
      const detail = err.message.split('\n').filter((l) => /^Expecting|doesn't match|^Parse error/.test(l)).join('；') || err.message.split('\n')[0];
      const mm = /^(\S+) doesn't match (\S+)/.exec(err.message);
      if (mm) {
        this.problems.push({ loc: { file: src.file, line, col: (err.column ?? 0) + 1 }, path: '', message: `模板语法错误（Handlebars）：块“{{#${mm[1]}}}”的结束标记写成了“{{/${mm[2]}}}”（开始和结束标记须一致）` });
        this.parsed.set(src.file, null);
        return null;
      }
      const hint = /got 'EOF'/.test(err.message) ? '（可能缺少 {{/if}}、{{/each}}、{{/with}} 等结束标记）' : /doesn't match/.test(err.message) ? '（块的开始和结束标记不一致）' : '';
      this.problems.push({ loc: { file: src.file, line, col: (err.column ?? 0) + 1 }, path: '', message: `模板语法错误（Handlebars）：${detail}${hint}` });
    }
    this.parsed.set(src.file, ast);
    if (ast) this.checkTableLines(src);
    return ast;
  }

  private checkTableLines(src: Source): void {
    src.text.split('\n').forEach((line, i) => {
      const m = /^\s*::table\s+(\S+)\s*$/.exec(line);
      if (!m) return;
      const loc = { start: { line: i + 1, column: line.indexOf('::table') } };
      if (!this.allTables.has(m[1])) this.problem(src.file, loc, `模板放置了不存在的表“${m[1]}”：profile.yaml 的 tables 中没有此表`);
      else if (!this.inlineTables.has(m[1])) this.problem(src.file, loc, `表“${m[1]}”由 tables: true 的部分列示，不能再用 ::table 放置（只有 inline: true 的表可以）`);
      else if (this.placed.has(m[1])) this.problem(src.file, loc, `表“${m[1]}”已在 ${this.placed.get(m[1])!.file}:${this.placed.get(m[1])!.line} 放置过，每张表只能放置一次`);
      else this.placed.set(m[1], { file: src.file, line: i + 1 });
    });
  }

  /** Syntax-check a file (partials that no template uses are still parsed). */
  parseOnly(src: Source): void {
    this.parse(src);
  }

  /** Check one top-level template against the root shape. */
  checkTemplate(src: Source, root: Shape): void {
    const ast = this.parse(src);
    if (ast) this.program(ast, src.file, { stack: [root], root, inEach: false });
  }

  private program(p: hbs.AST.Program | undefined, file: string, scope: Scope): void {
    if (!p) return;
    for (const st of p.body) this.statement(st, file, scope);
  }

  private statement(n: AST, file: string, scope: Scope): void {
    switch (n.type) {
      case 'ContentStatement':
      case 'CommentStatement':
        return;
      case 'MustacheStatement': {
        const m = n as hbs.AST.MustacheStatement;
        const t = this.expr(m, file, scope);
        if (t !== undefined && t !== 'text' && t !== 'number' && t !== '?') {
          this.problem(file, m.loc, t === 'amount'
            ? `“${this.name(m.path)}”是金额，须写成 {{money ${this.name(m.path)}}}（百分比用 pct）`
            : `“${this.name(m.path)}”是${describeShape(t as Shape)}，不能直接印出`);
        }
        return;
      }
      case 'BlockStatement':
        return this.block(n as hbs.AST.BlockStatement, file, scope);
      case 'PartialStatement':
        return this.partial(n as hbs.AST.PartialStatement, file, scope);
      default:
        this.problem(file, (n as { loc?: Loc }).loc, `模板中不支持这种写法（${n.type}）`);
    }
  }

  private name(e: hbs.AST.Expression): string {
    return (e as hbs.AST.PathExpression).original ?? String((e as { value?: unknown }).value ?? e.type);
  }

  private block(b: hbs.AST.BlockStatement, file: string, scope: Scope): void {
    const helper = (b.path as hbs.AST.PathExpression).original;
    const arg = b.params[0];
    if (!['if', 'unless', 'each', 'with'].includes(helper)) {
      this.problem(file, b.loc, `未知的块“#${helper}”：只能使用 #if、#unless、#each、#with`);
      return;
    }
    if (b.params.length !== 1) {
      this.problem(file, b.loc, `#${helper} 需要一个参数，实际为 ${b.params.length} 个`);
      return;
    }
    const t = this.value(arg, file, scope);
    if (helper === 'if' || helper === 'unless') {
      this.program(b.program, file, scope);
      this.program(b.inverse, file, scope);
      return;
    }
    if (t === undefined) return; // already reported
    if (helper === 'each') {
      if (t === '?') return;
      if (typeof t !== 'object' || !isList(t)) {
        this.problem(file, arg.loc, `#each 需要一个列表，“${this.name(arg)}”是${describeShape(t as Shape)}`);
        return;
      }
      this.program(b.program, file, { stack: [...scope.stack, t.list], root: scope.root, inEach: true, params: withParams(scope, b.program.blockParams, [t.list, 'number']) });
      this.program(b.inverse, file, scope);
      return;
    }
    // with
    if (t === '?') return;
    if (typeof t !== 'object' || !isGroup(t)) {
      this.problem(file, arg.loc, `#with 需要一组字段，“${this.name(arg)}”是${describeShape(t as Shape)}`);
      return;
    }
    this.program(b.program, file, { stack: [...scope.stack, t], root: scope.root, inEach: scope.inEach, params: withParams(scope, b.program.blockParams, [t]) });
    this.program(b.inverse, file, scope);
  }

  private partial(p: hbs.AST.PartialStatement, file: string, scope: Scope): void {
    if (p.name.type !== 'PathExpression') {
      this.problem(file, p.loc, '不支持动态的局部模板名');
      return;
    }
    const name = (p.name as hbs.AST.PathExpression).original;
    const src = this.partials.get(name);
    if (!src) {
      this.problem(file, p.loc, `找不到局部模板“${name}”（应为 templates/partials/${name}.hbs）${this.partials.size ? `；已有：${[...this.partials.keys()].join('、')}` : ''}`);
      return;
    }
    // A partial runs as its own template (Handlebars without compat): its context is
    // the argument or the caller's context, extended by hash values; ../ cannot leave it.
    let ctx: Shape = scope.stack[scope.stack.length - 1];
    if (p.params.length > 1) this.problem(file, p.loc, '局部模板最多一个参数');
    if (p.params.length === 1) {
      const t = this.value(p.params[0], file, scope);
      if (t === undefined || t === '?') return;
      if (typeof t !== 'object' || !isGroup(t)) {
        this.problem(file, p.params[0].loc, `局部模板的参数应为一组字段，“${this.name(p.params[0])}”是${describeShape(t as Shape)}`);
        return;
      }
      ctx = t;
    }
    if (p.hash?.pairs.length) {
      if (!isGroup(ctx)) {
        this.problem(file, p.loc, `局部模板“${name}”带参数（key=…）时，当前内容应为一组字段，实际为${describeShape(ctx)}`);
        return;
      }
      const extra: Record<string, Shape> = {};
      for (const pair of p.hash.pairs) {
        const t = this.value(pair.value, file, scope);
        if (t !== undefined && t !== '?') extra[pair.key] = t as Shape;
      }
      ctx = { ...ctx, ...extra };
    }
    const stack = [ctx];
    // Walk the partial once per distinct call (guarding recursion).
    if (this.partialDepth.includes(name)) return;
    this.partialDepth.push(name);
    const ast = this.parse(src);
    // block parameters are lexical: a partial does not see its caller's
    if (ast) this.program(ast, src.file, { stack, root: scope.root, inEach: scope.inEach });
    this.partialDepth.pop();
  }

  /** Type of a mustache or subexpression (helper call or value). */
  private expr(m: hbs.AST.MustacheStatement | hbs.AST.SubExpression, file: string, scope: Scope): Shape | '?' | undefined {
    const path = m.path as hbs.AST.PathExpression;
    const isCall = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
    if (!isCall) return this.value(path, file, scope);
    const helper = path.original;
    const args = m.params.map((p) => this.value(p, file, scope));
    const site = (h: string) => this.sites.push({ file, helper: h, line: m.loc.start.line, column: m.loc.start.column });
    const want = (i: number, ok: (t: Shape) => boolean, what: string): void => {
      const t = args[i];
      if (t === undefined || t === '?') return;
      if (!ok(t as Shape)) this.problem(file, m.params[i].loc, `${helper} 需要${what}，“${this.name(m.params[i])}”是${describeShape(t as Shape)}`);
    };
    const arity = (n: number[]): boolean => {
      if (n.includes(m.params.length)) return true;
      this.problem(file, m.loc, `${helper} 需要 ${n.join(' 或 ')} 个参数，实际为 ${m.params.length} 个`);
      return false;
    };
    switch (helper) {
      case 'money':
      case 'pct':
        site(helper);
        if (arity([1])) want(0, (t) => t === 'amount', '一个金额');
        return 'text';
      case 'join':
        site(helper);
        if (arity([1, 2])) {
          want(0, (t) => typeof t === 'object' && isList(t) && t.list === 'text', '一个文字列表');
          if (m.params.length === 2) want(1, (t) => t === 'text', '分隔符文字');
        }
        return 'text';
      case 'cn':
      case 'no':
        if (arity([1])) want(0, (t) => t === 'number', '一个序号（如 @index）');
        return 'text';
      case 'add':
        if (arity([2])) { want(0, (t) => t === 'number', '数字'); want(1, (t) => t === 'number', '数字'); }
        return 'number';
      case 'last':
        if (arity([2])) { want(0, (t) => t === 'number', '序号（@index）'); want(1, (t) => typeof t === 'object' && isList(t), '一个列表'); }
        return 'flag';
      default:
        this.problem(file, m.loc, `未知的助手“${helper}”：可用的助手为 money、pct、join、cn、no、add、last`);
        return undefined;
    }
  }

  /** Type of a parameter: a path, a literal or a subexpression. */
  private value(e: hbs.AST.Expression, file: string, scope: Scope): Shape | '?' | undefined {
    switch (e.type) {
      case 'StringLiteral': return 'text';
      case 'NumberLiteral': return 'number';
      case 'BooleanLiteral': return 'flag';
      case 'SubExpression': return this.expr(e as hbs.AST.SubExpression, file, scope);
      case 'PathExpression': return this.path(e as hbs.AST.PathExpression, file, scope);
      default:
        this.problem(file, e.loc, `模板中不支持这种值（${e.type}）`);
        return undefined;
    }
  }

  private path(p: hbs.AST.PathExpression, file: string, scope: Scope): Shape | '?' | undefined {
    if (p.data) {
      const head = p.parts[0];
      if (head === 'root') return this.walk(scope.root, p.parts.slice(1), p, file);
      if (!scope.inEach) {
        this.problem(file, p.loc, `“@${head}”只能在 #each 中使用`);
        return undefined;
      }
      if (head === 'index') return 'number';
      if (head === 'first' || head === 'last') return 'flag';
      this.problem(file, p.loc, `未知的数据变量“@${head}”：可用 @index、@first、@last、@root`);
      return undefined;
    }
    const depth = p.depth;
    const param = depth === 0 && !/^(this\b|\.\/)/.test(p.original) && p.parts.length ? scope.params?.get(p.parts[0]) : undefined;
    if (param !== undefined) return this.walk(param, p.parts.slice(1), p, file);
    if (depth >= scope.stack.length) {
      this.problem(file, p.loc, `“${p.original}”向上超出了最外层（../ 太多）`);
      return undefined;
    }
    const ctx = scope.stack[scope.stack.length - 1 - depth];
    return this.walk(ctx, p.parts, p, file);
  }

  private walk(start: Shape, parts: string[], p: hbs.AST.PathExpression, file: string): Shape | undefined {
    let cur: Shape = start;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i];
      const at = parts.slice(0, i + 1).join('.');
      if (typeof cur === 'object' && isList(cur)) {
        if (part === 'length' && i === parts.length - 1) return 'number';
        this.problem(file, p.loc, `“${p.original}”中的“${parts.slice(0, i).join('.')}”是列表，只能用 #each 逐项读取或读取 length`);
        return undefined;
      }
      if (typeof cur !== 'object') {
        this.problem(file, p.loc, `“${p.original}”中的“${parts.slice(0, i).join('.')}”是${describeShape(cur)}，没有下级字段“${part}”`);
        return undefined;
      }
      const next: Shape | undefined = Object.prototype.hasOwnProperty.call(cur, part) ? (cur as Record<string, Shape>)[part] : undefined;
      if (next === undefined) {
        const known = Object.keys(cur);
        this.problem(file, p.loc, `模板引用了不存在的字段“${at}”${at !== p.original ? `（在“${p.original}”中）` : ''}。此处可用的字段：${known.join('、')}`);
        return undefined;
      }
      cur = next;
    }
    return cur;
  }
}
