/**
 * Checks the JSON Schema cannot express. Errors only where GitLab refuses the same thing;
 * otherwise warnings (GitLab accepts the file, so refusing it would break enforcement).
 */
import { locationOf, locationOfKey } from '../ci/positions.js';
import { isMap, isSeq, type CiMap } from '../ci/value.js';
import { POLICY_TYPES } from './policy-schema.js';
import type { PolicyProblem } from './policy-problem.js';
import { policyLabel } from './policy-paths.js';

export function checkPolicySemantics(root: CiMap, file: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  for (const type of POLICY_TYPES) {
    const list = root[type];
    if (!isSeq(list)) continue;
    const firstIndexByName = new Map<string, number>();
    list.forEach((entry, index) => {
      if (!isMap(entry)) return;
      const label = policyLabel(root, type, index);
      const add = (severity: PolicyProblem['severity'], code: string, message: string, location = locationOf(entry)) =>
        problems.push({ severity, code, location: location ?? { file }, policy: label, message: `${label}: ${message}` });

      if (type === 'pipeline_execution_policy' || type === 'pipeline_execution_schedule_policy') {
        const include = firstInclude(entry);
        const path = include?.['file'];
        // GitLab's include rule (Gitlab::Ci::Config::External::File::Base): the file needs a YAML extension.
        if (include !== undefined && typeof path === 'string' && !/\.ya?ml$/.test(path)) {
          add('error', 'policy-include-extension', `content.include[0].file: Included file \`${path}\` does not have YAML extension!`, locationOfKey(include, 'file'));
        }
      }

      const scope = entry['policy_scope'];
      const matchMode = isMap(scope) ? scope['match_mode'] : undefined;
      if (isMap(scope) && matchMode !== undefined && matchMode !== 'any' && matchMode !== 'all') {
        add('warning', 'policy-match-mode', `policy_scope.match_mode ${String(matchMode)} is not known to policy-sidecar; the scope's dimensions must all match`, locationOfKey(scope, 'match_mode'));
      }

      const name = entry['name'];
      if (typeof name !== 'string') return;
      const first = firstIndexByName.get(name);
      if (first === undefined) {
        firstIndexByName.set(name, index);
      } else {
        // GitLab's file schema accepts this; only its policy editor refuses a second policy of the same name.
        add('warning', 'policy-duplicate-name', `${type}[${first}] has the same name; reports and job logs cannot tell them apart`, locationOfKey(entry, 'name'));
      }
    });
  }
  return problems;
}

function firstInclude(entry: CiMap): CiMap | undefined {
  const content = entry['content'];
  const include = isMap(content) ? content['include'] : undefined;
  const first = isSeq(include) ? include[0] : undefined;
  return isMap(first) ? first : undefined;
}
