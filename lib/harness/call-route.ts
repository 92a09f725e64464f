// Calls a route handler in-process the way Next.js would, with a Bearer token and a JSON body.
// Part of the harness the integration tests and the benchmarks drive Layerboard with; the app
// never imports lib/harness.
import "server-only";

export type RouteHandler<P> = (request: Request, context: { params: Promise<P> }) => Promise<Response>;

export const callRoute = async <P = Record<string, string>>(
  handler: RouteHandler<P>,
  options: { method?: string; url: string; token?: string; body?: unknown; rawBody?: string; params?: P; headers?: Record<string, string>; signal?: AbortSignal },
): Promise<Response> => {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined || options.rawBody !== undefined) headers["content-type"] = "application/json";
  const request = new Request(`http://localhost${options.url}`, {
    method: options.method ?? "GET",
    headers,
    body: options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    signal: options.signal,
  });
  return handler(request, { params: Promise.resolve((options.params ?? {}) as P) });
};
