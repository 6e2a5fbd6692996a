import { join } from './http.js';

/** The part of `window.location` this package reads and navigates with. */
export interface LocationLike {
  readonly origin: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
  assign(url: string): void;
}

/**
 * A `returnTo` value the gateway accepts: a same-origin relative path with exactly one leading
 * slash. `//evil.example/x` or `/\evil.example` would be read by browsers as another host, so
 * leading slashes and backslashes collapse to one `/`.
 */
export function toReturnTo(path: string): string {
  return '/' + path.replace(/^[/\\]+/, '');
}

/** The current page as a `returnTo` value: path, query and fragment; `/` when there is no page. */
export function currentReturnTo(location: LocationLike | undefined): string {
  if (location === undefined) return '/';
  return toReturnTo(location.pathname + location.search + location.hash);
}

/** `<baseUrl><loginPath>?returnTo=<encoded returnTo>`. */
export function loginUrl(baseUrl: string, loginPath: string, returnTo: string): string {
  const separator = loginPath.includes('?') ? '&' : '?';
  return join(baseUrl, loginPath) + separator + 'returnTo=' + encodeURIComponent(toReturnTo(returnTo));
}

export function browserLocation(): LocationLike | undefined {
  return typeof location === 'undefined' ? undefined : location;
}
