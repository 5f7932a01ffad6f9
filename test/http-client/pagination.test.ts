/** GitLab pagination over real HTTP: Link (keyset and offset), x-next-page, and the page guard. */
import { describe, expect, it } from 'vitest';
import { failure, useScriptedServer } from './test-client.js';
import { json } from './local-servers.js';
import { linkRelations, nextPageUrl } from '../../src/http/pagination.js';

const scripted = useScriptedServer();
const serve = scripted.serve;

async function collect(items: AsyncIterable<unknown>): Promise<unknown[]> {
  const result: unknown[] = [];
  for await (const item of items) result.push(item);
  return result;
}

describe('paginate', () => {

  it('follows Link rel="next" (keyset) across 3 pages, moving a foreign Link origin onto ours', async () => {
    const { client } = await serve([
      (request, response) => json(200, [1, 2], { link: `<http://gitlab.internal/api/v4/groups/7/projects?cursor=abc%3D%3D&per_page=100>; rel="next"` })(request, response),
      json(200, [3, 4], { link: '</api/v4/groups/7/projects?cursor=def&per_page=100>; rel="next", </api/v4/groups/7/projects>; rel="first"' }),
      json(200, [5]),
    ]);
    await expect(collect(client.paginate('/groups/7/projects', { query: { pagination: 'keyset', order_by: 'id' } }))).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(scripted.server.requests.map((request) => request.url)).toEqual([
      '/api/v4/groups/7/projects?per_page=100&pagination=keyset&order_by=id',
      '/api/v4/groups/7/projects?cursor=abc%3D%3D&per_page=100',
      '/api/v4/groups/7/projects?cursor=def&per_page=100',
    ]);
  });

  it('follows x-next-page across 3 pages and keeps a per_page the caller set', async () => {
    const { client } = await serve([
      json(200, ['a'], { 'x-next-page': '2' }),
      json(200, ['b'], { 'x-next-page': '3' }),
      json(200, ['c'], { 'x-next-page': '' }),
    ]);
    await expect(collect(client.paginate('/projects/1/repository/tree', { query: { per_page: 1, ref: 'main' } }))).resolves.toEqual(['a', 'b', 'c']);
    expect(scripted.server.requests.map((request) => request.url)).toEqual([
      '/api/v4/projects/1/repository/tree?per_page=1&ref=main',
      '/api/v4/projects/1/repository/tree?per_page=1&ref=main&page=2',
      '/api/v4/projects/1/repository/tree?per_page=1&ref=main&page=3',
    ]);
  });

  it('stops with http-too-many-pages past maxPages', async () => {
    const { client } = await serve([json(200, [1], { 'x-next-page': '2' }), json(200, [2], { 'x-next-page': '3' })], { maxPages: 2 });
    const error = await failure(collect(client.paginate('/projects')));
    expect(error.code).toBe('http-too-many-pages');
  });

  it('a page that is not a JSON list is an error, and an accepted 404 is an empty listing', async () => {
    const { client } = await serve([json(200, { id: 1 }), json(404, { message: '404 Not Found' })]);
    await expect(failure(collect(client.paginate('/projects/1')))).resolves.toMatchObject({ code: 'http-not-a-list' });
    await expect(collect(client.paginate('/projects/2/members', { acceptStatuses: [404] }))).resolves.toEqual([]);
  });
});

describe('Link header', () => {
  it('reads several relations, quoted or not, and several names in one rel', () => {
    const relations = linkRelations('<https://g/a?page=2>; rel="next", <https://g/a?page=1>; rel=first, <https://g/a?page=9>; rel="last prev"');
    expect(Object.fromEntries(relations)).toEqual({ next: 'https://g/a?page=2', first: 'https://g/a?page=1', last: 'https://g/a?page=9', prev: 'https://g/a?page=9' });
  });

  it('has no next page without Link next or a numeric x-next-page', () => {
    expect(nextPageUrl(new URL('https://g/api/v4/x'), { link: '<https://g/a>; rel="first"' }, 'https://g')).toBeUndefined();
  });
});
