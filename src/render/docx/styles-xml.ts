/**
 * word/styles.xml from the style descriptions of styles.ts: the document
 * defaults, docx's built-in styles the report does not define (static-parts.ts),
 * then the report's paragraph styles, written as the docx package (9.15) wrote
 * them. Only the properties styles.ts uses are known here; any other fails
 * loudly, so a new property is added here on purpose.
 *
 * The paragraph defaults and the Normal style ask for no automatic space
 * between Han characters and Latin letters (w:autoSpaceDE) or digits
 * (w:autoSpaceDN), as the PDF sets them ("16037.96万元"): Word and
 * LibreOffice otherwise widen those joints by about a quarter em on their own.
 */
import { STYLES_BUILTIN, STYLES_HEAD } from './static-parts';
import { esc } from './xml';

export interface IRunStylePropertiesOptions {
  font?: { ascii: string; hAnsi: string; cs: string; eastAsia: string; hint?: 'eastAsia' };
  size?: number;
  sizeComplexScript?: number;
  bold?: boolean;
  italics?: boolean;
  color?: string;
  language?: { value: string; eastAsia: string };
}

export interface IParagraphPropertiesOptions {
  alignment?: 'left' | 'center' | 'right' | 'both';
  spacing?: { before?: number; after?: number; line?: number; lineRule?: 'exact' | 'auto' };
  indent?: { left?: number; right?: number; hanging?: number; firstLine?: number; firstLineChars?: number };
  keepNext?: boolean;
  keepLines?: boolean;
  outlineLevel?: number;
}

export interface IParagraphStyleOptions {
  id: string;
  name?: string;
  basedOn?: string;
  next?: string;
  quickFormat?: boolean;
  uiPriority?: number;
  run?: IRunStylePropertiesOptions;
  paragraph?: IParagraphPropertiesOptions;
}

export interface IStylesOptions {
  default: { document: { run: IRunStylePropertiesOptions; paragraph: IParagraphPropertiesOptions } };
  paragraphStyles: IParagraphStyleOptions[];
}

function only(what: string, o: object, keys: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new Error(`renderDocx: styles-xml cannot write ${what}.${k}`);
  }
}

const onOff = (name: string, value: boolean): string => (value ? `<${name}/>` : `<${name} w:val="false"/>`);
const attrs = (pairs: Array<[string, string | number | undefined]>): string =>
  pairs.filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${esc(String(v))}"`).join('');

function rPr(r: IRunStylePropertiesOptions): string {
  only('run', r, ['font', 'size', 'sizeComplexScript', 'bold', 'italics', 'color', 'language']);
  let s = '';
  if (r.font) s += `<w:rFonts${attrs([['w:ascii', r.font.ascii], ['w:cs', r.font.cs], ['w:eastAsia', r.font.eastAsia], ['w:hAnsi', r.font.hAnsi], ['w:hint', r.font.hint]])}/>`;
  if (r.bold !== undefined) s += onOff('w:b', r.bold) + onOff('w:bCs', r.bold);
  if (r.italics !== undefined) s += onOff('w:i', r.italics) + onOff('w:iCs', r.italics);
  if (r.color) s += `<w:color w:val="${esc(r.color)}"/>`;
  if (r.size !== undefined) s += `<w:sz w:val="${r.size}"/>`;
  const szCs = r.sizeComplexScript ?? r.size;
  if (szCs) s += `<w:szCs w:val="${szCs}"/>`;
  if (r.language) s += `<w:lang${attrs([['w:val', r.language.value], ['w:eastAsia', r.language.eastAsia]])}/>`;
  return s === '' ? '' : `<w:rPr>${s}</w:rPr>`;
}

function pPr(p: IParagraphPropertiesOptions, noAutospace: boolean): string {
  only('paragraph', p, ['alignment', 'spacing', 'indent', 'keepNext', 'keepLines', 'outlineLevel']);
  let s = '';
  if (p.keepNext !== undefined) s += onOff('w:keepNext', p.keepNext);
  if (p.keepLines !== undefined) s += onOff('w:keepLines', p.keepLines);
  if (noAutospace) s += '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>';
  if (p.spacing) s += `<w:spacing${attrs([['w:after', p.spacing.after], ['w:before', p.spacing.before], ['w:line', p.spacing.line], ['w:lineRule', p.spacing.lineRule]])}/>`;
  if (p.indent) {
    const i = p.indent;
    s += `<w:ind${attrs([['w:left', i.left], ['w:right', i.right], ['w:hanging', i.hanging], ['w:firstLine', i.firstLine], ['w:firstLineChars', i.firstLineChars]])}/>`;
  }
  if (p.alignment) s += `<w:jc w:val="${p.alignment}"/>`;
  if (p.outlineLevel !== undefined) s += `<w:outlineLvl w:val="${p.outlineLevel}"/>`;
  return s === '' ? '' : `<w:pPr>${s}</w:pPr>`;
}

function styleXml(o: IParagraphStyleOptions): string {
  only('style', o, ['id', 'name', 'basedOn', 'next', 'quickFormat', 'uiPriority', 'run', 'paragraph']);
  const normal = o.id === 'Normal';
  return (
    `<w:style w:type="paragraph" w:styleId="${esc(o.id)}"${normal ? ' w:default="1"' : ''}>` +
    (o.name ? `<w:name w:val="${esc(o.name)}"/>` : '') +
    (o.basedOn && o.basedOn !== o.id ? `<w:basedOn w:val="${esc(o.basedOn)}"/>` : '') +
    (o.next ? `<w:next w:val="${esc(o.next)}"/>` : '') +
    (o.uiPriority !== undefined ? `<w:uiPriority w:val="${o.uiPriority}"/>` : '') +
    (o.quickFormat !== undefined ? onOff('w:qFormat', o.quickFormat) : '') +
    (o.paragraph ? pPr(o.paragraph, normal) : normal ? pPr({}, true) : '') +
    (o.run ? rPr(o.run) : '') +
    '</w:style>'
  );
}

export function stylesXml(options: IStylesOptions): string {
  const d = options.default.document;
  return (
    STYLES_HEAD +
    `<w:docDefaults><w:rPrDefault>${rPr(d.run)}</w:rPrDefault><w:pPrDefault>${pPr(d.paragraph, true)}</w:pPrDefault></w:docDefaults>` +
    STYLES_BUILTIN +
    options.paragraphStyles.map(styleXml).join('') +
    '</w:styles>'
  );
}
