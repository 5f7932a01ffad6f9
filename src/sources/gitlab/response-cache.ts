/**
 * Responses kept across runs by ETag (SPEC §7 "cached by ETag across runs when a cache dir is
 * given"): the next run asks with If-None-Match and a 304 reuses the kept body. One JSON file
 * per request, named by a hash of the method, path and query (never the token: it is in a header
 * and the key is built before headers exist). A 304 comes only after GitLab has authorised the
 * request (Rack::ConditionalGet runs after the API), so a kept body is never shown to a caller
 * GitLab would refuse. Files are written to a temporary name and renamed: a crash or two jobs
 * sharing the folder never leave a half-written entry.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkResponse, integer, object, string, stringRecord, type ShapeOf } from './response-shape.js';

/** The file operations the cache needs; injectable for tests. */
export interface CacheFileSystem {
  /** The file's text, or undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
  writeFile(path: string, text: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
}

export const nodeCacheFileSystem: CacheFileSystem = {
  readFile: (path) => readFile(path, 'utf8').catch(() => undefined),
  writeFile: (path, text) => writeFile(path, text, { mode: 0o600 }),
  rename,
  mkdir: async (path) => {
    await mkdir(path, { recursive: true, mode: 0o700 });
  },
};

const cachedResponse = object({
  version: integer,
  etag: string,
  status: integer,
  /** Pagination and type headers, so a kept page still links to the next one. */
  headers: stringRecord,
  body: string,
});

export type CachedResponse = ShapeOf<typeof cachedResponse>;

/** The response headers worth keeping (lower-case names). */
export const KEPT_HEADERS = ['content-type', 'link', 'x-next-page', 'x-total', 'x-total-pages', 'x-page', 'x-per-page'] as const;

const FORMAT_VERSION = 1;

export interface ResponseCache {
  lookup(key: string): Promise<CachedResponse | undefined>;
  store(key: string, entry: Omit<CachedResponse, 'version'>): Promise<void>;
}

export function createResponseCache(dir: string, fs: CacheFileSystem = nodeCacheFileSystem): ResponseCache {
  let ready: Promise<void> | undefined;
  const fileOf = (key: string): string => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  return {
    async lookup(key) {
      const text = await fs.readFile(fileOf(key)).catch(() => undefined);
      if (text === undefined) return undefined;
      try {
        const entry = checkResponse(cachedResponse, JSON.parse(text), 'cache entry');
        return entry.version === FORMAT_VERSION ? entry : undefined;
      } catch {
        // A damaged or older entry is a miss: the request goes out without If-None-Match.
        return undefined;
      }
    },
    async store(key, entry) {
      const file = fileOf(key);
      const temporary = `${file}.${randomUUID()}.tmp`;
      try {
        ready ??= fs.mkdir(dir);
        await ready;
        await fs.writeFile(temporary, JSON.stringify({ version: FORMAT_VERSION, ...entry }));
        await fs.rename(temporary, file);
      } catch {
        // The cache only saves bandwidth: a read-only or full cache folder must not fail a
        // pipeline that GitLab itself answered. The next run simply asks again.
      }
    },
  };
}
