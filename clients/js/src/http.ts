/** The shape of `fetch` this package calls; inject your own to add cookies, tracing or tests. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** Header the gateway and the first-party API require on state-changing calls. */
export const CSRF_HEADER = 'X-CSRF';

/** `'/x'` becomes `baseUrl + '/x'`; absolute URLs and `Request` objects pass through unchanged. */
export function resolve(baseUrl: string, input: RequestInfo | URL): RequestInfo | URL {
  if (typeof input === 'string' && input.startsWith('/') && !input.startsWith('//')) {
    return join(baseUrl, input);
  }
  return input;
}

export function join(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

export function isRequest(input: RequestInfo | URL): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request;
}

/**
 * Returns `init` with `extra` headers set on top of the caller's: those of `init.headers`, or of
 * the `Request` when `init` has none (fetch lets `init.headers` replace a Request's headers).
 */
export function withHeaders(
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  extra: Readonly<Record<string, string>>,
): RequestInit {
  const headers = new Headers(init?.headers ?? (isRequest(input) ? input.headers : undefined));
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return { ...init, headers };
}

/** Frees the connection of an answer whose body nobody will read. */
export async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // already consumed or errored: nothing to free
  }
}

/** `fetch` bound to the global object (calling an unbound browser `fetch` throws "Illegal invocation"). */
export function defaultFetch(): FetchLike {
  return (input, init) => globalThis.fetch(input, init);
}
