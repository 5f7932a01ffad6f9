/**
 * gitlab-ci-local's JSON-schema check of a pipeline, run inside the test worker instead of inside
 * every gitlab-ci-local process. The check is most of a gitlab-ci-local run's CPU time (about
 * 0.9 of 1.2 s): each process compiles GitLab's CI schema with ajv again. Here the schema is
 * compiled once per machine and installed gitlab-ci-local, kept as ajv standalone code in the
 * temporary folder, and loaded by each test file in about 50 ms.
 *
 * The same check, not a look-alike: the schema is the one gitlab-ci-local 4.72 bundles, read
 * from its dist/index.js with its own edits applied (src/schema.ts deletes four patterns and adds
 * its gcl* job keys); ajv gets the options of its src/validator.ts `jsonSchemaValidation`; the
 * data is the expanded configuration it writes to `<state>/expanded-gitlab-ci.yml` just before it
 * validates that same value (src/parser.ts Parser.create). It rejects a configuration exactly
 * when ajv reports an error (gitlab-ci-local filters errors only by `--ignore-schema-paths`,
 * which the tests never pass). gitlab-ci-schema.test.ts runs gitlab-ci-local's own check on
 * valid and invalid configurations and asserts both checks agree, so a drift fails there.
 */
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runInNewContext, runInThisContext } from 'node:vm';
import { Ajv, type ErrorObject } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const require = createRequire(import.meta.url);
const bundlePath = join(dirname(require.resolve('gitlab-ci-local/package.json')), 'dist', 'index.js');

/** src/validator.ts jsonSchemaValidation, gitlab-ci-local 4.72. */
const AJV_OPTIONS = {
  verbose: true,
  allErrors: true,
  allowUnionTypes: true,
  validateFormats: false,
  strictTypes: false,
  keywords: ['markdownDescription'],
} as const;

export interface SchemaError {
  /** JSON pointer into the configuration, e.g. `/policy:pipeline/trigger/strategy`. */
  readonly path: string;
  readonly message: string;
  readonly schemaPath: string;
}

type ValidateFunction = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let loaded: ValidateFunction | undefined;

/** The schema errors gitlab-ci-local would find in `config`; empty when it would accept it. */
export function gitlabCiSchemaErrors(config: unknown): SchemaError[] {
  loaded ??= loadValidator();
  if (loaded(config)) return [];
  return (loaded.errors ?? []).map((error) => ({
    path: error.instancePath,
    message: `${error.instancePath} ${error.message ?? error.keyword}${describeParams(error)}`,
    schemaPath: error.schemaPath,
  }));
}

function describeParams(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (typeof params['additionalProperty'] === 'string') return `: '${params['additionalProperty']}'`;
  if (Array.isArray(params['allowedValues'])) return `: ${params['allowedValues'].map(String).join(', ')}`;
  return '';
}

/** The schema source as gitlab-ci-local's bundle builds it: the object literal, then its edits. */
export function readBundledSchemaSource(bundle: string = readFileSync(bundlePath, 'utf8')): { name: string; source: string } {
  // `...compile(<alias>),<v>=<f>(<data>);if(<v>)return;` in jsonSchemaValidation, then `var <alias>=<schema>;`.
  const call = /\.compile\(([\w$]+)\),[\w$]+=[\w$]+\([\w$]+\);if\([\w$]+\)return;/.exec(bundle);
  const alias = call === null ? null : new RegExp(`var ${escapeRegExp(call[1] ?? '')}=([\\w$]+);`).exec(bundle);
  const name = alias?.[1];
  const start = name === undefined ? -1 : bundle.indexOf(`${name}={$schema:`);
  if (call === null || alias === null || name === undefined || start < 0 || start > alias.index) {
    throw new Error(`gitlab-ci-schema: cannot find the CI schema in ${bundlePath}; did gitlab-ci-local change? Update test/oracle/gitlab-ci-schema.ts`);
  }
  return { name, source: bundle.slice(start, alias.index) };
}

/** Evaluates the bundle's schema statements in a context of their own and returns plain JSON. */
export function bundledSchema(): Record<string, unknown> {
  const { name, source } = readBundledSchemaSource();
  const value: unknown = runInNewContext(`var ${source}; JSON.stringify(${name})`, {}, { timeout: 10_000 });
  if (typeof value !== 'string') throw new Error('gitlab-ci-schema: the bundled schema did not evaluate to an object');
  const schema = JSON.parse(value) as Record<string, unknown>;
  if (schema['$id'] !== 'https://gitlab.com/.gitlab-ci.yml') throw new Error(`gitlab-ci-schema: unexpected schema $id ${String(schema['$id'])}`);
  return schema;
}

function loadValidator(): ValidateFunction {
  const { source } = readBundledSchemaSource();
  const ajvVersion = (require('ajv/package.json') as { version: string }).version;
  const key = createHash('sha256').update(JSON.stringify([source, ajvVersion, AJV_OPTIONS])).digest('hex').slice(0, 20);
  const file = join(tmpdir(), `policy-sidecar-gitlab-ci-schema-${key}.cjs`);
  // Code is run from this file, and the temporary folder is shared: only a file this user wrote counts.
  let code = ownFile(file) ? readFileSync(file, 'utf8') : undefined;
  if (code === undefined) {
    const ajv = new Ajv({ ...AJV_OPTIONS, keywords: [...AJV_OPTIONS.keywords], code: { source: true } });
    code = standaloneCode.default(ajv, ajv.compile(bundledSchema()));
    // Written aside then renamed: a file compiling at the same time never reads half the code.
    // When another user's file is in the way, this run compiles in memory only.
    const partial = `${file}.${String(process.pid)}.partial`;
    try {
      writeFileSync(partial, code);
      renameSync(partial, file);
    } catch {
      rmSync(partial, { force: true });
    }
  }
  // The standalone module is CommonJS that requires ajv's runtime helpers; it gets our `require`.
  const module = { exports: {} as unknown };
  const wrapper: unknown = runInThisContext(`(function (module, exports, require) {${code}\n})`, { filename: file });
  if (typeof wrapper !== 'function') throw new Error('gitlab-ci-schema: standalone code did not compile');
  wrapper(module, module.exports, require);
  if (typeof module.exports !== 'function') throw new Error(`gitlab-ci-schema: ${file} exports no validator`);
  return module.exports as ValidateFunction;
}

function ownFile(file: string): boolean {
  try {
    return statSync(file).uid === process.getuid?.();
  } catch {
    return false;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[$]/g, '\\$');
}
