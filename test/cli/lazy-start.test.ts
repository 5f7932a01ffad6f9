/**
 * Start-up stays cheap: what a process loads before it knows its command is what every run pays.
 * Checked twice, with the same expectations:
 * - on the TypeScript sources: follows the static (non-type, non-dynamic) imports from an entry
 *   module (needs no build, and says which import to blame);
 * - on the shipped bundle (src/build/bundle-cli.ts): follows the static imports between its
 *   chunks, from esbuild's metafile, and takes the source files and packages those chunks hold or
 *   import. esbuild puts a module into a chunk shared by every entry that reaches it, so this
 *   catches what the sources cannot: a chunk that pulls in more than its command needs.
 * Neither depends on how fast the machine is.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from '../../src/build/bundle-cli.js';
import { bundledPackageOf } from '../../src/build/third-party-licenses.js';
import { runCli } from '../../src/cli/run.js';
import { cliEntry } from '../helpers/built-cli.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const srcDir = join(repoRoot, 'src/');

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

interface Loaded {
  /** Our modules, as paths under src/. */
  readonly modules: string[];
  /** Package names. */
  readonly packages: string[];
}

/**
 * What a run loads before its command runs: main.ts, which answers `--version` itself; for
 * anything else short-run.ts and source-maps.ts, then run.ts (imported after source maps are on),
 * then for a command, its module.
 */
function startsOf(entry: string): string[] {
  if (entry === '--version') return ['cli/main.ts'];
  const everyRun = ['cli/main.ts', 'cli/short-run.ts', 'cli/source-maps.ts', 'cli/run.ts'];
  return entry === 'cli/main.ts' ? everyRun : [...everyRun, entry];
}

/** Our modules and packages reached by static imports from the starts of `entry` (a path under src/). */
function sourceClosure(entry: string): Loaded {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = startsOf(entry).map((start) => join(srcDir, start));
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of staticImports(file)) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!specifier.startsWith('node:')) packages.add(packageName(specifier));
    }
  }
  return { modules: [...seen].map((file) => relative(srcDir, file)).sort(), packages: [...packages].sort() };
}

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
function packageName(specifier: string): string {
  return specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
}

/** Node's built-in modules, which bundled CommonJS code may name without `node:`. */
const BUILTINS: ReadonlySet<string> = new Set(['buffer', 'crypto', 'events', 'fs', 'http', 'https', 'net', 'os', 'path', 'process', 'stream', 'tls', 'url', 'util', 'zlib']);

/** The same from the bundle: the outputs of the starts' sources and the chunks they import statically. */
function bundleClosure(metafile: Metafile, entry: string): Loaded & { readonly bytes: number; readonly files: number } {
  const outputOf = (source: string): string => {
    const output = Object.entries(metafile.outputs).find(([, info]) => info.entryPoint === source)?.[0];
    if (output === undefined) throw new Error(`no chunk for ${source} in ${BUNDLE.metafile}`);
    return output;
  };
  const seen = new Set<string>();
  const queue = startsOf(entry).map((start) => outputOf(`src/${start}`));
  const modules = new Set<string>();
  const packages = new Set<string>();
  for (let output = queue.pop(); output !== undefined; output = queue.pop()) {
    if (seen.has(output)) continue;
    seen.add(output);
    const info = metafile.outputs[output];
    if (info === undefined) throw new Error(`${output} is not in ${BUNDLE.metafile}`);
    for (const input of Object.keys(info.inputs)) {
      // Bundled packages: node_modules/<name>/..., the last one when nested.
      const inPackage = bundledPackageOf(input);
      if (inPackage !== undefined) packages.add(inPackage.name);
      else if (input.startsWith('src/')) modules.add(input.slice('src/'.length));
    }
    for (const imported of info.imports) {
      if (imported.kind !== 'import-statement') continue;
      if (imported.external !== true) queue.push(imported.path);
      else if (!imported.path.startsWith('node:') && !BUILTINS.has(imported.path)) packages.add(packageName(imported.path));
    }
  }
  const bytes = [...seen].reduce((sum, output) => sum + (metafile.outputs[output]?.bytes ?? 0), 0);
  return { modules: [...modules].sort(), packages: [...packages].sort(), bytes, files: seen.size };
}

/** Built by the vitest global setup (test/helpers/build-dist.ts) from the current sources. */
function readMetafile(): Metafile {
  return JSON.parse(readFileSync(join(repoRoot, BUNDLE.metafile), 'utf8')) as Metafile;
}

const graphs: [string, (entry: string) => Loaded][] = [
  ['the sources', sourceClosure],
  ['the bundle', (entry) => bundleClosure(readMetafile(), entry)],
];

describe.each(graphs)('start-up loads only what the command uses, in %s', (_graph, closure) => {
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
    // What every run loads before it knows its command (run.ts's error redaction, http/redact.ts) is not evaluate's.
    const everyRun = new Set(closure('cli/main.ts').modules);
    const added = modules.filter((module) => !everyRun.has(module));
    expect(added.filter((module) => /^(compose|ci\/(expand|rules|expression)|http|sources\/gitlab)\//.test(module))).toEqual([]);
    for (const heavy of ['@gitbeaker/rest', '@gitbeaker/requester-utils', 'undici', 're2js']) expect(packages).not.toContain(heavy);
  });
});

describe('the bundle', () => {
  it('--help loads a few small files: under 25 files and 100 KB of code', () => {
    const { bytes, files } = bundleClosure(readMetafile(), 'cli/main.ts');
    expect(files).toBeLessThan(25);
    expect(bytes).toBeLessThan(100_000);
  });

  it('--version loads the entry and the package-file lookup only: at most 3 files and 5 KB of code', () => {
    const { bytes, files, modules, packages } = bundleClosure(readMetafile(), '--version');
    expect(modules).toEqual(['cli/main.ts', 'cli/package-files.ts']);
    expect(packages).toEqual([]);
    expect(files).toBeLessThanOrEqual(3);
    expect(bytes).toBeLessThan(5_000);
  });

  it("--version answered by the entry is runCli's answer, whatever follows it", async () => {
    const inProcess = async (argv: string[]): Promise<string> => {
      let out = '';
      const sink = { write: (text: string): void => void (out += text) };
      await runCli(argv, { stdout: sink, stderr: sink, env: {}, cwd: repoRoot });
      return out;
    };
    for (const argv of [['--version'], ['--version', 'compose', '--nonsense']]) {
      const built = execFileSync(process.execPath, [cliEntry, ...argv], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
      expect(built).toBe(await inProcess(argv));
      expect(built).toMatch(/^\d+\.\d+\.\d+\n$/);
    }
  });
});
