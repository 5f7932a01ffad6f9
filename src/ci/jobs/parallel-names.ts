/**
 * The names GitLab gives the instances of a `parallel` job (lib/gitlab/ci/config/normalizer.rb
 * and its number and matrix strategies): `name 1/3` … `name 3/3` for `parallel: 3`, and
 * `name: [v1, v2]` for each combination of a `parallel:matrix` entry, values in the entry's key
 * order (docs "ci/yaml/#parallelmatrix", "Specify a parallelized job using needs with multiple
 * parallelized jobs"). Our engine keeps the job whole for GitLab to expand in the composed
 * pipeline; these names are only needed to check `needs` and `dependencies` as GitLab does.
 */
import { isMap, isSeq, type CiValue } from '../value.js';

/** Instance names of a job with this `parallel:` value; `undefined` when it is not parallel. */
export function parallelInstanceNames(name: string, parallel: CiValue | undefined): string[] | undefined {
  if (typeof parallel === 'number' && Number.isInteger(parallel) && parallel > 0) {
    return Array.from({ length: parallel }, (_, index) => `${name} ${index + 1}/${parallel}`);
  }
  if (isMap(parallel) && isSeq(parallel['matrix'])) return matrixInstanceNames(name, parallel['matrix']);
  return undefined;
}

/** `name: [v1, v2]` for every combination of every matrix entry, in GitLab's order. */
export function matrixInstanceNames(name: string, matrix: readonly CiValue[]): string[] {
  const names: string[] = [];
  for (const entry of matrix) {
    if (!isMap(entry)) continue;
    let combinations: (string | undefined)[][] = [[]];
    for (const value of Object.values(entry)) {
      // MatrixStrategy#name: values joined in key order, null values left out (`compact`).
      const choices = (isSeq(value) ? value : [value]).map((choice) => (choice === null ? undefined : String(choice)));
      combinations = combinations.flatMap((combination) => choices.map((choice) => [...combination, choice]));
    }
    names.push(...combinations.map((values) => `${name}: [${values.filter((value) => value !== undefined).join(', ')}]`));
  }
  return names;
}
