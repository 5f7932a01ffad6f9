/**
 * Expression text → syntax tree, by the shunting-yard algorithm GitLab's
 * `Gitlab::Ci::Pipeline::Expression::Parser` uses (tokens to reverse Polish notation, then a
 * tree). Keeping GitLab's algorithm keeps its verdicts: precedence `==` `!=` `=~` `!~` (10)
 * before `&&` (11) before `||` (12), all left-associative, and the same inputs accepted.
 */
import { isSidecarError } from '../../errors.js';
import { lexExpression, syntaxError, type OperatorSymbol, type Token } from './lexer.js';
import { compileRubyPattern, type RegexValue } from './pattern.js';

export type Expression =
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'input'; readonly name: string }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'pattern'; readonly pattern: RegexValue }
  | { readonly kind: 'null' }
  | { readonly kind: 'boolean'; readonly value: boolean }
  | { readonly kind: 'binary'; readonly operator: OperatorSymbol; readonly left: Expression; readonly right: Expression };

// Lexeme precedences from GitLab (lower binds tighter); `)` is 900 and `(` 901.
const precedence: Readonly<Record<OperatorSymbol, number>> = {
  '==': 10,
  '!=': 10,
  '=~': 10,
  '!~': 10,
  '&&': 11,
  '||': 12,
};
const CLOSE_PRECEDENCE = 900;
const OPEN_PRECEDENCE = 901;

type StackToken = Extract<Token, { kind: 'operator' | 'paren-open' }>;

function precedenceOf(token: StackToken): number {
  return token.kind === 'paren-open' ? OPEN_PRECEDENCE : precedence[token.symbol];
}

/** Parses `source`; a ConfigError with code `expression-syntax` when GitLab would reject it. */
export function parseExpression(source: string): Expression {
  const tokens = lexExpression(source);
  // Statement#parse_tree: an expression without lexemes is invalid.
  if (tokens.length === 0) throw syntaxError(source, 'empty expression');
  return buildTree(source, toReversePolish(source, tokens));
}

function toReversePolish(source: string, tokens: readonly Token[]): Token[] {
  const output: Token[] = [];
  const operators: StackToken[] = [];
  for (const token of tokens) {
    if (token.kind === 'operator') {
      // Lexeme::Base.consume?: pop while the new operator's precedence >= the top's.
      for (let top = operators.at(-1); top !== undefined && precedence[token.symbol] >= precedenceOf(top); top = operators.at(-1)) {
        output.push(top);
        operators.pop();
      }
      operators.push(token);
    } else if (token.kind === 'paren-open') {
      operators.push(token);
    } else if (token.kind === 'paren-close') {
      for (let top = operators.at(-1); top !== undefined && CLOSE_PRECEDENCE >= precedenceOf(top); top = operators.at(-1)) {
        output.push(top);
        operators.pop();
      }
      if (operators.length === 0) throw syntaxError(source, 'Unmatched parenthesis', token.offset);
      operators.pop();
    } else {
      output.push(token);
    }
  }
  return output.concat(operators.reverse());
}

function buildTree(source: string, reversePolish: readonly Token[]): Expression {
  const results: Expression[] = [];
  for (const token of reversePolish) {
    if (token.kind === 'operator') {
      const right = results.pop();
      const left = results.pop();
      if (left === undefined || right === undefined) {
        throw syntaxError(source, `Invalid ${token.symbol} operand`, token.offset);
      }
      results.push({ kind: 'binary', operator: token.symbol, left, right });
    } else if (token.kind === 'paren-open' || token.kind === 'paren-close') {
      throw syntaxError(source, 'Unmatched parenthesis', token.offset);
    } else {
      results.push(buildLeaf(source, token));
    }
  }
  if (results.length > 1) throw syntaxError(source, 'Unreachable nodes in parse tree');
  const tree = results[0];
  if (tree === undefined) throw syntaxError(source, 'Empty parse tree');
  return tree;
}

type LeafToken = Exclude<Token, { kind: 'operator' | 'paren-open' | 'paren-close' }>;

function buildLeaf(source: string, token: LeafToken): Expression {
  switch (token.kind) {
    case 'variable':
      return { kind: 'variable', name: token.name };
    case 'input':
      return { kind: 'input', name: token.name };
    case 'string':
      return { kind: 'string', value: token.value };
    case 'null':
      return { kind: 'null' };
    case 'boolean':
      return { kind: 'boolean', value: token.value };
    case 'pattern':
      try {
        // Lexeme::Pattern unescapes `\/` before handing the text to RubySyntax.
        return { kind: 'pattern', pattern: compileRubyPattern(token.text.replace(/\\\//g, '/')) };
      } catch (error) {
        if (!isSidecarError(error)) throw error;
        throw syntaxError(source, `Invalid regular expression! (${error.message})`, token.offset, error);
      }
  }
}
