/**
 * data.schema.json is generated from the validators (never written twice), is
 * referenced from data.yaml, accepts the bundled data files and rejects broken
 * copies the validator rejects too.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { InputError } from '../../src/errors';
import { schemaText } from '../../src/review/json-schema';
import { build, dataText, edit, ROOT } from '../helpers/build';

const file = path.join(ROOT, 'data.schema.json');
const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const ok = (text: string) => validate(parse(text));

test('the committed data.schema.json is what the validators generate (npm run schema)', () => {
  expect(fs.readFileSync(file, 'utf8')).toBe(schemaText());
});

test('data.yaml refers to it on its first line (YAML language server modeline)', () => {
  expect(dataText().split('\n')[0]).toBe('# yaml-language-server: $schema=./data.schema.json');
});

test('descriptions are in Chinese, from the validators’ labels', () => {
  expect(schema.properties.report.properties.department.description).toBe('部门全称');
  expect(schema.properties.tables.properties.t05.description).toContain('公开05表');
  expect(JSON.stringify(schema.properties.explanations)).toContain('决算数大于预算数的原因');
});

test('the bundled data files validate', () => {
  expect(ok(dataText())).toBe(true);
  expect(ok(fs.readFileSync(path.join(ROOT, 'tests', 'fixtures', 'second-department', 'data.yaml'), 'utf8'))).toBe(true);
});

test.each([
  ['a misspelt key', '  budget_variance_threshold', '  budget_variance_treshold'],
  ['an amount that is not a number', '"2010302": { fiscal: 16309.89 }', '"2010302": { fiscal: "16309.8.9" }'],
  ['a text where a count is expected', 'fleet_size: 7', 'fleet_size: 七'],
  ['a bad date', 'date: 2024-06-28', 'date: 2024-6-28'],
  ['an unknown unit', 'unit: 万元', 'unit: 千元'],
])('a broken copy (%s) fails the schema, and the validator too', (_what, from, to) => {
  const text = edit(dataText(), from, to);
  expect(ok(text)).toBe(false);
  expect(() => build(text)).toThrow(InputError);
});
