/**
 * The Dockerfile, read as text (no Docker here): its stages, that GitLab's image is non-root with
 * the CLI as entrypoint, that GitHub gets the action stage, and that everything it copies from
 * the build context gets past .dockerignore. package-layout.test.ts builds the same layout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

interface Instruction {
  readonly keyword: string;
  readonly text: string;
}

/** Instructions per stage, continuation lines joined, comments dropped. */
function readStages(text: string): Map<string, Instruction[]> {
  const stages = new Map<string, Instruction[]>();
  let current: Instruction[] = [];
  const logical = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), text: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const name = /\bAS\s+(\S+)$/i.exec(instruction.text)?.[1] ?? `stage-${stages.size}`;
      current = [];
      stages.set(name, current);
    }
    current.push(instruction);
  }
  return stages;
}

const stages = readStages(dockerfile);
const stage = (name: string): Instruction[] => stages.get(name) ?? [];
const last = (name: string, keyword: string): string | undefined => stage(name).filter((each) => each.keyword === keyword).at(-1)?.text;

describe('Dockerfile', () => {
  it('builds, prunes, then the runtime; the GitHub Action stage comes last (action.yml builds the last stage)', () => {
    expect([...stages.keys()]).toEqual(['build', 'prune', 'runtime', 'github-action']);
  });

  it('runs the runtime as a numeric non-root user with the CLI as entrypoint and git installed', () => {
    expect(last('runtime', 'USER')).toMatch(/^[1-9][0-9]*:[1-9][0-9]*$/);
    expect(last('runtime', 'ENTRYPOINT')).toBe('["/sbin/tini", "--", "policy-sidecar"]');
    expect(stage('runtime').some((each) => each.keyword === 'RUN' && /apk add --no-cache git\b/.test(each.text))).toBe(true);
  });

  it('installs production dependencies only, from the lockfile', () => {
    expect(stage('prune').some((each) => each.keyword === 'RUN' && each.text.includes('npm ci --omit=dev'))).toBe(true);
  });

  it('labels the image with the OCI keys and this version', () => {
    const labels = stage('runtime').filter((each) => each.keyword === 'LABEL').map((each) => each.text).join(' ');
    for (const key of ['title', 'description', 'licenses', 'version', 'revision', 'source']) expect(labels).toContain(`org.opencontainers.image.${key}=`);
    expect(stage('runtime').find((each) => each.keyword === 'ARG' && each.text.startsWith('VERSION='))?.text).toBe(`VERSION=${version}`);
  });

  it('starts the action entry point in the GitHub stage', () => {
    expect(last('github-action', 'ENTRYPOINT')).toBe('["/sbin/tini", "--", "node", "/opt/policy-sidecar/dist/github/action.js"]');
  });

  it('copies from the build context only what .dockerignore lets through', () => {
    const allowed = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    const copied = [...stages.values()]
      .flat()
      .filter((each) => each.keyword === 'COPY' && !each.text.startsWith('--from'))
      .flatMap((each) => each.text.split(/\s+/).slice(0, -1));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) expect(allowed, source).toContain(source);
  });
});
