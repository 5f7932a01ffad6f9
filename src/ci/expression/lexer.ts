/**
 * Tokens of a CI/CD variable expression (`rules:if`, `only:variables`), scanned the way GitLab's
 * `Gitlab::Ci::Pipeline::Expression::Lexer` does: at each position the lexemes are tried in a
 * fixed order, whitespace is skipped, and anything else is "Unknown lexeme found!".
 */
import { ConfigError } from '../../errors.js';

export type OperatorSymbol = '==' | '!=' | '=~' | '!~' | '&&' | '||';

export type Token =
  | { readonly kind: 'paren-open'; readonly offset: number }
  | { readonly kind: 'paren-close'; readonly offset: number }
  | { readonly kind: 'input'; readonly name: string; readonly offset: number }
  | { readonly kind: 'variable'; readonly name: string; readonly offset: number }
  | { readonly kind: 'string'; readonly value: string; readonly offset: number }
  | { readonly kind: 'pattern'; readonly text: string; readonly offset: number }
  | { readonly kind: 'null'; readonly offset: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly offset: number }
  | { readonly kind: 'operator'; readonly symbol: OperatorSymbol; readonly offset: number };

/** GitLab's Lexer::MAX_TOKENS is 100, and its loop raises after the 100th token: 99 fit. */
export const MAX_EXPRESSION_TOKENS = 99;

// The patterns are GitLab's lexeme PATTERNs, made sticky so they match only at the position.
// Their lastIndex is set before every use and lexing is synchronous, so sharing them is safe.
// Ruby's `\w` is ASCII, hence [A-Za-z0-9_]; Ruby's `.` stops at newlines, hence [^\n].
const scanners: readonly { readonly pattern: RegExp; readonly build: (match: RegExpExecArray, offset: number) => Token }[] = [
  { pattern: /\(/y, build: (_m, offset) => ({ kind: 'paren-open', offset }) },
  { pattern: /\)/y, build: (_m, offset) => ({ kind: 'paren-close', offset }) },
  // Lexeme::Input: `$[[ inputs.name ]]`, normally interpolated away before rules are evaluated.
  { pattern: /\$\[\[\s*inputs\.([A-Za-z0-9_]+)\s*\]\]/y, build: (m, offset) => ({ kind: 'input', name: m[1] ?? '', offset }) },
  // Lexeme::Variable: `$NAME` only; GitLab has no `${NAME}` form in expressions.
  { pattern: /\$([A-Za-z0-9_]+)/y, build: (m, offset) => ({ kind: 'variable', name: m[1] ?? '', offset }) },
  // Lexeme::String: double or single quotes, no escape sequences, shortest match.
  { pattern: /"([^\n]*?)"|'([^\n]*?)'/y, build: (m, offset) => ({ kind: 'string', value: m[1] ?? m[2] ?? '', offset }) },
  // Lexeme::Pattern: `/…/flags`; the body needs two characters or more, so `/a/` is not a pattern.
  { pattern: /\/(?:[^/]|\\\/)+[^\\]\/[ismU]*/y, build: (m, offset) => ({ kind: 'pattern', text: m[0], offset }) },
  { pattern: /null/y, build: (_m, offset) => ({ kind: 'null', offset }) },
  { pattern: /\b(?:true|false)\b/y, build: (m, offset) => ({ kind: 'boolean', value: m[0] === 'true', offset }) },
  { pattern: /==|=~|!=|!~|&&|\|\|/y, build: (m, offset) => ({ kind: 'operator', symbol: m[0] as OperatorSymbol, offset }) },
];

// Ruby's `\s`: space, \t, \n, \v, \f, \r.
const whitespace = /[ \t\n\v\f\r]+/y;

export function syntaxError(source: string, detail: string, offset?: number, cause?: unknown): ConfigError {
  const where = offset === undefined ? '' : ` at column ${offset + 1}`;
  return new ConfigError('expression-syntax', `Invalid expression syntax: ${detail}${where} in \`${source}\``, {
    hint: 'See https://docs.gitlab.com/ci/jobs/job_rules/#cicd-variable-expressions for the expression syntax.',
    cause,
  });
}

export function lexExpression(source: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  for (;;) {
    whitespace.lastIndex = position;
    if (whitespace.exec(source) !== null) position = whitespace.lastIndex;
    if (position >= source.length) return tokens;
    if (tokens.length >= MAX_EXPRESSION_TOKENS) throw syntaxError(source, 'Too many tokens!');
    const token = scanOne(source, position);
    if (token === undefined) throw syntaxError(source, 'Unknown lexeme found!', position);
    tokens.push(token.token);
    position = token.end;
  }
}

function scanOne(source: string, position: number): { token: Token; end: number } | undefined {
  for (const scanner of scanners) {
    scanner.pattern.lastIndex = position;
    const match = scanner.pattern.exec(source);
    if (match !== null) return { token: scanner.build(match, position), end: scanner.pattern.lastIndex };
  }
  return undefined;
}
