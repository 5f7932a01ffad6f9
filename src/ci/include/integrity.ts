/**
 * docs "ci/yaml/#includeintegrity" (GitLab 17.9): `integrity: sha256-<base64>` on a remote
 * include; when the hash of the fetched content differs, the file is not processed and the
 * pipeline fails. Hashing is pure computation, so node:crypto is fine in the core.
 */
import { createHash } from 'node:crypto';
import type { SourceLocation } from '../../errors.js';
import { includeError } from './include-error.js';

export function checkIntegrity(url: string, text: string, integrity: string, location: SourceLocation | undefined): void {
  const match = /^sha256-([A-Za-z0-9+/]+={0,2})$/.exec(integrity.trim());
  if (match === null) {
    throw includeError('include-remote', `Remote file \`${url}\`: integrity must be \`sha256-\` followed by a Base64 SHA256 hash`, location);
  }
  const actual = createHash('sha256').update(text, 'utf8').digest('base64');
  if (actual !== match[1]) {
    throw includeError('include-remote', `Remote file \`${url}\` failed the integrity check!`, location, {
      hint: `The content's hash is sha256-${actual}; update integrity if the change is expected.`,
    });
  }
}
