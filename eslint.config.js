// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The compose core is pure (STYLE.md §2): no file system, processes, network or logging.
const coreFolders = ['src/ci/**', 'src/policies/**', 'src/compose/**', 'src/emit/**', 'src/gating/**', 'src/verify/**'];
const forbiddenInCore = [
  { name: 'node:fs', message: 'The core is pure: read files through a Source.' },
  { name: 'node:fs/promises', message: 'The core is pure: read files through a Source.' },
  { name: 'fs', message: 'The core is pure: read files through a Source.' },
  { name: 'node:child_process', message: 'The core is pure: pass facts in.' },
  { name: 'node:process', message: 'The core is pure: pass the context in.' },
  { name: 'undici', message: 'HTTP belongs in src/http.' },
  { name: '@gitbeaker/rest', message: 'GitLab belongs in src/sources/gitlab.' },
  { name: 'pino', message: 'The core does not log: record decisions in the report.' },
];

const onlyTestHttpImportsMsw = [{ group: ['msw', 'msw/*'], message: 'Use test/http/.' }];

export default tseslint.config(
  // Fixtures and examples are data (sample repositories), not our code.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'examples/**', 'test/fixtures/**', '.gitlab-ci-local/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.name='eval']", message: 'Lex, parse, evaluate.' }],
    },
  },
  {
    // Only test/http may import msw (STYLE.md: one door to the mock library).
    files: ['src/**', 'test/**'],
    ignores: ['test/http/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: onlyTestHttpImportsMsw }] },
  },
  {
    // Later blocks replace a rule's options, so the core block repeats the msw pattern.
    files: coreFolders,
    rules: {
      'no-restricted-imports': ['error', { paths: forbiddenInCore, patterns: onlyTestHttpImportsMsw }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The core is pure: pass the context in.' }],
    },
  },
);
