/**
 * A pipeline's trigger jobs (bridges) with their downstream pipelines. Newer GitLab serves
 * `GET /projects/:id/pipelines/:pipeline_id/trigger_jobs` (lib/api/ci/pipelines.rb,
 * `present_pipeline_trigger_jobs`) and deprecates `/bridges`, the same list under its old name.
 * Rather than guess from a version number which instance has it, the new route is asked first;
 * an instance without it answers 404 (no such route), and then, for the rest of the run, the old
 * one is used. Any other failure is a failure (never "no trigger jobs").
 */
import { SourceError } from '../../errors.js';
import type { HttpClient } from '../../http/client.js';

export type TriggerJobsReader = (pipelinePath: string) => Promise<unknown[]>;

export function createTriggerJobsReader(client: HttpClient): TriggerJobsReader {
  let route: 'trigger_jobs' | 'bridges' | undefined;
  const all = async (path: string): Promise<unknown[]> => {
    const items: unknown[] = [];
    for await (const item of client.paginate(path)) items.push(item);
    return items;
  };
  return async (pipelinePath) => {
    if (route === 'bridges') return all(`${pipelinePath}/bridges`);
    try {
      const items = await all(`${pipelinePath}/trigger_jobs`);
      route = 'trigger_jobs';
      return items;
    } catch (error) {
      // Once the new route has answered, a 404 means the pipeline, not the route, is missing.
      if (route === undefined && error instanceof SourceError && error.code === 'http-404') {
        const items = await all(`${pipelinePath}/bridges`);
        route = 'bridges';
        return items;
      }
      throw error;
    }
  };
}
