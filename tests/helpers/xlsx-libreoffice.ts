/**
 * LibreOffice as an independent reader of the workbook: recalculate every
 * formula on load and export each sheet to CSV.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import JSZip from 'jszip';

export function hasSoffice(): boolean {
  return spawnSync('sh', ['-c', 'command -v soffice'], { encoding: 'utf8' }).status === 0;
}

/** A cached formula result no real table contains: if LibreOffice shows it, it did not recalculate. */
export const POISON = '-999999';

/**
 * A copy of the workbook whose cached formula results are all replaced by POISON
 * and which asks for a full recalculation on load; returns it with the number of
 * formulas found.
 */
export async function poisonFormulaCache(buf: Buffer): Promise<{ buf: Buffer; formulas: number }> {
  const zip = await JSZip.loadAsync(buf);
  let formulas = 0;
  for (const name of Object.keys(zip.files)) {
    if (!/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) continue;
    const xml = await zip.file(name)!.async('string');
    const poisoned = xml.replace(/(<f>[^<]*<\/f>)(<v>[^<]*<\/v>)?/g, (_m, f: string) => {
      formulas++;
      return `${f}<v>${POISON}</v>`;
    });
    zip.file(name, poisoned);
  }
  const wbXml = await zip.file('xl/workbook.xml')!.async('string');
  zip.file('xl/workbook.xml', wbXml.replace(/<calcPr\b([^>]*?)\/>/, '<calcPr$1 fullCalcOnLoad="1"/>'));
  return { buf: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }), formulas };
}

/**
 * A fresh LibreOffice user profile that recalculates OOXML formulas on load
 * (LibreOffice 7.4 ignores fullCalcOnLoad and by default trusts cached values).
 */
function recalculatingProfile(dir: string): string {
  const user = path.join(dir, 'user');
  fs.mkdirSync(user, { recursive: true });
  fs.writeFileSync(
    path.join(user, 'registrymodifications.xcu'),
    `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
  );
  return 'file://' + dir;
}

export interface CsvSheets {
  /** Sheet name → rows of cells. */
  sheets: Map<string, string[][]>;
}

/**
 * Export every sheet of `xlsx` to CSV with LibreOffice (one file per sheet).
 * asShown: cells as formatted on screen ("20,624.94"), else raw values ("20624.94").
 */
export function libreOfficeCsv(xlsx: Buffer, asShown: boolean): CsvSheets {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-lo-'));
  try {
    const input = path.join(work, 'book.xlsx');
    fs.writeFileSync(input, xlsx);
    const out = path.join(work, 'csv');
    fs.mkdirSync(out);
    // Tokens: separator ',', quote '"', UTF-8, from line 1, default cell format,
    // language, quoted as text, detect special numbers, save as shown, formulas,
    // remove spaces, sheet (-1 = every sheet to its own file "<base>-<sheet>.csv").
    const filter = `csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,${asShown},false,false,-1`;
    const res = spawnSync(
      'soffice',
      [`-env:UserInstallation=${recalculatingProfile(path.join(work, 'profile'))}`, '--headless', '--norestore', '--convert-to', filter, '--outdir', out, input],
      { encoding: 'utf8', timeout: 110_000 },
    );
    const sheets = new Map<string, string[][]>();
    for (const file of fs.readdirSync(out)) {
      const m = /^book-(.*)\.csv$/.exec(file);
      if (m) sheets.set(m[1], parseCsv(fs.readFileSync(path.join(out, file), 'utf8')));
    }
    if (sheets.size === 0) {
      throw new Error(`LibreOffice wrote no CSV (status ${res.status}): ${res.stderr}\n${res.stdout}`);
    }
    return { sheets };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** RFC 4180 CSV. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
