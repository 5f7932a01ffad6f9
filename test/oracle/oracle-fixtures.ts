/**
 * The oracle fixtures under test/fixtures/oracle/<case>/: a repository's CI files plus
 * `context.json` (the pipeline context) and `expected-oracle.json` (gitlab-ci-local's reviewed
 * answer). Shared by the harness self-test and, later, the engine-versus-oracle comparison, so
 * both read a case the same way and both leave the metadata files out of the repository.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OracleContext, OraclePipeline } from './gitlab-ci-local.js';
import { isRecord } from './oracle-run.js';

export const oracleFixturesDir = fileURLToPath(new URL('../fixtures/oracle/', import.meta.url));

/** Files in a case folder that describe the case and are not part of the repository. */
export const fixtureMetadataFiles: readonly string[] = ['context.json', 'expected-oracle.json'];

export interface OracleFixture {
  readonly name: string;
  readonly dir: string;
  readonly context: OracleContext;
  readonly expectedPath: string;
}

export async function listOracleFixtures(): Promise<OracleFixture[]> {
  const entries = await readdir(oracleFixturesDir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(names.map((name) => loadOracleFixture(name)));
}

/** One case folder; `root` lets other fixture sets (test/fixtures/resolve) share the format. */
export async function loadOracleFixture(name: string, root: string = oracleFixturesDir): Promise<OracleFixture> {
  const dir = join(root, name);
  const contextPath = join(dir, 'context.json');
  const raw: unknown = JSON.parse(await readFile(contextPath, 'utf8'));
  return { name, dir, context: parseContext(raw, contextPath), expectedPath: join(dir, 'expected-oracle.json') };
}

/**
 * gitlab-ci-local's answer for a fixture as pinned in `expected-oracle.json`. The pinned file is
 * the live answer: oracle-harness.test.ts runs gitlab-ci-local on every fixture and fails when the
 * file differs by a byte, so other tests can compare against it without a run of their own.
 */
export async function loadPinnedPipeline(fixture: OracleFixture): Promise<OraclePipeline> {
  const raw: unknown = JSON.parse(await readFile(fixture.expectedPath, 'utf8'));
  if (!isRecord(raw) || typeof raw['created'] !== 'boolean' || !Array.isArray(raw['stages']) || !Array.isArray(raw['jobs'])) {
    throw new Error(`${fixture.expectedPath}: not an oracle pipeline (created, stages, jobs)`);
  }
  return raw as unknown as OraclePipeline;
}

function parseContext(raw: unknown, path: string): OracleContext {
  if (!isRecord(raw) || typeof raw['source'] !== 'string') throw new Error(`${path}: "source" (string) is required`);
  const context: OracleContext = { source: raw['source'] };
  for (const key of ['branch', 'tag', 'defaultBranch', 'projectPath'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw new Error(`${path}: "${key}" must be a string`);
    context[key] = value;
  }
  if (raw['variables'] !== undefined) context.variables = stringRecord(raw['variables'], `${path}: "variables"`);
  if (raw['changes'] !== undefined) {
    const changes = raw['changes'];
    if (!Array.isArray(changes) || !changes.every((entry) => typeof entry === 'string')) {
      throw new Error(`${path}: "changes" must be a list of paths`);
    }
    context.changes = changes;
  }
  const known = new Set(['source', 'branch', 'tag', 'defaultBranch', 'projectPath', 'variables', 'changes']);
  const unknown = Object.keys(raw).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`${path}: unknown keys ${unknown.join(', ')}`);
  return context;
}

function stringRecord(value: unknown, where: string): Record<string, string> {
  if (!isRecord(value)) throw new Error(`${where} must be a mapping`);
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw new Error(`${where}.${key} must be a string`);
    result[key] = entry;
  }
  return result;
}
