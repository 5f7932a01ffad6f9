/**
 * Shell words for the lines enforcement adds to job scripts. Every line must work in POSIX `sh`
 * (alpine's busybox ash, dash) and in bash, the shells GitLab Runner uses on Linux, so only
 * single quotes, `"${NAME}"` and plain builtins are used.
 */

/** Names a shell can `export` or `unset`; GitLab settings variables are `[A-Za-z0-9_]+` anyway. */
const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isShellName(name: string): boolean {
  return SHELL_NAME.test(name);
}

/** `text` as one single-quoted word: nothing inside is expanded (`'` becomes `'\''`). */
export function singleQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** One piece of a variable value after GitLab Runner's parsing of `$` references. */
export type ValuePiece = { readonly text: string } | { readonly reference: string };

/**
 * Splits a value the way GitLab Runner expands job variables (`JobVariables.ExpandValue`, which
 * is Go's `os.Expand` with `$$` mapped to `$`): `$NAME` and `${NAME}` are references; `$$` is a
 * literal `$`; `$` before a shell special character (`*#@!?-` or a digit) stays literal with it;
 * an unterminated `${` or an empty `${}` is dropped; any other `$` stays as it is.
 */
export function splitVariableValue(value: string): ValuePiece[] {
  const pieces: ValuePiece[] = [];
  let text = '';
  let index = 0;
  while (index < value.length) {
    const char = value[index] ?? '';
    if (char !== '$' || index + 1 >= value.length) {
      text += char;
      index += 1;
      continue;
    }
    const next = value[index + 1] ?? '';
    if (next === '$') {
      text += '$';
      index += 2;
    } else if ('*#@!?-0123456789'.includes(next)) {
      text += `$${next}`;
      index += 2;
    } else if (next === '{') {
      const close = value.indexOf('}', index + 2);
      if (close === -1) {
        index += 2; // os.Expand: bad syntax, "${" is eaten.
      } else {
        if (close > index + 2) {
          pieces.push({ text }, { reference: value.slice(index + 2, close) });
          text = '';
        }
        index = close + 1;
      }
    } else {
      const name = /^[A-Za-z0-9_]+/.exec(value.slice(index + 1))?.[0];
      if (name === undefined) {
        text += '$';
        index += 1;
      } else {
        pieces.push({ text }, { reference: name });
        text = '';
        index += 1 + name.length;
      }
    }
  }
  pieces.push({ text });
  return pieces.filter((piece) => !('text' in piece) || piece.text !== '');
}

/**
 * A shell word whose value is what GitLab Runner gives the variable: literal text single-quoted,
 * references resolved by `resolve` (a fixed value) or left to the shell as `"${NAME}"`, which
 * reads the value the job's environment holds when the line runs.
 */
export function variableWord(value: string, expand: boolean, resolve: (name: string) => string | undefined): string {
  if (!expand) return singleQuote(value);
  const parts: string[] = [];
  let literal = '';
  for (const piece of splitVariableValue(value)) {
    if ('text' in piece) {
      literal += piece.text;
      continue;
    }
    const fixed = resolve(piece.reference);
    if (fixed !== undefined) {
      literal += fixed;
    } else if (isShellName(piece.reference)) {
      if (literal !== '') parts.push(singleQuote(literal));
      literal = '';
      parts.push(`"\${${piece.reference}}"`);
    }
    // A reference no shell can name (`${A-B}`) has no value outside YAML: it expands to nothing.
  }
  if (literal !== '' || parts.length === 0) parts.push(singleQuote(literal));
  return parts.join('');
}
