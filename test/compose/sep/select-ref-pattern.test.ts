/** Branch patterns of scan execution policy rules: GitLab's RefMatcher (`*` matches anything, `/` too). */
import { describe, expect, it } from 'vitest';
import { matchesRefPattern } from '../../../src/compose/sep/rules/ref-pattern.js';

describe('matchesRefPattern', () => {
  it.each([
    ['main', 'main', true],
    ['main', 'mai', false],
    ['release/v1.2.1', 'release/*', true],
    ['releases', 'release/*', false],
    ['release/a/b', 'release/*', true],
    ['anything/at/all', '*', true],
    ['feature-1', '*-1', true],
    ['v1x2', 'v1.2', false],
    ['a+b', 'a+*', true],
    ['stable-1', 'stable-*', true],
  ])('%s against %s → %s', (branch, pattern, expected) => {
    expect(matchesRefPattern(branch, pattern)).toBe(expected);
  });
});
