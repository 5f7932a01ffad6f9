/**
 * `$VAR` and `${VAR}` expansion in one pass, as GitLab's ExpandVariables does for include paths,
 * `rules:changes`/`exists` paths, `workflow:name` and expression operands. Values are not
 * expanded again (GitLab expands variable values when it builds the variable list, not here).
 */
import type { Variables } from './context.js';

const reference = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export interface ExpandOptions {
  /** Leave `$UNKNOWN` as written instead of replacing it with an empty string. */
  readonly keepUnknown?: boolean;
}

export function expandVariables(text: string, variables: Variables, options: ExpandOptions = {}): string {
  if (!text.includes('$')) return text;
  return text.replace(reference, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    if (Object.prototype.hasOwnProperty.call(variables, name)) return variables[name] ?? '';
    return options.keepUnknown === true ? whole : '';
  });
}
