/**
 * Under `variables_override: {allowed: false}`, GitLab gives a policy job none of the project's,
 * group's, instance's or pipeline's variables except the `exceptions` (reference §3.6). A child
 * pipeline cannot keep them out, and compose cannot know every name a project may set (a
 * Maintainer adds `NODE_OPTIONS`, `npm_config_registry`, `LC_ALL` or `PATH` at any time, and
 * protected or environment-scoped ones never reach the compose job). So the job drops them
 * itself, at the start of its shell, with builtins only (`export -p`, `case`, `unset`, `printf`,
 * `set`), so that no `PATH` or tool the project provides takes part:
 * every exported name is unset unless it is one GitLab or the shell sets for every job (`CI`,
 * `CI_*`, `GITLAB_*`, `HOSTNAME`...), one of the policy's YAML variables (re-exported right
 * after), or an exception. `PATH` gets Docker's default and `HOME` the user's home from
 * /etc/passwd, unless an exception lets the project set them; YAML values are exported after. The predefined values compose knows from GitLab's facts
 * are written back literally, since a project variable can override those too.
 *
 * This cannot tell a project variable from a value the image (Dockerfile `ENV`) or the runner's
 * `environment` setting put there: those go too, unless the policy's YAML restates them.
 */
import { isShellName, singleQuote } from './shell-words.js';

/** Docker's default PATH (moby `oci.DefaultPathEnv` on Linux). */
export const SAFE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// Set by GitLab for every job, or by the shell itself; values the project overrides are
// rewritten below when compose knows them. HOME is reset below.
const KEPT_PATTERNS = ['CI', 'CI_*', 'GITLAB_*', 'HOSTNAME', 'PWD', 'OLDPWD', 'SHLVL', 'TERM', 'USER', 'LOGNAME', 'SHELL', '_'];

/**
 * HOME as Docker sets it when nobody else does: the home of the shell's user in /etc/passwd
 * (its uid read from /proc/self/status, which the shell itself opens), else `/`. A project HOME
 * pointing into the checkout would hand the job the repository's `.gitconfig`, `.npmrc` or
 * `.docker/config.json`.
 */
const HOME_LINE =
  '_psc_uid=; if [ -r /proc/self/status ]; then while read -r _psc_key _psc_value _psc_rest; do ' +
  'case $_psc_key in Uid:) _psc_uid=$_psc_value; break ;; esac; done < /proc/self/status; fi; HOME=/; ' +
  'if [ -r /etc/passwd ]; then while IFS=: read -r _psc_user _psc_pw _psc_id _psc_gid _psc_gecos _psc_home _psc_rest; do ' +
  'if [ "$_psc_id" = "$_psc_uid" ]; then HOME=$_psc_home; break; fi; done < /etc/passwd; fi; export HOME; ' +
  'unset _psc_uid _psc_key _psc_value _psc_rest _psc_user _psc_pw _psc_id _psc_gid _psc_gecos _psc_home';

export interface EnvironmentFilterInput {
  /** The policy's YAML variable names for the job. */
  readonly yamlNames: readonly string[];
  /** `variables_override.exceptions`: names the project may still set. */
  readonly exceptions: readonly string[];
  /** GitLab's values that compose knows from the pipeline's facts, written back literally. */
  readonly known: Readonly<Record<string, string>>;
}

/**
 * The lines, in order: the filter (one line), then `PATH` and the known predefined values.
 * `export -p` prints `export NAME='v'` (dash, ash) or `declare -x NAME="v"` (bash); a value
 * with a newline can only add lines, never hide a name, and a fake line naming something that
 * is not a shell name is skipped, so a value cannot make the filter fail.
 */
export function environmentFilterLines(input: EnvironmentFilterInput): string[] {
  const kept = [...KEPT_PATTERNS, ...[...new Set([...input.yamlNames, ...input.exceptions])].filter(isShellName).sort()];
  const filter =
    "IFS=$(printf '\\n.'); IFS=${IFS%.}; set -f; " +
    'for _psc_entry in $(export -p); do ' +
    "case $_psc_entry in 'export '*) _psc_entry=${_psc_entry#export } ;; 'declare -'*' '*) _psc_entry=${_psc_entry#declare -* } ;; *) continue ;; esac; " +
    '_psc_entry=${_psc_entry%%=*}; ' +
    "case $_psc_entry in ''|*[!A-Za-z0-9_]*) continue ;; esac; " +
    `case $_psc_entry in ${kept.join('|')}) ;; *) unset "$_psc_entry" || exit 1 ;; esac; ` +
    'done; set +f; unset IFS _psc_entry';
  const lines = [filter];
  if (!input.exceptions.includes('PATH')) lines.push(`export PATH=${singleQuote(SAFE_PATH)}`);
  if (!input.exceptions.includes('HOME') && !input.yamlNames.includes('HOME')) lines.push(HOME_LINE);
  const known = Object.keys(input.known)
    .filter((name) => isShellName(name) && !input.exceptions.includes(name) && !input.yamlNames.includes(name))
    .sort();
  if (known.length > 0) lines.push(`export ${known.map((name) => `${name}=${singleQuote(input.known[name] ?? '')}`).join(' ')}`);
  return lines;
}
