/**
 * The one undici dispatcher every request of a run shares (the GitLab client and
 * include:remote): connections are pooled, and proxy, CA and timeouts are decided once, from
 * the job's variables passed in, never from `process.env` behind our back.
 */
import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';
// Loaded with this module: compose and evaluate load it only when they read GitLab
// (test/cli/lazy-start.test.ts), serve and verify with their setup. A static import lets the
// bundle carry undici, which then loads in two thirds of the time it takes from node_modules
// (docs/performance.md "The bundle").
import { Agent, EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { SourceError } from '../errors.js';
import { redactUrlCredentials } from './redact.js';

/** The variables that shape the network; a CI job's environment fits. */
export interface NetworkEnvironment {
  readonly HTTPS_PROXY?: string;
  readonly HTTP_PROXY?: string;
  readonly NO_PROXY?: string;
  readonly https_proxy?: string;
  readonly http_proxy?: string;
  readonly no_proxy?: string;
  /** Set by the GitLab runner to the CA bundle of a GitLab with a private CA (a file path). */
  readonly CI_SERVER_TLS_CA_FILE?: string;
  readonly NODE_EXTRA_CA_CERTS?: string;
}

export interface DispatcherOptions {
  /** TCP connect plus TLS handshake, per connection (undici's default is 10 s). */
  readonly connectTimeoutMs: number;
  /** Longest wait for response headers, and longest silence while the body streams (undici's default is 300 s). */
  readonly readTimeoutMs: number;
}

export function createDispatcher(
  env: NetworkEnvironment,
  options: DispatcherOptions,
  readFile: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): Dispatcher {
  const ca = trustedCertificates(env, readFile);
  const tlsOptions = { timeout: options.connectTimeoutMs, ...(ca === undefined ? {} : { ca }) };
  const agentOptions = {
    connect: tlsOptions,
    headersTimeout: options.readTimeoutMs,
    bodyTimeout: options.readTimeoutMs,
  };
  const proxies = proxySettings(env);
  if (proxies === undefined) return new Agent(agentOptions);
  return new EnvHttpProxyAgent({
    ...agentOptions,
    // Through a tunnel, undici connects with these instead of `connect`: the CA must reach
    // the TLS session to GitLab (requestTls) and to an https:// proxy (proxyTls).
    requestTls: tlsOptions,
    proxyTls: tlsOptions,
    // Empty strings, not undefined: undici falls back to process.env for a missing value.
    httpProxy: proxies.http,
    httpsProxy: proxies.https,
    noProxy: proxies.noProxy,
  });
}

interface ProxySettings {
  readonly http: string;
  readonly https: string;
  readonly noProxy: string;
}

/** Lower case wins over upper case, as in curl and undici. An https proxy alone serves https only. */
function proxySettings(env: NetworkEnvironment): ProxySettings | undefined {
  const http = proxyUrl(env.http_proxy ?? env.HTTP_PROXY, 'HTTP_PROXY');
  const https = proxyUrl(env.https_proxy ?? env.HTTPS_PROXY, 'HTTPS_PROXY');
  if (http === '' && https === '') return undefined;
  return { http, https, noProxy: env.no_proxy ?? env.NO_PROXY ?? '' };
}

function proxyUrl(value: string | undefined, name: string): string {
  const text = value?.trim() ?? '';
  if (text === '') return '';
  // curl accepts `proxy.corp:3128` and assumes http://; so do we.
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new SourceError('http-proxy-url', `${name} \`${redactUrlCredentials(text)}\` is not a valid proxy URL`, {
      hint: `Set ${name} to a URL such as http://proxy.example.com:3128.`,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SourceError('http-proxy-url', `${name} \`${redactUrlCredentials(text)}\` uses ${url.protocol}, not http: or https:`, {
      hint: `Set ${name} to an http:// or https:// proxy URL.`,
    });
  }
  return withScheme;
}

/**
 * Node's `ca` option replaces the trusted set instead of adding to it, so an extra CA file is
 * combined with the default set. undefined means "no extra file": undici keeps Node's defaults.
 */
function trustedCertificates(env: NetworkEnvironment, readFile: (path: string) => string): string[] | undefined {
  const files = [
    ['CI_SERVER_TLS_CA_FILE', env.CI_SERVER_TLS_CA_FILE],
    ['NODE_EXTRA_CA_CERTS', env.NODE_EXTRA_CA_CERTS],
  ] as const;
  const extra = files.flatMap(([name, path]) => (path === undefined || path.trim() === '' ? [] : [readCertificateFile(name, path, readFile)]));
  if (extra.length === 0) return undefined;
  return [...defaultCertificates(), ...extra];
}

/** Node ≥ 22.15 can list its effective defaults (bundled + system store when enabled); older Nodes only the bundled ones. */
function defaultCertificates(): readonly string[] {
  const withDefaults = tls as typeof tls & { getCACertificates?: (kind: 'default') => string[] };
  return typeof withDefaults.getCACertificates === 'function' ? withDefaults.getCACertificates('default') : tls.rootCertificates;
}

function readCertificateFile(name: string, path: string, readFile: (path: string) => string): string {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    throw new SourceError('http-ca-file', `${name} names \`${path}\`, which cannot be read`, {
      hint: `Point ${name} at a readable PEM file holding the CA certificates that sign GitLab's certificate.`,
      cause: error,
    });
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new SourceError('http-ca-file', `${name} names \`${path}\`, which holds no PEM certificate`, {
      hint: `Point ${name} at a PEM file (-----BEGIN CERTIFICATE-----), not a DER or key file.`,
    });
  }
  return text;
}
