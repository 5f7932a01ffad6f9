/**
 * The shapes `include:` resolution works with: what it needs from outside (sources, the remote
 * fetcher, variables, facts and the rule evaluator, all passed in so this folder does no I/O of
 * its own), and what it gives back (the merged configuration and every file it read).
 */
import type { SourceLocation } from '../../errors.js';
import type { RemoteFetcher, Source } from '../../sources/source.js';
import type { RepositoryFacts, Variables } from '../context.js';
import type { CiLimits } from '../limits.js';
import type { CiMap, CiValue } from '../value.js';

/** What `include:rules` are evaluated against; the same shape as the rules module's RuleScope. */
export interface IncludeRuleScope {
  readonly variables: Variables;
  readonly facts: RepositoryFacts;
  /** The file the `include` entry is written in, for messages. */
  readonly file: string;
}

/** Evaluates `include:rules`; `when: 'never'` means the entry is skipped. Injected by the caller. */
export type IncludeRuleEvaluator = (rules: CiValue, scope: IncludeRuleScope) => Promise<{ readonly when: string }>;

export interface IncludeEnvironment {
  readonly source: Source;
  readonly remote: RemoteFetcher;
  readonly limits: CiLimits;
  /** Predefined and user variables: the ones GitLab allows in include paths and include:rules. */
  readonly variables: Variables;
  /** For include:rules exists/changes. */
  readonly facts: RepositoryFacts;
  readonly evaluateRules: IncludeRuleEvaluator;
  /** CI_SERVER_FQDN: the only host include:component addresses may name. */
  readonly serverHost: string;
  /**
   * The project (and ref) whose files messages name by their bare path; files elsewhere are
   * named `group/project:path@ref`. Default: the main file's. A policy's CI file is resolved
   * with the pipeline's project here, so its own files carry their project's name.
   */
  readonly namesRelativeTo?: { readonly project: string; readonly ref: string | undefined };
}

/** A configuration file in a project's repository; `ref` undefined is the source's default. */
export interface ConfigFileRef {
  readonly project: string;
  readonly path: string;
  readonly ref: string | undefined;
}

export type IncludeKind = 'local' | 'project' | 'remote' | 'template' | 'component';

/** One file read while resolving, for the report. */
export interface IncludedFile {
  readonly kind: IncludeKind | 'main';
  /** How messages name the file: a path, `group/project:path@ref`, a URL or `template:Name`. */
  readonly location: string;
  /** The project the file was read from; undefined for remote files and templates. */
  readonly project: string | undefined;
  /** Repository path, URL or template name. */
  readonly path: string;
  readonly ref: string | undefined;
  /** The `include` entry that brought the file in; undefined for the main file. */
  readonly includedFrom: SourceLocation | undefined;
  /** 0 for the main file, 1 for files it includes, and so on. */
  readonly depth: number;
}

export interface ResolvedConfig {
  /** Every file merged (each file's includes first, the file itself on top), `include` removed. */
  readonly config: CiMap;
  /** Every file read, main file first, then in the order they were included. */
  readonly files: readonly IncludedFile[];
}

/** Input values given to a file (`include:inputs`, or pipeline inputs for the main file). */
export type InputValues = Readonly<Record<string, CiValue>>;
