/**
 * The shared dispatcher over real sockets: a CONNECT proxy on 127.0.0.1 and NO_PROXY, a
 * self-signed GitLab trusted only through CI_SERVER_TLS_CA_FILE, and include:remote using
 * the same dispatcher.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from 'undici';
import { SourceError } from '../../src/errors.js';
import { createDispatcher, type NetworkEnvironment } from '../../src/http/dispatcher.js';
import { createRemoteFetcher } from '../../src/http/remote-fetcher.js';
import { createTestClient, failure } from './test-client.js';
import { createSelfSignedCertificate, hasOpenssl, json, startScriptedServer, startTunnelProxy } from './local-servers.js';

const TIMEOUTS = { connectTimeoutMs: 1000, readTimeoutMs: 2000 };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function dispatcherFor(env: NetworkEnvironment): Dispatcher {
  const dispatcher = createDispatcher(env, TIMEOUTS);
  cleanups.push(() => dispatcher.close());
  return dispatcher;
}

async function gitlabAndProxy() {
  const server = await startScriptedServer([json(200, { id: 1 })]);
  const proxy = await startTunnelProxy();
  cleanups.push(() => server.close(), () => proxy.close());
  return { server, proxy };
}

describe('proxy', () => {
  it('sends requests through HTTP_PROXY when set', async () => {
    const { server, proxy } = await gitlabAndProxy();
    const { client } = createTestClient(server.origin, { dispatcher: dispatcherFor({ HTTP_PROXY: proxy.url }) });
    await expect(client.request('GET', '/projects/1').then((response) => response.json())).resolves.toEqual({ id: 1 });
    expect(proxy.tunnels).toEqual([server.origin.replace('http://', '')]);
  });

  it('lower-case http_proxy wins, and a scheme-less proxy is read as http://', async () => {
    const { server, proxy } = await gitlabAndProxy();
    const dispatcher = dispatcherFor({ http_proxy: proxy.url.replace('http://', ''), HTTP_PROXY: 'http://127.0.0.1:1' });
    await createTestClient(server.origin, { dispatcher }).client.request('GET', '/projects/1');
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('bypasses the proxy for a host NO_PROXY matches', async () => {
    const { server, proxy } = await gitlabAndProxy();
    const dispatcher = dispatcherFor({ HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'gitlab.example.com, 127.0.0.1' });
    await createTestClient(server.origin, { dispatcher }).client.request('GET', '/projects/1');
    expect(proxy.tunnels).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('still proxies when NO_PROXY names other hosts', async () => {
    const { server, proxy } = await gitlabAndProxy();
    const dispatcher = dispatcherFor({ http_proxy: proxy.url, no_proxy: 'gitlab.example.com,.corp' });
    await createTestClient(server.origin, { dispatcher }).client.request('GET', '/projects/1');
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('an HTTPS_PROXY alone does not proxy http:// targets', async () => {
    const { server, proxy } = await gitlabAndProxy();
    await createTestClient(server.origin, { dispatcher: dispatcherFor({ HTTPS_PROXY: proxy.url }) }).client.request('GET', '/projects/1');
    expect(proxy.tunnels).toEqual([]);
  });

  it('include:remote takes the same dispatcher, proxy included', async () => {
    const server = await startScriptedServer([(_request, response) => response.end('job:\n  script: x\n')]);
    const proxy = await startTunnelProxy();
    cleanups.push(() => server.close(), () => proxy.close());
    const fetcher = createRemoteFetcher({ allowedHosts: ['127.0.0.1'], maxBytes: 1024, timeoutMs: 2000, dispatcher: dispatcherFor({ HTTP_PROXY: proxy.url }) });
    await expect(fetcher.fetchText(`${server.origin}/ci.yml`)).resolves.toBe('job:\n  script: x\n');
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('rejects a proxy URL that is not http(s), without showing its password', () => {
    const error = (() => {
      try {
        createDispatcher({ HTTPS_PROXY: 'socks5://user:hunter2@proxy:1080' }, TIMEOUTS);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SourceError);
    expect(error).toMatchObject({ code: 'http-proxy-url' });
    expect(String((error as Error).message)).not.toContain('hunter2');
  });
});

describe('custom CA', () => {
  it('fails to read a CA file with http-ca-file naming the variable', () => {
    const missing = (): never => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    expect(() => createDispatcher({ CI_SERVER_TLS_CA_FILE: '/no/such.pem' }, TIMEOUTS, missing)).toThrow(
      expect.objectContaining({ code: 'http-ca-file', message: 'CI_SERVER_TLS_CA_FILE names `/no/such.pem`, which cannot be read' }),
    );
    expect(() => createDispatcher({ NODE_EXTRA_CA_CERTS: '/key.pem' }, TIMEOUTS, () => '-----BEGIN PRIVATE KEY-----')).toThrow(
      expect.objectContaining({ code: 'http-ca-file' }),
    );
  });

  describe.skipIf(!hasOpenssl())('with a self-signed GitLab (skipped: openssl is needed to make the certificate)', () => {
    async function selfSignedGitlab(responses: number) {
      const tls = createSelfSignedCertificate();
      const server = await startScriptedServer(Array.from({ length: responses }, () => json(200, { id: 1 })), tls);
      cleanups.push(() => tls.remove(), () => server.close());
      return { tls, server };
    }

    it('is rejected with http-tls and a CA hint when the CA is not trusted, without retrying', async () => {
      const { server } = await selfSignedGitlab(0);
      const { client, events } = createTestClient(server.origin, { dispatcher: dispatcherFor({}) });
      const error = await failure(client.request('GET', '/projects/1'));
      expect(error.code).toBe('http-tls');
      expect(error.retryable).toBe(false);
      expect(error.message).toContain('DEPTH_ZERO_SELF_SIGNED_CERT');
      expect(error.hint).toContain('CI_SERVER_TLS_CA_FILE');
      expect(events).toHaveLength(1);
    });

    it('is trusted through CI_SERVER_TLS_CA_FILE', async () => {
      const { tls, server } = await selfSignedGitlab(1);
      const { client } = createTestClient(server.origin, { dispatcher: dispatcherFor({ CI_SERVER_TLS_CA_FILE: tls.certPath }) });
      await expect(client.request('GET', '/projects/1').then((response) => response.json())).resolves.toEqual({ id: 1 });
    });

    it('is trusted through NODE_EXTRA_CA_CERTS, and through a proxy tunnel', async () => {
      const { tls, server } = await selfSignedGitlab(1);
      const proxy = await startTunnelProxy();
      cleanups.push(() => proxy.close());
      const dispatcher = dispatcherFor({ NODE_EXTRA_CA_CERTS: tls.certPath, HTTPS_PROXY: proxy.url });
      await expect(createTestClient(server.origin, { dispatcher }).client.request('GET', '/projects/1')).resolves.toMatchObject({ status: 200 });
      expect(proxy.tunnels).toEqual([server.origin.replace('https://', '')]);
    });
  });
});
