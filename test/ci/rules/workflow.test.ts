import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { evaluateWorkflow, type WorkflowOutcome } from '../../../src/ci/rules/index.js';
import { fakeFacts } from './fake-facts.js';
import { FILE, parseYaml } from './yaml.js';

// docs ci/yaml/workflow.md: "Switch between branch pipelines and merge request pipelines".
const switching = `
workflow:
  rules:
    - if: $CI_COMMIT_TITLE =~ /-draft$/
      when: never
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
`;

// docs ci/yaml/_index.md#workflowname.
const named = `
workflow:
  name: '$PROJECT1_PIPELINE_NAME'
  rules:
    - if: '$CI_MERGE_REQUEST_LABELS =~ /pipeline:run-in-ruby3/'
      variables:
        PROJECT1_PIPELINE_NAME: 'Ruby 3 pipeline'
    - when: always
`;

const cases: [string, string | undefined, Record<string, string>, Partial<WorkflowOutcome>][] = [
  ['no workflow: the pipeline runs', undefined, {}, { run: true, matchedIndex: undefined }],
  ['a draft commit title stops the pipeline', switching, { CI_COMMIT_TITLE: 'wip-draft', CI_PIPELINE_SOURCE: 'push' }, { run: false, matchedIndex: 0 }],
  ['merge request pipelines run', switching, { CI_COMMIT_TITLE: 'x', CI_PIPELINE_SOURCE: 'merge_request_event' }, { run: true, matchedIndex: 1 }],
  ['default branch pipelines run', switching, { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' }, { run: true, matchedIndex: 2 }],
  ['other branches do not', switching, { CI_COMMIT_BRANCH: 'dev', CI_DEFAULT_BRANCH: 'main' }, { run: false, matchedIndex: undefined, reason: 'no workflow rule matched' }],
  ['the matched rule variables name the pipeline', named, { CI_MERGE_REQUEST_LABELS: 'pipeline:run-in-ruby3', PROJECT1_PIPELINE_NAME: 'Default pipeline name' }, { run: true, name: 'Ruby 3 pipeline', variables: { PROJECT1_PIPELINE_NAME: 'Ruby 3 pipeline' } }],
  ['global variables name it otherwise', named, { PROJECT1_PIPELINE_NAME: 'Default pipeline name' }, { run: true, name: 'Default pipeline name', matchedIndex: 1 }],
  ['an empty expansion leaves the pipeline unnamed', named, {}, { name: undefined }],
  ['workflow without rules runs', 'workflow:\n  name: "Build $CI_COMMIT_REF_NAME"\n', { CI_COMMIT_REF_NAME: 'main' }, { run: true, name: 'Build main' }],
  [
    'auto_cancel of the rule overrides the workflow',
    'workflow:\n  auto_cancel: { on_new_commit: conservative, on_job_failure: all }\n  rules:\n    - auto_cancel: { on_new_commit: interruptible }\n',
    {},
    { autoCancel: { on_new_commit: 'interruptible', on_job_failure: 'all' } },
  ],
];

describe('evaluateWorkflow', () => {
  it.each(cases)('%s', async (_name, yaml, variables, expected) => {
    const workflow = yaml === undefined ? undefined : parseYaml(yaml).workflow;
    const outcome = await evaluateWorkflow(workflow, { variables, facts: fakeFacts([]), file: FILE });
    expect(outcome).toMatchObject(expected);
  });

  const errors: [string, string, string][] = [
    ['workflow rules allow when: always or never only', 'workflow:\n  rules:\n    - when: manual\n', 'workflow:rules:rule when unknown value: manual'],
    ['unknown workflow keys', 'workflow:\n  rulez: []\n', 'workflow config contains unknown keys: rulez'],
    ['workflow must be a hash', 'workflow: [a]\n', 'workflow config should be a hash'],
    ['names are at most 255 characters', `workflow:\n  name: ${'x'.repeat(256)}\n`, 'workflow name is too long (maximum is 255 characters)'],
    ['workflow rules expressions are checked', 'workflow:\n  rules:\n    - if: $A ==\n', 'workflow:rules:rule if invalid expression syntax'],
  ];
  it.each(errors)('%s', async (_name, yaml, message) => {
    const outcome = evaluateWorkflow(parseYaml(yaml).workflow, { variables: {}, facts: fakeFacts([]), file: FILE });
    await expect(outcome).rejects.toBeInstanceOf(ConfigError);
    await expect(outcome).rejects.toThrow(message);
  });
});
