/**
 * Bytes of a CI file, policy file or template → text. GitLab's YAML reader refuses bytes that are
 * not UTF-8; a lenient decoder would turn them into U+FFFD and compose something GitLab never
 * would, so every place that reads such a file decodes here and fails at the first bad byte.
 */
import { ConfigError } from '../errors.js';

// ignoreBOM keeps a byte order mark as U+FEFF, as the YAML parser expects to see it.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenient = new TextDecoder('utf-8', { ignoreBOM: true });
const encoder = new TextEncoder();

/** `bytes` as UTF-8 text; a ConfigError (`invalid-utf8`) at file:line:column otherwise. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return strict.decode(bytes);
  } catch {
    throw invalidUtf8Error(bytes, file);
  }
}

function invalidUtf8Error(bytes: Uint8Array, file: string): ConfigError {
  // Every character before the first bad byte decoded as written, so re-encoding it counts the
  // bytes exactly; a U+FFFD that the file really contains (EF BF BD) is passed over.
  let offset = 0;
  let line = 1;
  let column = 1;
  for (const char of lenient.decode(bytes)) {
    const written = char === '\uFFFD' && bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd;
    if (char === '\uFFFD' && !written) break;
    offset += encoder.encode(char).length;
    if (char === '\n') {
      line += 1;
      column = 1;
    } else {
      column += 1;
    }
  }
  const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0');
  return new ConfigError('invalid-utf8', `not valid UTF-8 (byte 0x${byte})`, {
    location: { file, line, column },
    hint: 'GitLab reads CI configuration and policy files as UTF-8 only; save the file as UTF-8.',
  });
}
