/**
 * The Chinese line breaker on its own: tokenising (number atoms, glued
 * punctuation) and filling lines (prohibition rules, hanging punctuation,
 * justification targets, emergency breaks). A fake monospace measure makes
 * the expectations exact: CJK = 1 em, ASCII = 0.5 em.
 */
import {
  FORBIDDEN_END,
  FORBIDDEN_START,
  breakLines,
  breakOpportunities,
  compressibleMarks,
  lineText,
  tokenize,
} from '../src/render/pdf/linebreaker';

const measure = (s: string) => {
  let w = 0;
  for (const ch of s) w += /[\x20-\x7e]/.test(ch) ? 0.5 : 1;
  return w;
};
const lines = (text: string, width: number, firstIndent = 0) =>
  breakLines(text, { width, firstIndent, measure, em: 1 }).map(lineText);

describe('tokenize', () => {
  it('keeps numbers with separators, decimals, percent and unit as one atom', () => {
    expect(tokenize('收、支总计21439.60万元，下降1.38%，与上年')).toEqual([
      '收、', '支', '总', '计', '21439.60万元，', '下', '降', '1.38%，', '与', '上', '年',
    ]);
    expect(tokenize('金额20,624.94和229.52%以及2023年度')).toEqual([
      '金', '额', '20,624.94', '和', '229.52%', '以', '及', '2023年', '度',
    ]);
    expect(tokenize('内设机构7个，车辆3辆。')).toContain('7个，');
    expect(tokenize('内设机构7个，车辆3辆。')).toContain('3辆。');
  });

  it('glues closing marks to the atom before and opening marks to the atom after', () => {
    expect(tokenize('一般公共服务（类）政府办公厅（室）：《关于》')).toEqual([
      '一', '般', '公', '共', '服', '务', '（类）', '政', '府', '办', '公', '厅', '（室）：', '《关', '于》',
    ]);
  });

  it('treats Chinese quotes as opening/closing marks (UAX #14 alone would glue whole words)', () => {
    expect(tokenize('财政拨款“三公”经费')).toEqual(['财', '政', '拨', '款', '“三', '公”', '经', '费']);
    expect(tokenize('云、“互联网+政务服务”一体化')).toEqual(['云、', '“互', '联', '网', '+政', '务', '服', '务”', '一', '体', '化']);
  });

  it('keeps —— and …… whole and off the line start', () => {
    const t = tokenize('决算表——测试……好');
    expect(t).toContain('表——');
    expect(t).toContain('试……');
  });

  it('never allows a break before a forbidden-start mark or after a forbidden-end mark', () => {
    const text = '（一）开展全省政务服务和大数据发展战略、地方性法规、规章、政策等方面的基础性研究工作；承担“互联网+政务服务”一体化平台！是否？【注】《报告》〔2016〕143号';
    const ok = breakOpportunities(text);
    for (let i = 1; i < text.length; i++) {
      if (!ok[i]) continue;
      expect(FORBIDDEN_START.has(text[i])).toBe(false);
      expect(FORBIDDEN_END.has(text[i - 1])).toBe(false);
    }
  });

  it('breaks Latin text at spaces and keeps words whole', () => {
    expect(tokenize('ABC def 12,345.67')).toEqual(['ABC ', 'def ', '12,345.67']);
  });
});

