/**
 * GitLab's webhook secret token (docs "user/project/integrations/webhooks", "Secret token"): sent
 * as is in `X-Gitlab-Token`. Compared in constant time over SHA-256 digests of both sides, so
 * neither the content nor the length of the secret leaks through timing, and timingSafeEqual
 * always gets two 32-byte buffers.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Header names arrive lower-cased from Node. */
export const WEBHOOK_TOKEN_HEADER = 'x-gitlab-token';

export function verifyWebhookToken(secret: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const expected = createHash('sha256').update(secret, 'utf8').digest();
  const actual = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(expected, actual);
}
