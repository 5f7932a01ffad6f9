/**
 * Where rows go: a file (appended, cut back to a checkpoint's length on resume) or standard
 * output. Tracks the bytes written so the checkpoint can record them.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface RowSink {
  write(text: string): Promise<void>;
  readonly bytes: number;
  close(): Promise<void>;
}

export async function openFileSink(path: string, resumeAt: number | undefined): Promise<RowSink> {
  let handle: FileHandle;
  if (resumeAt === undefined) {
    handle = await open(path, 'w');
  } else {
    handle = await open(path, 'r+');
    await handle.truncate(resumeAt);
  }
  let bytes = resumeAt ?? 0;
  return {
    async write(text) {
      const buffer = Buffer.from(text, 'utf8');
      await handle.write(buffer, 0, buffer.length, bytes);
      bytes += buffer.length;
    },
    get bytes() {
      return bytes;
    },
    close: () => handle.close(),
  };
}

export function streamSink(stream: { write(text: string): void }): RowSink {
  let bytes = 0;
  return {
    async write(text) {
      stream.write(text);
      bytes += Buffer.byteLength(text);
    },
    get bytes() {
      return bytes;
    },
    close: async () => {},
  };
}
