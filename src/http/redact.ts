/**
 * Removes secret values (tokens, proxy passwords) from text before it reaches a message, a log
 * line or a report. Matching is by value, not by field name, so a token that ends up inside an
 * echoed URL, a stack or a GitLab error body is caught too.
 */

export const REDACTED = '[redacted]';

/** Turns text into text without the given secrets. */
export type Redactor = (text: string) => string;

/**
 * Every spelling a secret can take on the way out: as is, percent-encoded (query strings,
 * Link headers) and JSON-escaped (log lines are JSON). Longest first, so a spelling that
 * contains another is replaced whole.
 */
function spellingsOf(secrets: readonly string[]): string[] {
  const spellings = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    spellings.add(secret);
    spellings.add(encodeURIComponent(secret));
    spellings.add(JSON.stringify(secret).slice(1, -1));
  }
  return [...spellings].sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets)(text);
}

/** Precomputes the spellings once; the client redacts every message it builds. */
export function createRedactor(secrets: readonly string[], replacement = REDACTED): Redactor {
  const spellings = spellingsOf(secrets);
  if (spellings.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    // split/join rather than a RegExp: a secret may hold characters RegExp would interpret.
    for (const spelling of spellings) result = result.split(spelling).join(replacement);
    return result;
  };
}

/** `https://user:pass@host/` → `https://host/`: a URL's own credentials are never shown. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
}
