/**
 * GitLab list endpoints (docs "api/rest/#pagination"): offset pagination announces the next
 * page in `x-next-page` (and `Link`), keyset pagination only in `Link: <…>; rel="next"`.
 * `Link` is followed when present, so both kinds work without the caller saying which.
 */
import { SourceError } from '../errors.js';
import type { HttpResponse } from './client.js';

export interface PaginationLimits {
  /** Pages read before giving up: a guard against a server that never stops. */
  readonly maxPages: number;
  /** Where the token may go; next-page URLs are moved onto it. */
  readonly origin: string;
}

/**
 * Yields the items of each page. `fetchPage` returns a 2xx page, or a status the caller
 * accepted (e.g. 404), which ends the listing.
 */
export async function* paginateItems(
  firstUrl: URL,
  fetchPage: (url: URL) => Promise<HttpResponse>,
  limits: PaginationLimits,
  shown: (url: URL) => string,
): AsyncGenerator<unknown, void, undefined> {
  let url: URL | undefined = firstUrl;
  for (let page = 1; url !== undefined; page += 1) {
    if (page > limits.maxPages) {
      throw new SourceError('http-too-many-pages', `GET ${shown(firstUrl)} has more than ${limits.maxPages} pages`, {
        hint: 'Narrow the listing (a filter or a search), or raise the page limit.',
      });
    }
    const response = await fetchPage(url);
    if (response.status < 200 || response.status >= 300) return;
    const items = response.json();
    if (!Array.isArray(items)) {
      throw new SourceError('http-not-a-list', `GET ${shown(url)} answered with a JSON ${items === null ? 'null' : typeof items}, not a list`, {
        hint: 'The endpoint is not a GitLab list endpoint: check the path.',
      });
    }
    yield* items;
    url = nextPageUrl(url, response.headers, limits.origin);
  }
}

export function nextPageUrl(current: URL, headers: Readonly<Record<string, string>>, origin: string): URL | undefined {
  const linked = linkRelations(headers['link'] ?? '').get('next');
  if (linked !== undefined) {
    const next = new URL(linked, current);
    // GitLab builds Link from its external_url, which behind a proxy may differ from the URL
    // we were given; the token only ever goes to our own origin, so the path moves onto it.
    return new URL(`${next.pathname}${next.search}`, origin);
  }
  const nextPage = headers['x-next-page']?.trim() ?? '';
  if (!/^\d+$/.test(nextPage)) return undefined;
  const next = new URL(current);
  next.searchParams.set('page', nextPage);
  return next;
}

/** RFC 8288 `Link`: `<url>; rel="next", <url>; rel="first"`; a rel may list several names. */
export function linkRelations(header: string): Map<string, string> {
  const relations = new Map<string, string>();
  for (const match of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const target = match[1];
    const params = match[2] ?? '';
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s";,]+))/i.exec(params);
    const names = rel?.[1] ?? rel?.[2];
    if (target === undefined || names === undefined) continue;
    for (const name of names.trim().toLowerCase().split(/\s+/)) {
      if (!relations.has(name)) relations.set(name, target);
    }
  }
  return relations;
}
