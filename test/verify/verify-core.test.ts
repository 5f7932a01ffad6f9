/**
 * The verifier's pure parts, table-driven: the verdict ledger (duplicates, newest pipeline wins,
 * bounded), the webhook secret comparison, webhook payload parsing, and the policy digest.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, policyDigest } from '../../src/emit/policy-digest.js';
import { verifyWebhookToken } from '../../src/http/webhook-token.js';
import type { Policy } from '../../src/policies/types.js';
import { verdictWithoutPipeline } from '../../src/verify/head-verdict.js';
import { createVerdictLedger } from '../../src/verify/verdict-ledger.js';
import { parseWebhook } from '../../src/verify/webhook-events.js';

describe('verdict ledger', () => {
  it('publishes a verdict once, again when it changes, and never an older pipeline\'s after a newer one', () => {
    const ledger = createVerdictLedger();
    expect(ledger.decide(1, 'a', 10, 'pending')).toBe('publish');
    expect(ledger.decide(1, 'a', 10, 'pending')).toBe('duplicate');
    expect(ledger.decide(1, 'a', 10, 'verified')).toBe('publish');
    expect(ledger.decide(1, 'a', 9, 'failed')).toBe('superseded');
    expect(ledger.decide(1, 'a', 11, 'failed')).toBe('publish');
    expect(ledger.decide(2, 'a', 9, 'failed')).toBe('publish');
  });

  it('forgets the oldest commit past its bound (a forgotten commit is verified again from GitLab)', () => {
    const ledger = createVerdictLedger(2);
    ledger.decide(1, 'a', 1, 'failed');
    ledger.decide(1, 'b', 1, 'failed');
    ledger.decide(1, 'c', 1, 'failed');
    expect(ledger.decide(1, 'a', 1, 'failed')).toBe('publish');
    expect(ledger.decide(1, 'c', 1, 'failed')).toBe('duplicate');
  });
});

describe('webhook secret token', () => {
  it.each([
    ['the secret', 'the secret', true],
    ['the secret', 'the secreT', false],
    ['the secret', 'the secret ', false],
    ['the secret', '', false],
    ['the secret', 'a much longer token than the secret itself', false],
  ])('%j against %j: %s', (secret, given, expected) => {
    expect(verifyWebhookToken(secret, given)).toBe(expected);
  });

  it('refuses a missing header', () => {
    expect(verifyWebhookToken('the secret', undefined)).toBe(false);
  });
});

describe('webhook payloads', () => {
  const project = { id: 101, path_with_namespace: 'acme/web' };
  it.each([
    ['pipeline', { object_kind: 'pipeline', project, object_attributes: { id: 5, sha: 'abc', status: 'success', source: 'push' } }, { ok: true, event: { kind: 'pipeline', projectId: 101, projectPath: 'acme/web', pipelineId: 5, sha: 'abc', status: 'success', source: 'push' } }],
    [
      'merge request',
      { object_kind: 'merge_request', project, object_attributes: { iid: 7, state: 'opened', last_commit: { id: 'def', message: 'x [skip ci]' } } },
      { ok: true, event: { kind: 'merge-request', projectId: 101, projectPath: 'acme/web', iid: 7, state: 'opened', headSha: 'def', commitMessage: 'x [skip ci]' } },
    ],
    ['push (not verified)', { object_kind: 'push', project }, { ok: false, ignored: true, problem: 'event push is not verified' }],
    ['pipeline without sha', { object_kind: 'pipeline', project, object_attributes: { id: 5, status: 'success' } }, { ok: false, ignored: false, problem: 'object_attributes.id, sha or status is missing' }],
    ['not an object', [1, 2], { ok: false, ignored: false, problem: 'the body is not a JSON object' }],
  ])('%s', (_name, payload, expected) => {
    expect(parseWebhook(payload)).toEqual(expected);
  });
});

describe('policy digest', () => {
  const policy = { type: 'scan_execution_policy', name: 'Secrets', enabled: true, policyScope: undefined, raw: { rules: [{ type: 'pipeline', branches: ['*'] }], actions: [{ scan: 'secret_detection' }] } } as unknown as Policy;
  it('does not depend on key order or absent values', () => {
    const reordered = { raw: { actions: [{ scan: 'secret_detection' }], rules: [{ branches: ['*'], type: 'pipeline' }] }, enabled: true, name: 'Secrets', type: 'scan_execution_policy' } as unknown as Policy;
    expect(policyDigest(reordered)).toBe(policyDigest(policy));
    expect(policyDigest(policy)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it('changes with any value', () => {
    const changed = { ...policy, raw: { ...(policy as { raw: object }).raw, actions: [{ scan: 'sast' }] } } as unknown as Policy;
    expect(policyDigest(changed)).not.toBe(policyDigest(policy));
  });
  it('writes canonical JSON', () => {
    expect(canonicalJson({ b: [1, { d: undefined, c: 'x' }], a: null })).toBe('{"a":null,"b":[1,{"c":"x"}]}');
  });
});

describe('a merge request head without a pipeline', () => {
  it('fails with [skip ci]', () => {
    expect(verdictWithoutPipeline('acme/web', 'f'.repeat(40), 'Docs [ci skip]')).toMatchObject({ state: 'failed', verified: false, pipeline: null, checks: [{ name: 'head-pipeline', ok: false }] });
  });
  it('waits without it (GitLab sends the merge request event before it creates the pipeline)', () => {
    expect(verdictWithoutPipeline('acme/web', 'f'.repeat(40), 'Docs')).toMatchObject({ state: 'pending', verified: false });
  });
});
