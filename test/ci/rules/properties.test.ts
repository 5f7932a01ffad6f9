import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { evaluateOnlyExcept, evaluateRules, evaluateWorkflow, type RuleScope } from '../../../src/ci/rules/index.js';
import { CiReferenceTag, isMap, type CiValue } from '../../../src/ci/value.js';
import { fakeFacts } from './fake-facts.js';

const keys = fc.constantFrom(
  'if', 'changes', 'exists', 'when', 'start_in', 'allow_failure', 'variables', 'needs', 'interruptible', 'auto_cancel',
  'paths', 'compare_to', 'project', 'ref', 'refs', 'kubernetes', 'rules', 'only', 'except', 'name', 'foo',
);

const text = fc.oneof(
  fc.constantFrom(
    '$A', '$A == "a"', '$A =~ /^a.*/', '$B =~ $P', '$A ==', '(', 'always', 'never', 'manual', 'delayed', 'on_success',
    '1 hour', '2 weeks', 'soon', 'active', 'branches', 'tags', 'merge_requests', '/^ma/', '/(?=x)/', '**/*.md', '{a,b}/*',
    '[!a]*', 'README.md', '$DIR/**', 'acme/web', 'main', '',
  ),
  fc.string({ maxLength: 12 }),
);

const scalar: fc.Arbitrary<CiValue> = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null));

const value: fc.Arbitrary<CiValue> = fc.letrec<{ node: CiValue }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(keys, tie('node'), { maxKeys: 4 }),
    fc.constant(new CiReferenceTag(['.x', 'rules'])),
  ),
})).node;

// Rule lists shaped like real ones, so evaluation (not only validation) gets exercised.
const ruleList: fc.Arbitrary<CiValue> = fc.array(fc.dictionary(keys, fc.oneof(scalar, value), { maxKeys: 3 }), { minLength: 1, maxLength: 4 });

const facts = fc.oneof(fc.constant(undefined), fc.array(fc.constantFrom('README.md', 'a/b.md', 'src/x.ts', '.env'), { maxLength: 4 }));

function scopeWith(changed: readonly string[] | undefined): RuleScope {
  return {
    variables: { A: 'a', B: 'abc', P: '/^ab/', DIR: 'src' },
    facts: fakeFacts(changed, { '': ['README.md', 'src/x.ts'], 'acme/web': ['Dockerfile'] }),
    file: '.gitlab-ci.yml',
  };
}

async function onlyConfigErrors(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
  }
}

describe('rules evaluation throws nothing but ConfigError', () => {
  it('evaluateRules on arbitrary values', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(value, ruleList), facts, async (rules, changed) => {
        await onlyConfigErrors(async () => {
          const outcome = await evaluateRules(rules, scopeWith(changed));
          expect(['on_success', 'on_failure', 'always', 'manual', 'delayed', 'never']).toContain(outcome.when);
        });
      }),
      { numRuns: 1500 },
    );
  });

  it('evaluateWorkflow on arbitrary values', async () => {
    await fc.assert(
      fc.asyncProperty(value, facts, async (workflow, changed) => {
        await onlyConfigErrors(async () => {
          const outcome = await evaluateWorkflow(workflow, scopeWith(changed));
          expect(typeof outcome.run).toBe('boolean');
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('evaluateOnlyExcept on arbitrary jobs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(keys, value, { maxKeys: 3 }), facts, fc.boolean(), async (job, changed, isTag) => {
        fc.pre(isMap(job));
        await onlyConfigErrors(async () => {
          const scope = { ...scopeWith(changed), source: 'push', ref: 'main', isTag, projectPath: 'acme/web' };
          const outcome = await evaluateOnlyExcept(job, scope);
          expect(typeof outcome.included).toBe('boolean');
        });
      }),
      { numRuns: 1000 },
    );
  });
});