describe('breakLines', () => {
  const para =
    '年初预算为3895.30万元，支出决算为12106.76万元，完成年初预算的310.80%，决算数大于年初预算数的主要原因是：年中追加的项目经费支出，如电子政务外网统一云平台运维经费、金审三期项目经费等。';

  it('fills lines greedily and keeps all the text in order', () => {
    const ls = lines(para, 27, 2);
    expect(ls.join('')).toBe(para);
    expect(ls.length).toBeGreaterThan(2);
  });

  it('never starts a line with a forbidden-start mark nor ends one with a forbidden-end mark', () => {
    // Try every measure from 5 to 30 ems so the marks land at every position.
    const text = '（一）内设机构设置。我中心内设机构7个，包括综合部、人事部、规划发展部（政府网站部）、大数据资源部；“三公”经费《报告》【附件】！';
    for (let w = 5; w <= 30; w++) {
      const ls = lines(text, w, 2);
      expect(ls.join('')).toBe(text);
      ls.forEach((l, i) => {
        if (i > 0) expect(FORBIDDEN_START.has(Array.from(l)[0])).toBe(false);
        if (i < ls.length - 1) expect(FORBIDDEN_END.has(Array.from(l).pop()!)).toBe(false);
      });
    }
  });

  it('never splits a number with its unit, at any measure', () => {
    const numbers = ['3895.30万元，', '12106.76万元，', '310.80%，'];
    // From 7 ems up every atom fits a line (12106.76万元， is 7 ems wide).
    for (let w = 7; w <= 30; w++) {
      const ls = lines(para, w);
      for (const n of numbers) {
        const whole = ls.some((l) => l.includes(n));
        expect({ w, n, whole }).toEqual({ w, n, whole: true });
      }
    }
  });

  it('pushes the character before a forbidden-start mark down when the mark does not fit', () => {
    // 10-em measure: "一二三四五六七八九十" fills it; "，" cannot start the next line.
    const text = '一二三四五六七八九十甲，乙';
    const ls = breakLines(text, { width: 10, measure, em: 1 });
    // The comma hangs by half an em only if it alone overflows; here 甲， overflows by 2 ems.
    expect(ls.map(lineText)).toEqual(['一二三四五六七八九十', '甲，乙']);
  });

  it('lets a line-end mark hang by half an em instead of pushing a character down', () => {
    const text = '一二三四五六七八九，十';
    const ls = breakLines(text, { width: 9.5, measure, em: 1, justify: false });
    expect(ls.map(lineText)).toEqual(['一二三四五六七八九，', '十']);
    const justified = breakLines(text + '一二三四五六七八九', { width: 9.5, measure, em: 1 });
    expect(lineText(justified[0])).toBe('一二三四五六七八九，');
    expect(justified[0].justifyTo).toBeCloseTo(10, 5); // 9.5 + half an em
    // Not so for a mark that is not a line-end mark.
    const ls2 = breakLines('一二三四五六七八九（十）', { width: 9.5, measure, em: 1, justify: false });
    expect(lineText(ls2[0])).toBe('一二三四五六七八九');
  });

  it('compresses marks inside a line before pushing a character down', () => {
    // 11 ems into 10: three commas give back half an em each.
    const ls = breakLines('甲，乙，丙，丁戊己庚辛', { width: 10, measure, em: 1 });
    expect(ls).toHaveLength(1);
    expect(ls[0].squeeze).toBeCloseTo(1 / 3, 9);
    // Not enough marks to compress: the last character goes down.
    const ls2 = breakLines('甲，乙丙丁戊己庚辛壬', { width: 9, measure, em: 1, justify: false });
    expect(ls2.map(lineText)).toEqual(['甲，乙丙丁戊己庚辛', '壬']);
    expect(ls2[0].squeeze).toBe(0);
    expect(compressibleMarks('甲，乙，丙。')).toBe(2);
  });

  it('indents the first line and justifies all lines but the last', () => {
    const ls = breakLines(para, { width: 27, firstIndent: 2, measure, em: 1 });
    expect(ls[0].indent).toBe(2);
    expect(ls.slice(1).every((l) => l.indent === 0)).toBe(true);
    ls.slice(0, -1).forEach((l) => {
      expect(l.justifyTo! + l.indent).toBeGreaterThanOrEqual(27);
      // Natural width minus compression fits the target.
      expect(l.width - l.squeeze * compressibleMarks(lineText(l))).toBeLessThanOrEqual(l.justifyTo! + 1e-9);
    });
    expect(ls[ls.length - 1].justifyTo).toBeUndefined();
  });

  it('does not end a paragraph with a single character: one more comes down', () => {
    const ls = breakLines('一二三四五六七八九十甲：', { width: 10, measure, em: 1 });
    // Greedy would leave 甲： alone on the last line.
    expect(ls.map(lineText)).toEqual(['一二三四五六七八九', '十甲：']);
    expect(ls[0].squeeze).toBe(0);
    expect(ls[0].justifyTo).toBe(10);
    // Without justification (table cells) nothing moves.
    const raw = breakLines('一二三四五六七八九十甲：', { width: 10, measure, em: 1, justify: false });
    expect(raw.map(lineText)).toEqual(['一二三四五六七八九十', '甲：']);
    // A move that would leave the line before more than two ems short is not made.
    const long = breakLines('甲乙丙12345678.90万元丁', { width: 11, measure, em: 1 });
    expect(long.map(lineText)).toEqual(['甲乙丙12345678.90万元', '丁']);
  });

  it('cuts an atom longer than a line as a last resort', () => {
    const ls = lines('12345678901234567890', 4);
    expect(ls.join('')).toBe('12345678901234567890');
    expect(ls.every((l) => measure(l) <= 4)).toBe(true);
  });

  it('drops trailing spaces from the measured width', () => {
    const [l] = breakLines('ABC def', { width: 100, measure, em: 1 });
    expect(l.width).toBe(3.5);
  });
});

describe('adjacent punctuation (clreq)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { adjacentCompressions, breakParagraph } = require('../src/render/pdf/linebreaker') as typeof import('../src/render/pdf/linebreaker');
  test('a mark with a blank right half is set half width before another mark, nowhere else', () => {
    expect(adjacentCompressions('甲。”乙（丙），丁、“戊”')).toEqual([1, 6, 9]);
    expect(adjacentCompressions('甲，乙。丙')).toEqual([]);
  });
  test('total-fit lines are measured with the compression, the same on every line, and never stretch more than allowed', () => {
    const measure = (s: string) => Array.from(s).length;
    const text = '甲乙丙。”丁戊己（庚辛），壬癸、“子丑”寅卯辰巳午未申酉戌亥。”甲乙丙丁戊己庚辛壬癸';
    const lines = breakParagraph(text, { width: 10, measure, em: 1, maxStretch: 0.1, maxShrink: 0.08 });
    expect(lines.map(lineText).join('')).toBe(text);
    for (const l of lines.slice(0, -1)) {
      if (l.justifyTo === undefined) continue;
      expect((l.justifyTo - l.width) / Math.max(1, l.atoms.length - 1)).toBeLessThanOrEqual(0.1 + 1e-9);
    }
  });
});
