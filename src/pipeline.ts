/**
 * The pipeline: data.yaml → Source → Model → Facts → Findings → ReportDocument.
 * Each stage is one module; writers (src/render/*) see only the document.
 */
import { ReportDocument } from './document/types';
import { loadSource, parseSource } from './source/load';
import { Model, validateSource } from './validate/model';
import { deriveFacts, Facts } from './derive/facts';
import { audit, AuditResult, Finding } from './audit/rules';
import { composeDocument } from './compose/document';

export interface Built {
  model: Model;
  facts: Facts;
  audit: AuditResult;
  document: ReportDocument;
}

/** Audit errors stop the build. */
export class AuditError extends Error {
  constructor(public readonly result: AuditResult) {
    super(`审核未通过：${result.errors.length} 个错误`);
    this.name = 'AuditError';
  }
}

export function buildFromModel(model: Model): Built {
  const facts = deriveFacts(model);
  const result = audit(facts);
  if (result.errors.length) throw new AuditError(result);
  return { model, facts, audit: result, document: composeDocument(facts, model.profile) };
}

export function buildFromFile(path: string): Built {
  return buildFromModel(validateSource(loadSource(path)));
}

/** Build from YAML text (tests, editors). */
export function buildFromText(text: string, file = 'data.yaml'): Built {
  return buildFromModel(validateSource(parseSource(text, file)));
}

export function buildDocumentFromFile(path: string): ReportDocument {
  return buildFromFile(path).document;
}

export type { Finding };
