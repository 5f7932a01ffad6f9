/** Tokens never reach a log line: redaction by value in the redactor and in the pino logger. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../src/errors.js';
import { createRedactor, REDACTED, redactSecrets, redactUrlCredentials } from '../../src/http/redact.js';
import { createLogger } from '../../src/log/logger.js';
import { secretValues } from '../../src/log/secret-variables.js';
import { TOKEN } from './test-client.js';

describe('redactSecrets', () => {
  it('replaces the secret as is, percent-encoded and JSON-escaped', () => {
    const secret = 'a/b"c';
    const text = `raw ${secret} url ${encodeURIComponent(secret)} json ${JSON.stringify(secret)}`;
    expect(redactSecrets(text, [secret])).toBe(`raw ${REDACTED} url ${REDACTED} json "${REDACTED}"`);
  });

  it('ignores empty secrets and leaves text alone without any', () => {
    expect(redactSecrets('abc', [''])).toBe('abc');
    expect(createRedactor([])('abc')).toBe('abc');
  });

  it('never leaves a secret in the text, whatever surrounds it', () => {
    // A secret made of [ or ], or inside the word "[redacted]", could be rebuilt by the replacement itself.
    const secret = fc.string({ minLength: 1, maxLength: 20 }).filter((value) => !/[[\]]/.test(value) && !REDACTED.includes(value));
    fc.assert(
      fc.property(secret, fc.array(fc.string({ maxLength: 10 }), { maxLength: 5 }), (value, parts) => {
        const text = parts.join(value) + value;
        expect(redactSecrets(text, [value])).not.toContain(value);
      }),
    );
  });

  it('drops credentials from URLs', () => {
    expect(redactUrlCredentials('see https://user:pw@host/x and http://tok@h')).toBe('see https://host/x and http://h');
  });
});

describe('logger', () => {
  function capture(json: boolean) {
    const lines: string[] = [];
    const logger = createLogger({ level: 'debug', json, target: { write: (text) => lines.push(text) }, secrets: [TOKEN] });
    return { logger, output: () => lines.join('') };
  }

  it.each([true, false])('censors the token in messages, errors with stacks and causes, bindings and nested fields (json: %s)', (json) => {
    const { logger, output } = capture(json);
    const error = new SourceError('http-401', `GET /x failed for ${TOKEN}`, { cause: new Error(`inner ${TOKEN}`) });
    logger.error({ err: error }, `request with ${TOKEN} failed`);
    logger.child({ auth: `Bearer ${TOKEN}` }).info({ detail: { deep: [{ value: TOKEN }] } }, 'nested');
    logger.debug(`format %s`, TOKEN);
    expect(output()).not.toContain(TOKEN);
    expect(output()).toContain(REDACTED);
    expect(output()).toContain('request with [redacted] failed');
  });

  it('still redacts credential fields by path, for secrets nobody listed', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', json: true, target: { write: (text) => lines.push(text) } });
    logger.info({ headers: { 'PRIVATE-TOKEN': 'unlisted-1', 'job-token': 'unlisted-2' }, credential: { value: 'unlisted-3' } }, 'request');
    expect(lines.join('')).not.toMatch(/unlisted-\d/);
  });

  it('takes the secret CI variables from the environment', () => {
    expect(secretValues({ POLICY_SIDECAR_TOKEN: 'p', CI_JOB_TOKEN: 'j', CI_REGISTRY_PASSWORD: '', HOME: '/root' })).toEqual(['p', 'j']);
  });
});
