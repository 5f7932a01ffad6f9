/**
 * Raw file texts kept across runs in the cache folder, content-addressed: a text is found under the
 * SHA-256 of its bytes (X-Gitlab-Content-Sha256) or its git blob id (X-Gitlab-Blob-Id, the `id` of
 * a repository tree entry), and checked against that digest when read back. The folder may be a
 * runner cache the project's own jobs can write, so an entry is a miss unless it is exactly the
 * content GitLab described in this run. Notes (which files a run read) are only hints for
 * choosing which request to send: a forged note costs a request, never a file.
 */
import { createHash } from 'node:crypto';
import type { ResponseCache } from './response-cache.js';

export interface ContentStore {
  /** The kept text whose SHA-256 this is. */
  lookup(sha256: string): Promise<string | undefined>;
  /** The kept text whose git blob id this is (SHA-1, or SHA-256 in a SHA-256 repository). */
  lookupBlob(blobId: string): Promise<string | undefined>;
  /**
   * Keeps `text` under each digest GitLab gave that it matches (text that is not the bytes GitLab
   * hashed, e.g. not UTF-8, matches none and is not kept), and records that `file` (path and ref,
   * as asked) was read, so the next run knows a HEAD for its digest may save the download.
   */
  store(text: string, digests: { readonly sha256: string | undefined; readonly blobId: string | undefined }, file: string): Promise<void>;
  /** Whether an earlier run kept an intact text for `file`. */
  holds(file: string): Promise<boolean>;
  /** The paths earlier runs read at one project and ref, and whether its tree listing has more than one page. */
  readNote(at: string): Promise<FilesNote>;
  writeNote(at: string, note: FilesNote): Promise<void>;
}

export interface FilesNote {
  readonly paths: readonly string[];
  readonly listingPages: 'one' | 'many' | 'unknown';
}

const EMPTY_NOTE: FilesNote = { paths: [], listingPages: 'unknown' };

export const sha256Of = (text: string): string => createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');

/** git's object id of a blob: the hash of `blob <size>\0` and the bytes (SHA-1, or SHA-256 for 64 hex digits). */
function gitBlobIdOf(text: string, algorithm: 'sha1' | 'sha256'): string {
  const bytes = Buffer.from(text, 'utf8');
  return createHash(algorithm).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

const blobAlgorithm = (blobId: string): 'sha1' | 'sha256' | undefined => (/^[0-9a-f]{40}$/.test(blobId) ? 'sha1' : /^[0-9a-f]{64}$/.test(blobId) ? 'sha256' : undefined);

export function contentStoreOf(cache: ResponseCache): ContentStore {
  const textKey = (sha256: string): string => `content sha256:${sha256}`;
  const blobKey = (blobId: string): string => `content blob:${blobId}`;
  const recordOf = (file: string): string => `file ${file}`;
  const noteOf = (at: string): string => `files at ${at}`;
  const keep = (key: string, digest: string, body: string): Promise<void> => cache.store(key, { etag: digest, status: 200, headers: {}, body });

  const lookup = async (sha256: string): Promise<string | undefined> => {
    const kept = await cache.lookup(textKey(sha256));
    return kept !== undefined && sha256Of(kept.body) === sha256 ? kept.body : undefined;
  };
  return {
    lookup,
    async lookupBlob(blobId) {
      const algorithm = blobAlgorithm(blobId);
      if (algorithm === undefined) return undefined;
      const kept = await cache.lookup(blobKey(blobId));
      return kept !== undefined && gitBlobIdOf(kept.body, algorithm) === blobId ? kept.body : undefined;
    },
    async store(text, { sha256, blobId }, file) {
      const algorithm = blobId === undefined ? undefined : blobAlgorithm(blobId);
      const bySha256 = sha256 !== undefined && sha256Of(text) === sha256;
      if (bySha256) await keep(textKey(sha256), sha256, text);
      if (blobId !== undefined && algorithm !== undefined && gitBlobIdOf(text, algorithm) === blobId) await keep(blobKey(blobId), blobId, text);
      if (bySha256) await keep(recordOf(file), sha256, '');
    },
    async holds(file) {
      const record = await cache.lookup(recordOf(file));
      return record !== undefined && /^[0-9a-f]{64}$/.test(record.etag) && (await lookup(record.etag)) !== undefined;
    },
    async readNote(at) {
      const kept = await cache.lookup(noteOf(at));
      try {
        const note = JSON.parse(kept?.body ?? 'null') as unknown;
        if (typeof note !== 'object' || note === null) return EMPTY_NOTE;
        const { paths, listingPages } = note as Record<string, unknown>;
        return {
          paths: Array.isArray(paths) ? paths.filter((path): path is string => typeof path === 'string') : [],
          listingPages: listingPages === 'one' || listingPages === 'many' ? listingPages : 'unknown',
        };
      } catch {
        return EMPTY_NOTE;
      }
    },
    async writeNote(at, note) {
      await keep(noteOf(at), '', JSON.stringify(note));
    },
  };
}
