/**
 * Compares a secret with what a request sent, in constant time over SHA-256 digests of both
 * sides, so neither the content nor the length of the secret leaks through timing, and
 * timingSafeEqual always gets two 32-byte buffers. Used for GitLab's webhook token and the
 * store API's bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function secretMatches(secret: string, given: string): boolean {
  const expected = createHash('sha256').update(secret, 'utf8').digest();
  const actual = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(expected, actual);
}
