/** Where rule configuration lives, and GitLab-worded errors placed there. */
import { ConfigError, type SourceLocation } from '../../errors.js';
import { locationOf, locationOfKey } from '../positions.js';
import { describeType, isMap, isScalar, type CiValue } from '../value.js';

export interface ConfigPlace {
  readonly file: string;
  readonly path?: string;
}

/** A ConfigError for `message`, placed at `key` of `node` when positions are known. */
export function configError(
  place: ConfigPlace,
  entry: string,
  message: string,
  node?: CiValue,
  key?: string,
  code = 'rules-config',
  cause?: unknown,
): ConfigError {
  const prefix = place.path === undefined ? '' : `${place.path}:`;
  const hint = cause instanceof Error ? cause.message : undefined;
  return new ConfigError(code, `${prefix}${entry} ${message}`, { location: locate(place, node, key), hint, cause });
}

function locate(place: ConfigPlace, node: CiValue | undefined, key: string | undefined): SourceLocation {
  if (isMap(node) && key !== undefined) return locationOfKey(node, key) ?? { file: place.file };
  return locationOf(node) ?? { file: place.file };
}

/** A value as a message shows it: scalars as written, anything else by its type. */
export function showValue(value: CiValue): string {
  return isScalar(value) ? String(value) : describeType(value);
}
