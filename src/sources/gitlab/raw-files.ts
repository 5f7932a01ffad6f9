/**
 * Reading repository files (`GET /projects/:id/repository/files/:file_path/raw`), with a cache
 * folder asking GitLab only what may have changed (docs/gitlab-api.md "Caching across runs").
 * GitLab honours no conditional request on the raw route (lib/api/files.rb sends
 * `no_cache_headers`, no ETag), but sends the file's digests with it and with the file's metadata
 * (`set_http_headers(blob_data)`: X-Gitlab-Content-Sha256, X-Gitlab-Blob-Id). Per file, the
 * cheapest request that still gets a digest from GitLab in this run:
 * - nothing kept: the download, whose headers name the digests it is kept under;
 * - earlier runs read two or more files at this project and ref: the repository tree, one page
 *   (an ETag-revalidated JSON answer: a 304 when nothing changed), whose entries give every file's
 *   blob id, so all those files cost one request and no round after the first;
 * - one kept file: its metadata HEAD (X-Gitlab-Content-Sha256).
 * A kept text is used only when it matches the digest GitLab gave; otherwise the file is downloaded.
 */
import { encodePathSegment } from '../../http/gitlab-paths.js';
import { nextPageUrl } from '../../http/pagination.js';
import type { ContentStore, FilesNote } from './content-store.js';
import { absentOn, parseJson } from './gitlab-api.js';
import type { GitlabTransport, TransportResponse } from './gitlab-transport.js';
import { checkResponse, list, object, string } from './response-shape.js';

export type RawFileReader = (project: string, path: string, ref: string | undefined) => Promise<string | undefined>;

const treeShape = list(object({ id: string, path: string, type: string }));

export function createRawFileReader(transport: GitlabTransport): RawFileReader {
  const contents = transport.contents;
  const files = new Map<string, Promise<string | undefined>>();
  const notes = new Map<string, Promise<NoteState>>();
  const listings = new Map<string, Promise<ReadonlyMap<string, string> | undefined>>();
  const memo = <T>(map: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> => {
    let value = map.get(key);
    if (value === undefined) {
      value = read();
      map.set(key, value);
    }
    return value;
  };

  /** What earlier runs, and this one so far, read at one project and ref. */
  const noteOf = (store: ContentStore, at: string): Promise<NoteState> =>
    memo(notes, at, async () => {
      const note = await store.readNote(at);
      return { readBefore: note.paths.length, paths: new Set(note.paths), listingPages: note.listingPages, written: Promise.resolve() };
    });
  /** Changes the note in memory at once; writes go one after another, each with the note as it is then. */
  const updateNote = async (store: ContentStore, at: string, change: (state: NoteState) => void): Promise<void> => {
    const state = await noteOf(store, at);
    change(state);
    state.written = state.written.then(() => store.writeNote(at, { paths: [...state.paths].sort(), listingPages: state.listingPages }));
    await state.written;
  };

  /** Blob ids by path at the project's ref, from a one-page tree listing; undefined when it is longer. */
  const listingOf = (store: ContentStore, project: string, ref: string | undefined, at: string): Promise<ReadonlyMap<string, string> | undefined> =>
    memo(listings, at, async () => {
      // Without `ref` the tree lists the default branch, which is what HEAD names in a GitLab repository.
      const query = { recursive: 'true', per_page: '100', ...(ref === undefined ? {} : { ref }) };
      const response = await transport.get(`projects/${encodePathSegment(project)}/repository/tree`, query).catch(() => undefined);
      if (response === undefined) return undefined;
      const here = new URL(`http://gitlab.invalid/?${new URLSearchParams(query).toString()}`);
      if (nextPageUrl(here, response.headers, here.origin) !== undefined) {
        // A long listing costs more than the HEADs it would save: the next runs ask per file.
        await updateNote(store, at, (state) => {
          state.listingPages = 'many';
        });
        return undefined;
      }
      let entries;
      try {
        entries = checkResponse(treeShape, parseJson(response.text, 'GET /projects/:id/repository/tree'), 'GET /projects/:id/repository/tree');
      } catch {
        // Only a shortcut, like the HEAD below: an odd answer leaves each file to its download.
        return undefined;
      }
      return new Map(entries.filter((entry) => entry.type === 'blob').map((entry) => [entry.path, entry.id]));
    });

  const download = async (filePath: string, ref: string | undefined): Promise<TransportResponse | undefined> =>
    // GitLab's `ref` is optional here (docs "api/repository_files": HEAD by default).
    absentOn([404], transport.get(`${filePath}/raw`, ref === undefined ? {} : { ref }));

  async function readKept(store: ContentStore, project: string, path: string, ref: string | undefined): Promise<string | undefined> {
    const filePath = `projects/${encodePathSegment(project)}/repository/files/${encodePathSegment(path)}`;
    // The metadata route requires `ref`; HEAD is what the raw route reads without one.
    const metadataQuery = { ref: ref ?? 'HEAD' };
    const file = `${filePath}?ref=${metadataQuery.ref}`;
    const at = `projects/${encodePathSegment(project)}?ref=${metadataQuery.ref}`;
    const note = await noteOf(store, at);
    // Decided by what earlier runs read, not this one: a cold run never lists the tree.
    const listing = note.readBefore >= 2 && note.listingPages !== 'many' ? await listingOf(store, project, ref, at) : undefined;
    if (listing !== undefined) {
      const blobId = listing.get(path);
      const kept = blobId === undefined ? undefined : await store.lookupBlob(blobId);
      if (kept !== undefined) return kept;
    } else if (await store.holds(file)) {
      // Only a shortcut: any failure (CI_JOB_TOKEN is not accepted there, so a private project
      // answers 404) leaves the answer to the download below, as without a cache.
      const head = await transport.head(filePath, metadataQuery).catch(() => undefined);
      const digest = sha256Header(head?.headers);
      const kept = digest === undefined ? undefined : await store.lookup(digest);
      if (kept !== undefined) return kept;
    }
    const response = await download(filePath, ref);
    if (response === undefined) return undefined;
    // Kept only under the digests this very answer gives, and only where the text matches them.
    await store.store(response.text, { sha256: sha256Header(response.headers), blobId: blobIdHeader(response.headers) }, file);
    if (!note.paths.has(path)) {
      await updateNote(store, at, (state) => {
        state.paths.add(path);
      });
    }
    return response.text;
  }

  return (project, path, ref) =>
    // Once per run: a second read of the file must not find the copy the first one just kept
    // and ask GitLab again (the transport memoises requests, not this choice between them).
    memo(files, JSON.stringify([project, path, ref ?? null]), async () => {
      if (contents !== undefined) return readKept(contents, project, path, ref);
      return (await download(`projects/${encodePathSegment(project)}/repository/files/${encodePathSegment(path)}`, ref))?.text;
    });
}

/** A note while this run reads: changed in memory, written after each change, in order. */
interface NoteState {
  /** How many files earlier runs read at this project and ref. */
  readonly readBefore: number;
  readonly paths: Set<string>;
  listingPages: FilesNote['listingPages'];
  written: Promise<void>;
}

/** The file's SHA-256 that GitLab sends in X-Gitlab-Content-Sha256, when it is one. */
function sha256Header(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  return /^[0-9a-f]{64}$/.exec(headers?.['x-gitlab-content-sha256'] ?? '')?.[0];
}

/** The file's git blob id that GitLab sends in X-Gitlab-Blob-Id, when it is one. */
function blobIdHeader(headers: Readonly<Record<string, string>> | undefined): string | undefined {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.exec(headers?.['x-gitlab-blob-id'] ?? '')?.[0];
}
