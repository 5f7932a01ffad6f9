/**
 * `workflow:` (docs: "workflow" in ci/yaml/_index and ci/yaml/workflow). Only its shape is
 * checked here; its rules are evaluated later. `workflow:rules` lists are flattened like job
 * rules, so `!reference` tags may bring in lists of rules.
 */
import { copyLocation, locationOfKey } from '../positions.js';
import { isMap, type CiMap, type CiValue } from '../value.js';
import { readMapEntry, setMapEntry } from './ci-map.js';
import { entryError } from './entry-error.js';
import { flattenRules } from './scripts.js';

export function readWorkflow(value: CiValue | undefined, config: CiMap): CiMap | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isMap(value)) throw entryError('workflow-format', 'workflow', 'config should be a hash', locationOfKey(config, 'workflow'));
  const rules = readMapEntry(value, 'rules');
  if (rules === undefined || rules === null) return value;
  const workflow: CiMap = { ...value };
  setMapEntry(workflow, 'rules', flattenRules(rules, 'workflow:rules config', locationOfKey(value, 'rules')));
  return copyLocation(value, workflow);
}
