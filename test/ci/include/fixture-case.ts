/**
 * Loads one `test/fixtures/include/<case>/` folder: a tiny workspace and the expected outcome.
 *
 *   case.yml                  optional: project, ref, path, variables, inputs, server_host, changed
 *   projects/<group+name>/    a project's files at its default ref (`+` stands for `/`)
 *   projects/<group+name>@r/  the same project at ref `r`
 *   templates/<name>          GitLab CI templates
 *   remote/<host>/<path>      served as https://<host>/<path>
 *   expected.yml              the merged configuration, or
 *   expected-error.txt        three lines: code, file:line:column (or -), message
 *   expected-files.txt        optional: every file read, one `depth kind location` a line
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { MemoryWorkspace } from './memory-workspace.js';

export interface FixtureCase {
  readonly name: string;
  readonly dir: string;
  readonly workspace: MemoryWorkspace;
  readonly project: string;
  readonly ref: string | undefined;
  readonly path: string;
  readonly variables: Record<string, string>;
  readonly inputs: Record<string, unknown> | undefined;
  readonly serverHost: string;
}

interface CaseSettings {
  project?: string;
  ref?: string;
  path?: string;
  variables?: Record<string, string>;
  inputs?: Record<string, unknown>;
  server_host?: string;
  changed?: string[];
}

export function listFixtureCases(root: string): string[] {
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort();
}

export function loadFixtureCase(root: string, name: string): FixtureCase {
  const dir = join(root, name);
  const settingsFile = join(dir, 'case.yml');
  const settings = (existsSync(settingsFile) ? parse(readFileSync(settingsFile, 'utf8')) : {}) as CaseSettings;
  const projects: Record<string, Record<string, string>> = {};
  const projectsDir = join(dir, 'projects');
  if (existsSync(projectsDir)) {
    for (const folder of readdirSync(projectsDir)) {
      projects[folder.replaceAll('+', '/')] = readTree(join(projectsDir, folder));
    }
  }
  const remote: Record<string, string> = {};
  const remoteDir = join(dir, 'remote');
  if (existsSync(remoteDir)) {
    for (const host of readdirSync(remoteDir)) {
      for (const [path, text] of Object.entries(readTree(join(remoteDir, host)))) remote[`https://${host}/${path}`] = text;
    }
  }
  const templatesDir = join(dir, 'templates');
  const project = settings.project ?? 'acme/web';
  const serverHost = settings.server_host ?? 'gitlab.example.com';
  return {
    name,
    dir,
    workspace: {
      projects,
      templates: existsSync(templatesDir) ? readTree(templatesDir) : {},
      remote,
      ...(settings.changed === undefined ? {} : { changed: settings.changed }),
    },
    project,
    ref: settings.ref,
    path: settings.path ?? '.gitlab-ci.yml',
    variables: {
      CI_PROJECT_PATH: project,
      CI_SERVER_FQDN: serverHost,
      CI_PIPELINE_SOURCE: 'push',
      ...settings.variables,
    },
    inputs: settings.inputs,
    serverHost,
  };
}

function readTree(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of readdirSync(current)) {
      const full = join(current, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files[relative(dir, full).split('\\').join('/')] = readFileSync(full, 'utf8');
    }
  };
  walk(dir);
  return files;
}
