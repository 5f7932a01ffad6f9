import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { evaluateExpression } from '../../../src/ci/expression/index.js';

const variables = { A: 'a', B: 'b', EMPTY: '', PATTERN: '/^a/' };

function booleanOrConfigError(source: string): void {
  try {
    expect(typeof evaluateExpression(source, variables)).toBe('boolean');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
  }
}

// The grammar's pieces, glued in any order: most sequences are invalid, some are not.
const piece = fc.constantFrom(
  '$A', '$B', '$EMPTY', '$UNDEFINED', '$PATTERN', '"a"', "'b'", '""', 'null', 'true', 'false',
  '/^a/', '/a.*/i', '/(?=x)y/', '/[z-a]/', '==', '!=', '=~', '!~', '&&', '||', '(', ')', '$', '/', '"', '{', '${A}',
);

describe('evaluateExpression returns a boolean or throws a ConfigError', () => {
  it('for arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), booleanOrConfigError), { numRuns: 2000 });
  });
  it('for arbitrary unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), booleanOrConfigError), { numRuns: 1000 });
  });
  it('for arbitrary sequences of tokens', () => {
    fc.assert(fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => booleanOrConfigError(pieces.join(' '))), {
      numRuns: 3000,
    });
  });
});

// A tiny reference model: comparisons of a variable with a string literal, combined with
// &&, || and parentheses, where && binds tighter than || and both are left-associative.
type Model =
  | { kind: 'compare'; name: 'A' | 'B' | 'EMPTY' | 'UNDEFINED'; operator: '==' | '!='; literal: string }
  | { kind: 'and' | 'or'; left: Model; right: Model }
  | { kind: 'group'; inner: Model };

const compare = fc.record({
  kind: fc.constant('compare' as const),
  name: fc.constantFrom('A' as const, 'B' as const, 'EMPTY' as const, 'UNDEFINED' as const),
  operator: fc.constantFrom('==' as const, '!=' as const),
  literal: fc.constantFrom('a', 'b', ''),
});

const model: fc.Arbitrary<Model> = fc.letrec<{ node: Model }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    compare,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('group' as const), inner: tie('node') }),
  ),
})).node;

/** Tokens of the printed expression; GitLab's lexer takes at most 99. */
function tokenCount(node: Model, parenthesised = false): number {
  if (node.kind === 'compare') return 3;
  if (node.kind === 'group') return tokenCount(node.inner, parenthesised) + (parenthesised ? 0 : 2);
  return tokenCount(node.left, parenthesised) + tokenCount(node.right, parenthesised) + (parenthesised ? 3 : 1);
}

function truth(node: Model): boolean {
  switch (node.kind) {
    case 'compare': {
      const value = (variables as Record<string, string>)[node.name];
      const equal = value === node.literal; // an undefined variable equals no string literal
      return node.operator === '==' ? equal : !equal;
    }
    case 'and':
      return truth(node.left) && truth(node.right);
    case 'or':
      return truth(node.left) || truth(node.right);
    case 'group':
      return truth(node.inner);
  }
}

/** Prints without adding parentheses: the parser must supply the precedence itself. */
function print(node: Model): string {
  switch (node.kind) {
    case 'compare':
      return `$${node.name} ${node.operator} "${node.literal}"`;
    case 'and':
      return `${print(node.left)} && ${print(node.right)}`;
    case 'or':
      return `${print(node.left)} || ${print(node.right)}`;
    case 'group':
      return `(${print(node.inner)})`;
  }
}

/** The same expression read with the intended precedence: re-associates the flat printing. */
function reparse(node: Model): boolean {
  // Flatten the printed form into alternatives of conjunctions, as `&&` over `||` reads it.
  const flat = flatten(node);
  return flat.some((conjunction) => conjunction.every(truthOfAtom));
}

type Atom = Extract<Model, { kind: 'compare' | 'group' }>;

function flatten(node: Model): Atom[][] {
  if (node.kind === 'compare' || node.kind === 'group') return [[node]];
  const left = flatten(node.left);
  const right = flatten(node.right);
  if (node.kind === 'or') return [...left, ...right];
  // `x && y` printed flat: the last conjunction of x joins the first of y.
  const joined = [...(left[left.length - 1] ?? []), ...(right[0] ?? [])];
  return [...left.slice(0, -1), joined, ...right.slice(1)];
}

function truthOfAtom(atom: Atom): boolean {
  return atom.kind === 'group' ? reparse(atom.inner) : truth(atom);
}

describe('well-formed expressions agree with a reference model', () => {
  it('&& binds tighter than ||, parentheses group', () => {
    fc.assert(
      fc.property(model, (node) => {
        fc.pre(tokenCount(node) <= 99);
        const source = print(node);
        expect(evaluateExpression(source, variables)).toBe(reparse(node));
      }),
      { numRuns: 2000 },
    );
  });

  it('fully parenthesised expressions evaluate like the tree', () => {
    const parenthesise = (node: Model): string =>
      node.kind === 'compare' ? print(node) : node.kind === 'group' ? parenthesise(node.inner) : `(${parenthesise(node.left)} ${node.kind === 'and' ? '&&' : '||'} ${parenthesise(node.right)})`;
    fc.assert(
      fc.property(model, (node) => {
        fc.pre(tokenCount(node, true) <= 99);
        const source = parenthesise(node);
        expect(evaluateExpression(source, variables)).toBe(truth(node));
      }),
      { numRuns: 2000 },
    );
  });

  it('A && B || C reads as (A && B) || C', () => {
    expect(evaluateExpression('$A == "x" && $B == "b" || $A == "a"', variables)).toBe(true);
    expect(evaluateExpression('$A == "a" || $B == "x" && $A == "x"', variables)).toBe(true);
  });
});
