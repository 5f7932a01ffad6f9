/**
 * GitLab's status-check signature (gitlab-approvals-status-checks.md §4.2; GitLab
 * ee/app/services/external_status_checks/dispatch_service.rb): when the check has a shared
 * secret, `X-GitLab-Signature` is `OpenSSL::HMAC.hexdigest('sha256', shared_secret, body)`:
 * lowercase hex, no `sha256=` prefix, over the exact body bytes. Not the webhook signing scheme
 * (`webhook-signature: v1,...`) nor the external controls one (timestamp + nonce + path).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header names arrive lower-cased from Node. */
export const SIGNATURE_HEADER = 'x-gitlab-signature';

export function signBody(secret: string, body: Uint8Array | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Whether `signature` is the body's HMAC under `secret`, compared in constant time. */
export function verifySignature(secret: string, body: Uint8Array, signature: string | undefined): boolean {
  if (signature === undefined || !/^[0-9a-fA-F]{64}$/.test(signature)) return false;
  const expected = Buffer.from(signBody(secret, body), 'hex');
  const given = Buffer.from(signature, 'hex');
  // timingSafeEqual throws on different lengths; both are 32 bytes here, checked anyway.
  return expected.length === given.length && timingSafeEqual(expected, given);
}
