/** Reading policy files from their projects: fail closed, with places and hints. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError, SourceError } from '../../src/errors.js';
import { loadPolicyFiles } from '../../src/policies/load-policies.js';
import type { ProjectMetadata, Source } from '../../src/sources/source.js';
import { openWorkspace } from '../../src/sources/workspace/workspace-source.js';

/** A Source over in-memory projects; it records the refs it was asked for. */
function memorySource(projects: Record<string, Record<string, string>>): Source & { refs: (string | undefined)[] } {
  const refs: (string | undefined)[] = [];
  return {
    refs,
    async readFile(project, path, ref) {
      refs.push(ref);
      return projects[project]?.[path];
    },
    async listFiles(project) {
      return Object.keys(projects[project] ?? {}).sort();
    },
    async readTemplate() {
      return undefined;
    },
    async readProject(path): Promise<ProjectMetadata | undefined> {
      if (projects[path] === undefined) return undefined;
      return { id: 1, path, defaultBranch: 'main', protectedBranches: ['main'], complianceFrameworks: [], groups: [] };
    },
    async openMergeRequests() {
      return [];
    },
  };
}

const POLICY_PATH = '.gitlab/security-policies/policy.yml';
const VALID = 'pipeline_execution_policy:\n  - name: A\n    enabled: true\n    pipeline_config_strategy: inject_ci\n    content: {include: [{project: p, file: a.yml}]}\n';

describe('loading policy files', () => {
  it('reads each policy project at its default branch, in the order given', async () => {
    const source = memorySource({ 'g/top': { [POLICY_PATH]: VALID }, 'g/sub': { [POLICY_PATH]: VALID.replace('name: A', 'name: B') } });
    const files = await loadPolicyFiles(source, [{ path: 'g/top', id: 1 }, { path: 'g/sub', id: 2 }]);
    expect(files.map((file) => [file.file, file.policyProject.id, file.policies[0]?.policy.name])).toEqual([
      ['g/top:.gitlab/security-policies/policy.yml', 1, 'A'],
      ['g/sub:.gitlab/security-policies/policy.yml', 2, 'B'],
    ]);
    expect(files[0]?.policies[0]?.location).toEqual({ file: 'g/top:.gitlab/security-policies/policy.yml', line: 2, column: 5 });
    expect(source.refs).toEqual([undefined, undefined]);
  });

  it('a missing policy project is a SourceError', async () => {
    const failure = loadPolicyFiles(memorySource({}), [{ path: 'g/gone', id: 9 }]);
    await expect(failure).rejects.toBeInstanceOf(SourceError);
    await expect(failure).rejects.toMatchObject({ code: 'policy-project-missing', message: 'security policy project g/gone was not found' });
  });

  it('a policy project without policy.yml is a PolicyError', async () => {
    const failure = loadPolicyFiles(memorySource({ 'g/empty': { 'README.md': 'hi' } }), [{ path: 'g/empty', id: 9 }]);
    await expect(failure).rejects.toBeInstanceOf(PolicyError);
    await expect(failure).rejects.toMatchObject({
      code: 'policy-file-missing',
      location: { file: 'g/empty:.gitlab/security-policies/policy.yml' },
      hint: 'Commit the policy file to main, or unlink the policy project.',
    });
  });

  it('an invalid policy file fails with its first error, placed, and counts the others', async () => {
    const text = VALID.replace('enabled: true', 'enabled: maybe').replace('inject_ci', 'inject_all');
    const failure = loadPolicyFiles(memorySource({ 'g/top': { [POLICY_PATH]: text } }), [{ path: 'g/top', id: 1 }]);
    await expect(failure).rejects.toMatchObject({
      kind: 'policy',
      code: 'policy-schema',
      message: 'pipeline_execution_policy[0] "A": enabled must be boolean',
      location: { file: 'g/top:.gitlab/security-policies/policy.yml', line: 3, column: 5 },
      hint: '1 more problem in this file; run policy-sidecar validate on the policy project to see every one.',
    });
  });

  it('loads the example workspace policy project through the workspace source', async () => {
    const workspace = await openWorkspace(join(import.meta.dirname, '../../examples/workspace'));
    const [file] = await loadPolicyFiles(workspace, [{ path: 'security/policies', id: 900 }]);
    expect(file?.policies.map((loaded) => loaded.policy.type)).toContain('pipeline_execution_policy');
    expect(file?.policies.every((loaded) => loaded.location?.file === 'security/policies:.gitlab/security-policies/policy.yml')).toBe(true);
  });
});
