/** Reading one `needs` entry (entry/need.rb): a job name, or a hash naming a job. */
import { isMap, type CiValue } from '../value.js';

/** The job a need names in this pipeline; `undefined` for cross-project and parent-pipeline needs. */
export function localNeedName(need: CiValue): string | undefined {
  if (typeof need === 'string') return need;
  if (!isMap(need) || typeof need['job'] !== 'string') return undefined;
  if (need['pipeline'] !== undefined || need['project'] !== undefined) return undefined;
  return need['job'];
}
