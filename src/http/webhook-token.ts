/**
 * GitLab's webhook secret token (docs "user/project/integrations/webhooks", "Secret token"): sent
 * as is in `X-Gitlab-Token`, compared in constant time (secret-compare.ts).
 */
import { secretMatches } from './secret-compare.js';

/** Header names arrive lower-cased from Node. */
export const WEBHOOK_TOKEN_HEADER = 'x-gitlab-token';

export function verifyWebhookToken(secret: string, given: string | undefined): boolean {
  return given !== undefined && secretMatches(secret, given);
}
