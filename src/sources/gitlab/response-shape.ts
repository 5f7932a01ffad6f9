/**
 * Small schemas for GitLab's JSON, checked where a response enters (STYLE "responses checked by a
 * schema where they enter"). A shape names only the fields we read; GitLab adds fields over time,
 * so extra ones are allowed and dropped. A mismatch becomes one SourceError naming the endpoint
 * and the field, never a crash deeper in. Hand-written rather than ajv: a handful of tiny shapes
 * need no schema compiler at start-up, and each shape is its own TypeScript type.
 */
import { SourceError } from '../../errors.js';

/** Checks `value` (found at `at`, e.g. `$.namespace.id`) and returns it typed, or throws ShapeMismatch. */
export type Shape<T> = (value: unknown, at: string) => T;

export type ShapeOf<S> = S extends Shape<infer T> ? T : never;

class ShapeMismatch extends Error {
  constructor(
    readonly at: string,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`${at}: expected ${expected}, found ${found}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  // A field GitLab left out (JSON has no undefined).
  if (value === undefined) return 'no value';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}

function primitive<T>(expected: string, test: (value: unknown) => value is T): Shape<T> {
  return (value, at) => {
    if (!test(value)) throw new ShapeMismatch(at, expected, describe(value));
    return value;
  };
}

export const string = primitive('a string', (value): value is string => typeof value === 'string');
export const integer = primitive('an integer', (value): value is number => Number.isInteger(value));
export const boolean = primitive('a boolean', (value): value is boolean => typeof value === 'boolean');

export function nullable<T>(shape: Shape<T>): Shape<T | null> {
  return (value, at) => (value === null ? null : shape(value, at));
}

/** A field GitLab leaves out on some versions or tiers. */
export function optional<T>(shape: Shape<T>): Shape<T | undefined> {
  return (value, at) => (value === undefined ? undefined : shape(value, at));
}

export function list<T>(shape: Shape<T>): Shape<T[]> {
  return (value, at) => {
    if (!Array.isArray(value)) throw new ShapeMismatch(at, 'a list', describe(value));
    return value.map((item: unknown, index) => shape(item, `${at}[${index}]`));
  };
}

export function object<F extends Record<string, Shape<unknown>>>(fields: F): Shape<{ [K in keyof F]: ShapeOf<F[K]> }> {
  return (value, at) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeMismatch(at, 'an object', describe(value));
    const record = value as Record<string, unknown>; // checked: a non-null, non-array object
    const result: Record<string, unknown> = {};
    for (const [name, shape] of Object.entries(fields)) result[name] = shape(record[name], `${at}.${name}`);
    return result as { [K in keyof F]: ShapeOf<F[K]> }; // every declared field was checked above
  };
}

/** An object of string values, any names (headers). */
export const stringRecord: Shape<Record<string, string>> = (value, at) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ShapeMismatch(at, 'an object', describe(value));
  const result: Record<string, string> = {};
  for (const [name, item] of Object.entries(value as Record<string, unknown>)) result[name] = string(item, `${at}.${name}`); // checked: an object
  return result;
};

/** `value` checked against `shape`, or a SourceError `gitlab-response-shape` naming the endpoint. */
export function checkResponse<T>(shape: Shape<T>, value: unknown, endpoint: string): T {
  try {
    return shape(value, '$');
  } catch (error) {
    if (!(error instanceof ShapeMismatch)) throw error;
    throw new SourceError('gitlab-response-shape', `${endpoint} answered with an unexpected shape: ${error.message}`, {
      hint: 'The GitLab version or a proxy in between answers differently than GitLab documents: check CI_SERVER_URL, or report the GitLab version.',
    });
  }
}
