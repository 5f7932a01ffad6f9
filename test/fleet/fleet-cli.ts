/**
 * The fleet commands as a GitLab CI job runs them: the real CLI process against the fleet
 * stand-in (test/http/fleet-gitlab.ts) served over HTTP on 127.0.0.1, with the example
 * workspace's instance behind it for the security policy project.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runRealCli, repoRoot, type CliResult } from '../attacks/real-cli.js';
import { fleetStandIn, type FleetOptions, type FleetStandIn } from '../http/fleet-gitlab.js';
import { gitlabHandlersFor } from '../http/gitlab-handlers.js';
import { serveHandlers, type ServedHandlers, type ServeOptions } from '../http/serve-handlers.js';

export const TOKEN = 'glpat-fleet-secret-0123456789';

export interface FleetServer {
  readonly served: ServedHandlers;
  readonly fleet: FleetStandIn;
  readonly folder: string;
  cli(args: readonly string[], env?: Record<string, string>): Promise<CliResult>;
}

/** `workspace`: the folder whose fake instance serves the security policy project. */
export async function startFleet(options: Omit<FleetOptions, 'baseUrl' | 'token'>, serve: ServeOptions = {}, workspace = join(repoRoot, 'examples/workspace')): Promise<FleetServer> {
  let fleet: FleetStandIn | undefined;
  const served = await serveHandlers((baseUrl) => {
    fleet = fleetStandIn({ ...options, baseUrl, token: TOKEN });
    return [...fleet.handlers, ...gitlabHandlersFor(workspace, { baseUrl, token: TOKEN })];
  }, serve);
  const folder = await mkdtemp(join(tmpdir(), 'fleet-'));
  return {
    served,
    fleet: fleet as FleetStandIn, // set by serveHandlers before it resolves
    folder,
    cli: (args, env = {}) =>
      runRealCli(args, { cwd: folder, env: { CI_SERVER_URL: served.url, POLICY_SIDECAR_TOKEN: TOKEN, ...env } }),
  };
}

/** `startFleet` for one test file: every stand-in it starts is closed after the file's last test. */
export function fleetsOfFile(): (...args: Parameters<typeof startFleet>) => Promise<FleetServer> {
  const servers: FleetServer[] = [];
  afterAll(async () => {
    for (const server of servers) await server.served.close();
  });
  return async (...args) => {
    const server = await startFleet(...args);
    servers.push(server);
    return server;
  };
}
