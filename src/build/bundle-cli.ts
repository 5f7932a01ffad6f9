/**
 * `npm run build`: the shipped CLI as an esbuild bundle in dist/ (issue #14). Every pipeline
 * starts a process, and Node spends most of a short run's start-up resolving, reading and
 * linking modules one file at a time; the bundle loads a few files instead of hundreds
 * (docs/performance.md "The bundle").
 *
 * - Entries keep their public paths: dist/cli/main.js (the bin) and dist/github/action.js.
 * - Code splitting: each command is a dynamic import (src/cli/command-table.ts), so each gets its
 *   own chunk under dist/chunks/ and `--version` loads only the entry and what it imports.
 * - Source maps (.map, without the sources' text) so a stack trace names src/ lines; the CLI
 *   turns them on only when it prints a stack (src/cli/source-maps.ts).
 * - The ajv standalone validators (compile-validators.ts) are written to dist/validators/, one
 *   self-contained CommonJS file each, and the modules that load them replace their
 *   runtime-compiling versions in the bundle.
 * - dist/THIRD-PARTY-LICENSES.txt: the licences of the packages bundled (third-party-licenses.ts).
 * - dist/meta.json (esbuild's metafile, not shipped) tells test/cli/lazy-start.test.ts which
 *   files and packages each chunk holds and imports.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Metafile, type Plugin } from 'esbuild';
import { bundleStaleReason } from './bundle-freshness.js';
import { generateStandaloneFiles, STANDALONE_MODULES, VALIDATORS_DIR } from './compile-validators.js';
import { writeThirdPartyLicenses } from './third-party-licenses.js';

/**
 * Packages kept out of the bundle, loaded from node_modules as before, and why:
 * - @electric-sql/pglite reads its wasm and data files next to its own module;
 * - pg optionally requires pg-native, which is not installed (and only long-running commands
 *   use PostgreSQL);
 * - pino starts transports and thread-stream in worker threads from files of its package (and
 *   loads only for serve and at --log-level debug);
 * - fastify (serve only) loads pino and its plugins at run time, and a long-running server does
 *   not pay its load time per pipeline.
 * Everything else (yaml, gitbeaker, diff, re2js...) is bundled; docs/performance.md has the figures.
 */
export const EXTERNAL_PACKAGES: readonly string[] = ['@electric-sql/pglite', 'pg', 'pino', 'fastify'];

/** The bundle's layout: where src/build/bundle-cli.ts writes, relative to the package root. */
export const BUNDLE = {
  dist: 'dist',
  entries: { 'cli/main': 'src/cli/main.ts', 'github/action': 'src/github/action.ts' },
  chunks: 'chunks',
  metafile: 'dist/meta.json',
  licenses: 'dist/THIRD-PARTY-LICENSES.txt',
} as const;

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Builds dist/ from src/ under `root`; returns esbuild's metafile. */
export async function bundleCli(root: string = ROOT): Promise<Metafile> {
  const dist = join(root, BUNDLE.dist);
  await rm(dist, { recursive: true, force: true });
  const { replacements, inputs } = await writeValidators(root);
  const result = await build({
    absWorkingDir: root,
    entryPoints: BUNDLE.entries,
    outdir: dist,
    entryNames: '[dir]/[name]',
    chunkNames: `${BUNDLE.chunks}/[name]-[hash]`,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    // Bundled CommonJS packages require Node's built-ins; an ES module has no `require` of its own.
    banner: { js: "import { createRequire as __sidecarCreateRequire } from 'node:module';\nconst require = __sidecarCreateRequire(import.meta.url);" },
    external: [...EXTERNAL_PACKAGES],
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    plugins: [replaceModules(replacements)],
  });
  checkLayout(root, Object.keys(result.metafile.outputs));
  await writeThirdPartyLicenses(root, [...inputs, ...Object.keys(result.metafile.inputs)], BUNDLE.licenses);
  await writeFile(join(root, BUNDLE.metafile), JSON.stringify(result.metafile));
  return result.metafile;
}

/**
 * Writes each validator's code to dist/validators/, bundled with the few ajv runtime helpers it
 * requires so it needs nothing from node_modules; returns the replacing modules' texts by the
 * source file they replace, and the files bundled into the validators.
 */
async function writeValidators(root: string): Promise<{ replacements: Map<string, string>; inputs: Set<string> }> {
  const replacements = new Map<string, string>();
  const inputs = new Set<string>();
  for (const spec of STANDALONE_MODULES) {
    for (const [path, text] of generateStandaloneFiles(spec)) {
      if (path === spec.module) {
        replacements.set(join(root, 'src', spec.module.replace(/\.js$/, '.ts')), text);
        continue;
      }
      const outfile = join(root, VALIDATORS_DIR, path);
      await mkdir(dirname(outfile), { recursive: true });
      const validator = await build({
        absWorkingDir: root,
        stdin: { contents: text, resolveDir: root, sourcefile: path, loader: 'js' },
        outfile,
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20.19',
        metafile: true,
        logLevel: 'warning',
      });
      for (const input of Object.keys(validator.metafile.inputs)) inputs.add(input);
    }
  }
  return { replacements, inputs };
}

/** Serves the generated text in place of the source file it replaces. */
function replaceModules(replacements: ReadonlyMap<string, string>): Plugin {
  return {
    name: 'standalone-validators',
    setup(plugin) {
      plugin.onLoad({ filter: /-validators\.ts$/ }, (args) => {
        const contents = replacements.get(args.path);
        return contents === undefined ? undefined : { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * src/cli/package-files.ts finds the package root as `../../` of the file it lands in: every
 * JavaScript output must be exactly two folders below the root (dist/<folder>/<file>.js).
 */
function checkLayout(root: string, outputs: readonly string[]): void {
  for (const output of outputs) {
    if (!output.endsWith('.js')) continue;
    const parts = relative(root, join(root, output)).split(sep);
    if (parts.length !== 3 || parts[0] !== BUNDLE.dist) throw new Error(`bundle output ${output} is not at dist/<folder>/<file>.js; package-files.ts would not find the package root from it`);
  }
}

// `tsx src/build/bundle-cli.ts [--if-stale]`: `npm run build` always builds; `npm start` only
// when a source is newer than dist/.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const stale = process.argv.includes('--if-stale') ? await bundleStaleReason(ROOT) : 'asked to';
  if (stale !== undefined) {
    const started = performance.now();
    const metafile = await bundleCli();
    const files = Object.keys(metafile.outputs).filter((output) => output.endsWith('.js')).length;
    process.stdout.write(`bundle: ${files} files in ${BUNDLE.dist}/, ${stale} (${Math.round(performance.now() - started)} ms)\n`);
  }
}
