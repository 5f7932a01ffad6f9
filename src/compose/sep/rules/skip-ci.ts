/**
 * `[skip ci]` and scan execution policies (gitlab-pep-sep.md §5.5; GitLab 17.9+
 * ScanExecutionPolicies::PipelineContext#skip_ci_allowed?): the skip is honoured only when every
 * applicable policy allows it for the triggering user. Absent `skip_ci` counts as not allowed, as
 * the docs say ("the directive is ignored"); GitLab's code default is unverified. Schedule rules
 * never consult it: only policies applicable through pipeline rules are passed in.
 */
import { isMap, isSeq, type CiMap } from '../../../ci/value.js';

// GitLab's skip pattern (Ci::Pipeline::Chain::Skip), as in compose/pipeline-source.ts.
const SKIP_PATTERN = /\[(ci[ _-]skip|skip[ _-]ci)\]/i;

export interface ScanSkipDecision {
  /** True when the commit asks to skip and every applicable scan execution policy allows it. */
  readonly skip: boolean;
  readonly reason: string;
}

export function decideScanSkipCi(
  commitMessage: string,
  userId: number | undefined,
  policies: readonly { readonly name: string; readonly raw: CiMap }[],
): ScanSkipDecision {
  if (!SKIP_PATTERN.test(commitMessage)) return { skip: false, reason: 'no [skip ci] in the commit message' };
  if (policies.length === 0) return { skip: true, reason: 'no scan execution policy applies' };
  const refusing = policies.filter(({ raw }) => !allowsSkip(raw, userId));
  if (refusing.length === 0) return { skip: true, reason: '[skip ci] allowed by every applicable scan execution policy' };
  const names = refusing.map(({ name }) => `"${name}"`).join(', ');
  return { skip: false, reason: `[skip ci] ignored: not allowed by ${names}` };
}

function allowsSkip(raw: CiMap, userId: number | undefined): boolean {
  const setting = raw['skip_ci'];
  if (!isMap(setting)) return false; // absent: the docs say the directive is ignored
  if (setting['allowed'] === true) return true;
  const allowlist = setting['allowlist'];
  const users = isMap(allowlist) ? allowlist['users'] : undefined;
  if (userId === undefined || !isSeq(users)) return false;
  return users.some((user) => isMap(user) && user['id'] === userId);
}
