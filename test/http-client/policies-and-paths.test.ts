/** The pure parts: backoff, server-requested waits, and GitLab path encoding. */
import { describe, expect, it } from 'vitest';
import { encodePathSegment, groupPath, projectPath, repositoryFilePath } from '../../src/http/gitlab-paths.js';
import { backoffDelay, isRetryableStatus, rateLimitPauseUntil, serverRequestedWait } from '../../src/http/retry-policy.js';

const settings = { max: 4, baseDelayMs: 250, maxDelayMs: 10_000 };
const NOW = 1_700_000_000_000;

describe('retry policy', () => {
  it('doubles the backoff step per retry, jitter in its upper half, capped', () => {
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, settings, () => 0))).toEqual([125, 250, 500, 1000]);
    expect([1, 2, 3, 4].map((retry) => backoffDelay(retry, settings, () => 0.9999))).toEqual([250, 500, 1000, 2000]);
    expect(backoffDelay(20, settings, () => 0)).toBe(5000);
  });

  it('retries 429 and 5xx except 501 and 505', () => {
    expect([429, 500, 502, 503, 504, 501, 505, 400, 404].map(isRetryableStatus)).toEqual([true, true, true, true, true, false, false, false, false]);
  });

  it.each([
    [{ 'retry-after': '7' }, { ms: 7000, header: 'Retry-After' }],
    [{ 'retry-after': new Date(NOW + 5000).toUTCString() }, { ms: 5000, header: 'Retry-After' }],
    [{ 'retry-after': new Date(NOW - 5000).toUTCString() }, { ms: 0, header: 'Retry-After' }],
    [{ 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 30) }, { ms: 30_000, header: 'RateLimit-Reset' }],
    [{ 'ratelimit-remaining': '0', 'ratelimit-reset': '12' }, { ms: 12_000, header: 'RateLimit-Reset' }],
    [{ 'ratelimit-remaining': '5', 'ratelimit-reset': '12' }, undefined],
    [{ 'retry-after': 'soon' }, undefined],
  ])('reads the server wait from %j', (headers, expected) => {
    expect(serverRequestedWait(headers, NOW)).toEqual(expected);
  });

  it('pauses only when the quota is used up', () => {
    expect(rateLimitPauseUntil({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 3) }, NOW)).toBe(NOW + 3000);
    expect(rateLimitPauseUntil({ 'ratelimit-remaining': '1', 'ratelimit-reset': String(NOW / 1000 + 3) }, NOW)).toBeUndefined();
  });
});

describe('GitLab paths', () => {
  it('encodes full paths, file paths and refs as one segment', () => {
    expect(projectPath('acme/web')).toBe('/projects/acme%2Fweb');
    expect(projectPath(42)).toBe('/projects/42');
    expect(groupPath('acme/platform team')).toBe('/groups/acme%2Fplatform%20team');
    expect(repositoryFilePath('acme/web', '.gitlab/ci/a+b#1.yml')).toBe('/projects/acme%2Fweb/repository/files/.gitlab%2Fci%2Fa%2Bb%231.yml');
    expect(encodePathSegment('release/1.0')).toBe('release%2F1.0');
  });

  it('refuses segments the URL parser would resolve away (., .., and empty)', () => {
    for (const segment of ['.', '..', '']) expect(() => encodePathSegment(segment)).toThrow(expect.objectContaining({ code: 'http-path-segment' }));
    expect(encodePathSegment('...')).toBe('...');
    expect(encodePathSegment('a/../b')).toBe('a%2F..%2Fb');
  });
});
