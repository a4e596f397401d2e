/**
 * The pipeline entry points: data.yaml → ReportDocument (see docs in README).
 * (Placeholder until the load/validate/derive/audit/compose stages land.)
 */
import type { ReportDocument } from './document/types';

export function buildDocumentFromFile(_path: string): ReportDocument {
  throw new Error('pipeline not implemented yet');
}
