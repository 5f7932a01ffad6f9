/**
 * Error classes, split by who must act. The CLI maps each class to one exit code
 * (see cli/exit-codes.ts); callers identify errors by class or `code`, never by message text.
 */

/** Where in a file a problem is. Lines and columns are 1-based, as editors show them. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

export interface ErrorDetails {
  readonly location?: SourceLocation | undefined;
  /** What the user can do about it. */
  readonly hint?: string | undefined;
  readonly cause?: unknown;
}

export abstract class SidecarError extends Error {
  /** Who must act: decides the exit code. */
  abstract readonly kind: 'config' | 'policy' | 'source' | 'usage' | 'internal';
  readonly location: SourceLocation | undefined;
  readonly hint: string | undefined;

  constructor(
    /** Stable identifier, e.g. `include-loop`; documented in docs/errors.md. */
    readonly code: string,
    message: string,
    details: ErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.location = details.location;
    this.hint = details.hint;
  }

  /** The same error with a location, when a caller knows it and the thrower did not. */
  withLocation(location: SourceLocation): this {
    if (this.location !== undefined) return this;
    return this.copyWith(location);
  }

  /** The same error with its file named for the reader (e.g. relative to the working folder). */
  withFileShown(show: (file: string) => string): this {
    if (this.location === undefined) return this;
    return this.copyWith({ ...this.location, file: show(this.location.file) });
  }

  private copyWith(location: SourceLocation): this {
    const copy = Object.create(Object.getPrototypeOf(this) as object) as this;
    Object.assign(copy, this, { location, message: this.message, stack: this.stack });
    return copy;
  }
}

/** The project's CI configuration is invalid. */
export class ConfigError extends SidecarError {
  readonly kind = 'config' as const;
}

/** A policy file (policy.yml or a policy's CI file) is invalid. */
export class PolicyError extends SidecarError {
  readonly kind = 'policy' as const;
}

/** Reading a file, the GitLab API or a remote include failed. */
export class SourceError extends SidecarError {
  readonly kind = 'source' as const;
  constructor(
    code: string,
    message: string,
    details: ErrorDetails & { readonly retryable?: boolean } = {},
  ) {
    super(code, message, details);
    this.retryable = details.retryable ?? false;
  }
  readonly retryable: boolean;
}

/** The command line is wrong. */
export class UsageError extends SidecarError {
  readonly kind = 'usage' as const;
}

/** Our own bug: an invariant did not hold. */
export class InternalError extends SidecarError {
  readonly kind = 'internal' as const;
}

export function isSidecarError(value: unknown): value is SidecarError {
  return value instanceof SidecarError;
}

/** `file:line:column: message`, the form editors and CI logs link. */
export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) {
    text += `:${location.line}`;
    if (location.column !== undefined) text += `:${location.column}`;
  }
  return text;
}
