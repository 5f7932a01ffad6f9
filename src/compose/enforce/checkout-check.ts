/**
 * GitLab Runner reads `GIT_STRATEGY`, `GIT_CHECKOUT`, `GIT_DEPTH`, `GIT_CLEAN_FLAGS`... before the
 * script, and they have no keyword form: a project variable outranks the policy's YAML in a
 * child pipeline, so `GIT_STRATEGY=none` would run a policy or scan job green on an empty or stale
 * folder. The runner checks out the pipeline's commit detached (`git checkout -f -q <sha>`), so
 * `.git/HEAD` holds that SHA. The job's first lines read it with shell builtins (`[`, `read`,
 * `case`: no `PATH` lookup) and fail closed when it is not the SHA compose worked from, written
 * literally. A symbolic HEAD (`ref: refs/heads/main`, a plain clone) is followed to its loose ref.
 *
 * What this does not see: files changed in a checkout that is at the right commit (a workspace a
 * project job left behind with `GIT_STRATEGY=none` or `GIT_CLEAN_FLAGS=none`), the depth of the
 * history (`GIT_DEPTH`) and submodules (`GIT_SUBMODULE_STRATEGY`).
 */
import type { VariableMap } from '../../ci/expand/index.js';
import { singleQuote } from './shell-words.js';

/**
 * The check line, or none when the job says it needs no checkout (its own winning YAML sets
 * `GIT_STRATEGY: none` or `GIT_CHECKOUT: "false"`) or the SHA is unknown (offline previews).
 */
export function checkoutCheckLines(sha: string | undefined, variables: VariableMap, wins: (name: string) => boolean): string[] {
  if (sha === undefined || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return [];
  const own = (name: string): string | undefined => (wins(name) ? variables[name]?.value : undefined);
  if (own('GIT_STRATEGY') === 'none' || own('GIT_CHECKOUT') === 'false') return [];
  const message = singleQuote(
    `policy-sidecar: the working folder is not a checkout of the pipeline's commit ${sha} ` +
      '(GIT_STRATEGY, GIT_CHECKOUT or GIT_CLONE_PATH changed by a variable?); a policy job does not run on another tree',
  );
  return [
    'if [ -f .git/HEAD ]; then read -r _psc_head < .git/HEAD || :; else _psc_head=; fi; ' +
      "case $_psc_head in 'ref: refs/'*) _psc_ref=.git/${_psc_head#ref: }; _psc_head=; " +
      'if [ -f "$_psc_ref" ]; then read -r _psc_head < "$_psc_ref" || :; fi ;; esac; ' +
      `if [ "$_psc_head" != ${singleQuote(sha)} ]; then echo ${message} >&2; exit 1; fi; unset _psc_head _psc_ref`,
  ];
}
