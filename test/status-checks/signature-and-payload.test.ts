/** GitLab's X-Gitlab-Signature (hex HMAC-SHA256 of the raw body) and the payload fields we read. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseStatusCheckRequest } from '../../src/gating/status-checks/status-check-request.js';
import { signBody, verifySignature } from '../../src/http/signature.js';
import { createStatusCheckWorld } from '../http/status-check-gitlab.js';
import { CHECK_ID, mergeRequestPayload } from './harness.js';

describe('signature', () => {
  const body = Buffer.from('{"object_kind":"merge_request"}');
  // OpenSSL::HMAC.hexdigest('sha256', secret, body), as dispatch_service.rb computes it.
  const expected = createHmac('sha256', 's3cret').update(body).digest('hex');

  it('is lowercase hex HMAC-SHA256 of the body, without a prefix', () => {
    expect(signBody('s3cret', body)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['the right signature', expected, true],
    ['the same in upper case', expected.toUpperCase(), true],
    ['none', undefined, false],
    ['another secret', signBody('other', body), false],
    ['a sha256= prefix', `sha256=${expected}`, false],
    ['a shorter value', expected.slice(0, 62), false],
    ['a longer value', `${expected}00`, false],
    ['not hex', 'z'.repeat(64), false],
  ])('%s → %s', (_name, signature, valid) => {
    expect(verifySignature('s3cret', body, signature)).toBe(valid);
  });

  it('covers every byte', () => {
    expect(verifySignature('s3cret', Buffer.from('{"object_kind": "merge_request"}'), expected)).toBe(false);
  });
});

describe('parseStatusCheckRequest', () => {
  const world = createStatusCheckWorld();

  it('reads project, MR, head commit and the external status check id', () => {
    expect(parseStatusCheckRequest(mergeRequestPayload(world, { message: 'Fix [skip ci]' }))).toEqual({
      ok: true,
      request: { projectId: 7, projectPath: 'acme/web', mergeRequestIid: 3, state: 'opened', headSha: world.headSha, headCommitMessage: 'Fix [skip ci]', externalStatusCheckId: CHECK_ID },
    });
  });

  it.each([
    ['not an object', 'x', '$: expected a JSON object'],
    ['another event', { object_kind: 'push' }, '$.object_kind: expected "merge_request"'],
    ['no external_approval_rule', { ...(mergeRequestPayload(world) as object), external_approval_rule: undefined }, '$.external_approval_rule.id: expected a positive integer'],
    ['a short SHA', mergeRequestPayload(world, { sha: 'abc123' }), '$.object_attributes.last_commit.id: expected a commit SHA'],
  ])('refuses %s', (_name, payload, problem) => {
    expect(parseStatusCheckRequest(payload)).toEqual({ ok: false, problem });
  });
});
