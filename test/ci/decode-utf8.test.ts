import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeUtf8 } from '../../src/ci/decode-utf8.js';
import { ConfigError } from '../../src/errors.js';

function failure(bytes: Uint8Array): ConfigError {
  try {
    decodeUtf8(bytes, 'ci.yml');
  } catch (error) {
    if (error instanceof ConfigError) return error;
  }
  throw new Error('expected a ConfigError');
}

describe('decodeUtf8', () => {
  it('decodes UTF-8 as written, a byte order mark and a real U+FFFD included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(decodeUtf8(new TextEncoder().encode(text), 'ci.yml')).toBe(text);
      }),
    );
    expect(decodeUtf8(Buffer.from('\ufeffa: \ufffd\n', 'utf8'), 'ci.yml')).toBe('\ufeffa: \ufffd\n');
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x0a, 0x62, 0x80], 2, 2, '80'],
    ['Latin-1 é', [0x63, 0x61, 0x66, 0xe9], 1, 4, 'e9'],
    ['a truncated sequence at the end', [0xe2, 0x82], 1, 1, 'e2'],
    ['an overlong encoding of /', [0xc0, 0xaf], 1, 1, 'c0'],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80], 1, 1, 'ed'],
    ['after multi-byte characters and a real U+FFFD', [...Buffer.from('ü€\ufffd😀', 'utf8'), 0xff], 1, 5, 'ff'],
  ])('%s is an error at its line and column', (_case, bytes, line, column, byte) => {
    const error = failure(Uint8Array.from(bytes));
    expect(error.code).toBe('invalid-utf8');
    expect(error.location).toEqual({ file: 'ci.yml', line, column });
    expect(error.message).toBe(`not valid UTF-8 (byte 0x${byte})`);
  });
});
