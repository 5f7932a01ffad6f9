/** The pipeline id a store record is filed under (src/cli/pipeline-id.ts): exact, or none. */
import { describe, expect, it } from 'vitest';
import { pipelineIdFrom } from '../../src/cli/pipeline-id.js';

describe('pipelineIdFrom', () => {
  it('takes a positive whole number a JavaScript number holds exactly', () => {
    expect(pipelineIdFrom('1')).toBe(1);
    expect(pipelineIdFrom('123456')).toBe(123456);
    expect(pipelineIdFrom(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses anything else, an id that would be rounded included', () => {
    for (const text of [undefined, '', '0', '01', '-1', '1.5', '1e3', ' 1', '12a', '9007199254740993', '12345678901234567']) expect(pipelineIdFrom(text)).toBeUndefined();
  });
});
