/**
 * Start-up stays cheap: what a process loads before it knows its command is what every run pays.
 * Follows the static (non-type, non-dynamic) imports of our sources from an entry module and
 * checks which packages and command modules that closure reaches. Read from the TypeScript
 * sources, so it needs no build and does not depend on how fast the machine is.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('../../src/', import.meta.url));

/** Specifiers a module imports for its values (`import type` and `import()` are not loads at start). */
function staticImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause?.isTypeOnly !== true && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const onlyTypes =
        clause !== undefined &&
        clause.name === undefined &&
        clause.namedBindings !== undefined &&
        ts.isNamedImports(clause.namedBindings) &&
        clause.namedBindings.elements.length > 0 &&
        clause.namedBindings.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes) specifiers.push(statement.moduleSpecifier.text);
    }
    if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)) {
      specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/** Our modules (paths under src/) and packages (names) reached by static imports from `entry`. */
function closure(entry: string): { modules: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [join(srcDir, entry)];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:')) packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier));
    }
  }
  return { modules: [...seen].map((file) => relative(srcDir, file)).sort(), packages: [...packages].sort() };
}

describe('start-up loads only what the command uses', () => {
  it('the CLI entry loads no package and no command module before it knows the command (--version, --help)', () => {
    const { modules, packages } = closure('cli/main.ts');
    expect(packages).toEqual([]);
    expect(modules.filter((module) => module.startsWith('cli/commands/'))).toEqual([]);
  });

  it('compose loads neither the status-check server, the GitLab client, undici, pino nor diff at start', () => {
    const { packages } = closure('cli/commands/compose.ts');
    for (const heavy of ['fastify', '@gitbeaker/rest', '@gitbeaker/requester-utils', 'undici', 'pino', 'diff']) expect(packages).not.toContain(heavy);
  });

  it('compose loads the GitLab origin (API source, job facts, HTTP client) only when it reads GitLab', () => {
    const { modules } = closure('cli/commands/compose.ts');
    for (const gitlabOnly of ['cli/gitlab-origin.ts', 'cli/gitlab-connection.ts', 'cli/job-facts-check.ts', 'http/client.ts', 'sources/gitlab/gitlab-source.ts']) {
      expect(modules).not.toContain(gitlabOnly);
    }
  });

  it('evaluate loads neither the status-check server nor pino at start', () => {
    const { packages } = closure('cli/commands/evaluate.ts');
    for (const heavy of ['fastify', 'pino']) expect(packages).not.toContain(heavy);
  });

  it('evaluate on a workspace loads no pipeline composition, no CI resolution and no GitLab client at start (API mode loads them)', () => {
    const { modules, packages } = closure('cli/commands/evaluate.ts');
    expect(modules.filter((module) => /^(compose|ci\/(expand|rules|expression)|http|sources\/gitlab)\//.test(module))).toEqual([]);
    for (const heavy of ['@gitbeaker/rest', '@gitbeaker/requester-utils', 'undici', 're2js']) expect(packages).not.toContain(heavy);
  });
});
