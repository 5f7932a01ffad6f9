/**
 * Step outputs in the `$GITHUB_OUTPUT` file format: `name<<DELIMITER`, the value, `DELIMITER`
 * (docs "Workflow commands for GitHub Actions", "Multiline strings"; @actions/core
 * prepareKeyValueMessage). The delimiter is random per value and checked against the name and
 * the value, so no value can end its entry early and set another output.
 */
import { randomUUID } from 'node:crypto';
import { InternalError } from '../errors.js';

export function formatOutputs(outputs: Readonly<Record<string, string>>, newDelimiter: () => string = () => `ghadelimiter_${randomUUID()}`): string {
  let text = '';
  for (const [name, value] of Object.entries(outputs)) {
    const delimiter = newDelimiter();
    if (name.includes(delimiter) || value.includes(delimiter)) {
      throw new InternalError('output-delimiter', `output ${name}: the value contains its delimiter`);
    }
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return text;
}
