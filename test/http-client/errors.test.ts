/** One message per failure: endpoint, status, GitLab's words, a hint, and never the token. */
import { describe, expect, it } from 'vitest';
import { expectNoToken, failure, TOKEN, useScriptedServer } from './test-client.js';
import { json } from './local-servers.js';

const scripted = useScriptedServer();
const serve = scripted.serve;

describe('status errors', () => {
  it('401: names the endpoint and status, hints at the token, and redacts a token GitLab echoes', async () => {
    const { client, events } = await serve([json(401, { message: `401 Unauthorized: token ${TOKEN} revoked` })]);
    const error = await failure(client.request('GET', '/projects/acme%2Fweb'));
    expect(error.code).toBe('http-401');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`GET ${scripted.server.origin}/api/v4/projects/acme%2Fweb failed: HTTP 401 Unauthorized: 401 Unauthorized: token [redacted] revoked`);
    expect(error.hint).toContain('invalid, expired or revoked: check POLICY_SIDECAR_TOKEN');
    expectNoToken(error);
    expectNoToken(events);
    // The token went in the header, and only there.
    expect(scripted.server.requests[0]?.headers['private-token']).toBe(TOKEN);
    expect(scripted.server.requests[0]?.url).not.toContain(TOKEN);
  });

  it('403 with a personal token: read_api scope and visibility', async () => {
    const { client } = await serve([json(403, { error: 'insufficient_scope', error_description: 'The request requires higher privileges than provided by the access token.' })]);
    const error = await failure(client.request('GET', '/projects/1/repository/files/a.yml'));
    expect(error.code).toBe('http-403');
    expect(error.message).toContain('HTTP 403 Forbidden: insufficient_scope: The request requires higher privileges');
    expect(error.hint).toMatch(/read_api.*visibility/);
    expectNoToken(error);
  });

  it('403 with CI_JOB_TOKEN: the job token allowlist', async () => {
    const { client } = await serve([json(403, { message: '403 Forbidden' })], { credential: { header: 'JOB-TOKEN', value: TOKEN } });
    const error = await failure(client.request('GET', '/projects/9'));
    expect(error.hint).toContain('job token allowlist');
    expect(scripted.server.requests[0]?.headers['job-token']).toBe(TOKEN);
    expect(scripted.server.requests[0]?.headers['private-token']).toBeUndefined();
    expectNoToken(error);
  });

  it('404: the resource does not exist or the token cannot see it', async () => {
    const { client } = await serve([json(404, { message: '404 Project Not Found' })]);
    const error = await failure(client.request('GET', '/projects/acme%2Fsecret'));
    expect(error.code).toBe('http-404');
    expect(error.message).toContain('HTTP 404 Not Found: 404 Project Not Found');
    expect(error.hint).toContain('does not exist, or the token cannot see it');
    expectNoToken(error);
  });

  it('401 without any credential says no token was sent', async () => {
    const { client } = await serve([json(401, { message: '401 Unauthorized' })], { credential: undefined });
    const error = await failure(client.request('GET', '/projects/1'));
    expect(error.hint).toContain('No token was sent');
    expect(scripted.server.requests[0]?.headers['private-token']).toBeUndefined();
  });

  it('422 and 409 flatten GitLab field errors and truncate long bodies', async () => {
    const { client } = await serve([json(422, { message: { name: ['has already been taken'], path: ['is invalid'] } }), json(409, { message: 'x'.repeat(1000) })]);
    const invalid = await failure(client.request('POST', '/projects', { json: {} }));
    expect(invalid.code).toBe('http-422');
    expect(invalid.message).toContain('name has already been taken; path is invalid');
    const conflict = await failure(client.request('PUT', '/projects/1'));
    expect(conflict.code).toBe('http-409');
    expect(conflict.message.length).toBeLessThan(500);
    expect(conflict.message.endsWith('…')).toBe(true);
  });

  it('an HTML error page adds nothing to the status', async () => {
    const { client } = await serve([(_request, response) => response.writeHead(400, { 'content-type': 'text/html' }).end('<html>bad</html>')]);
    const error = await failure(client.request('GET', '/x'));
    expect(error.message).toBe(`GET ${scripted.server.origin}/api/v4/x failed: HTTP 400 Bad Request`);
  });

  it('a body that is not JSON fails json() with a named error instead of a SyntaxError', async () => {
    const { client } = await serve([(_request, response) => response.writeHead(200).end('<html>maintenance</html>')]);
    const response = await client.request('GET', '/projects/1');
    expect(() => response.json()).toThrow(expect.objectContaining({ code: 'http-invalid-json' }));
  });

  it('refuses to send the token to another origin', async () => {
    const { client } = await serve([]);
    const error = await failure(client.request('GET', 'http://127.0.0.1:1/api/v4/projects'));
    expect(error.code).toBe('http-cross-origin');
    expect(scripted.server.requests).toHaveLength(0);
  });

  it('sends the query, a user agent and JSON accept header; callers cannot override the credential', async () => {
    const { client } = await serve([json(200, {})]);
    await client.request('GET', 'projects/1/repository/files/ci%2Fa.yml', {
      query: { ref: 'main', recursive: true, page: 2, skip: undefined },
      headers: { 'PRIVATE-TOKEN': 'other', 'If-None-Match': 'W/"1"' },
    });
    const recorded = scripted.server.requests[0];
    expect(recorded?.url).toBe('/api/v4/projects/1/repository/files/ci%2Fa.yml?ref=main&recursive=true&page=2');
    expect(recorded?.headers['private-token']).toBe(TOKEN);
    expect(recorded?.headers['if-none-match']).toBe('W/"1"');
    expect(recorded?.headers['user-agent']).toBe('policy-sidecar');
    expect(recorded?.headers['accept']).toBe('application/json');
  });
});
