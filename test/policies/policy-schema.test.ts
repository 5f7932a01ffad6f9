/**
 * The shipped schema (schema/policy.schema.json) is the object in src/policies/policy-schema.ts,
 * written out; `UPDATE_GOLDENS=1 npx vitest run test/policies` rewrites it (review the diff).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { POLICY_SCHEMA_ID, policySchema } from '../../src/policies/policy-schema.js';
import { closeOpenObjects } from '../../src/policies/closed-policy-schema.js';

const shipped = join(import.meta.dirname, '../../schema/policy.schema.json');
const update = process.env['UPDATE_GOLDENS'] === '1';

describe('policy schema', () => {
  it('schema/policy.schema.json is the generated schema', () => {
    const text = `${JSON.stringify(policySchema, null, 2)}\n`;
    if (update) writeFileSync(shipped, text);
    expect(readFileSync(shipped, 'utf8')).toBe(text);
  });

  it('has an $id editors can point at, and compiles under ajv strict mode as draft-07', () => {
    const parsed = JSON.parse(readFileSync(shipped, 'utf8')) as { $id: string; $schema: string };
    expect(parsed.$id).toBe(POLICY_SCHEMA_ID);
    expect(parsed.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const ajv = new Ajv({ strict: true, strictTypes: false, strictRequired: false });
    ajv.addKeyword('errorMessage');
    expect(() => ajv.compile(parsed)).not.toThrow();
  });

  it('closes open objects for the unknown-key warnings, but never an if condition', () => {
    const closed = closeOpenObjects({
      type: 'object',
      properties: { a: { type: 'object', properties: {} } },
      if: { type: 'object', properties: { a: { const: 1 } } },
      patterned: { type: 'object', properties: {}, patternProperties: { x: {} } },
    });
    expect(closed).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { a: { type: 'object', properties: {}, additionalProperties: false } },
      if: { type: 'object', properties: { a: { const: 1 } } },
      patterned: { type: 'object', properties: {}, patternProperties: { x: {} } },
    });
  });
});
