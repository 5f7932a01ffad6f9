/**
 * An undici dispatcher that hands every request to the global `fetch`, which msw intercepts:
 * our HttpClient talks undici (`dispatcher.request`), below msw's reach, so tests give it this
 * dispatcher and msw answers at the wire like GitLab would. Nothing here decides an answer.
 */
import { Dispatcher } from 'undici';

export class FetchDispatcher extends Dispatcher {
  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    void this.forward(options, handler);
    return true;
  }

  override close(): Promise<void> {
    return Promise.resolve();
  }

  override destroy(): Promise<void> {
    return Promise.resolve();
  }

  private async forward(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): Promise<void> {
    const controller = new AbortController();
    try {
      handler.onConnect?.((error) => controller.abort(error));
      const url = new URL(options.path, String(options.origin));
      const response = await fetch(url, {
        method: options.method,
        headers: headersOf(options.headers),
        body: typeof options.body === 'string' || options.body instanceof Uint8Array ? options.body : undefined,
        redirect: 'manual',
        signal: controller.signal,
      });
      const rawHeaders: Buffer[] = [];
      response.headers.forEach((value, name) => rawHeaders.push(Buffer.from(name), Buffer.from(value)));
      handler.onHeaders?.(response.status, rawHeaders, () => undefined, response.statusText);
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length > 0) handler.onData?.(body);
      handler.onComplete?.([]);
    } catch (error) {
      handler.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function headersOf(headers: Dispatcher.DispatchOptions['headers']): Headers {
  const result = new Headers();
  if (headers === undefined || headers === null) return result;
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) result.append(String(headers[index]), String(headers[index + 1]));
    return result;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result.set(name, Array.isArray(value) ? value.join(', ') : String(value));
  }
  return result;
}
