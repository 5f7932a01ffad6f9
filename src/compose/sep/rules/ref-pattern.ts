/**
 * Branch patterns of scan execution policy rules. GitLab matches `branches` and
 * `branch_exceptions` with RefMatcher: a pattern without `*` matches the exact name; `*` matches
 * any run of characters, `/` included (lib/gitlab/ref_matcher.rb, `wildcard_regex`).
 */
export function matchesRefPattern(branch: string, pattern: string): boolean {
  if (!pattern.includes('*')) return branch === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*?');
  return new RegExp(`^${source}$`, 's').test(branch);
}
