/** CI/CD variable expressions (`rules:if`, `only:variables`): lex, parse, evaluate. */
export { evaluateExpression, evaluateNode, isPresent, type ExpressionValue } from './evaluate.js';
export { parseExpression, type Expression } from './parser.js';
export { lexExpression, MAX_EXPRESSION_TOKENS, type Token, type OperatorSymbol } from './lexer.js';
export { compileRubyPattern, patternFromString, patternMatches, type RegexValue } from './pattern.js';
export { compileRe2 } from './re2.js';
