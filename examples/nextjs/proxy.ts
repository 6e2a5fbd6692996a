import { latchkeyProxy } from '@latchkey/next/proxy';

// Everything is protected except the landing page, /session (which answers 401 itself) and /api/bff (reached
// through the gateway's API route with a Bearer token instead of an assertion; the notes API checks the token).
// Before Next.js 16 this file is middleware.ts and exports `middleware`.
export const proxy = latchkeyProxy({ publicPaths: ['/', '/session', '/api/bff'] });

export const config = {
  // Not for Next's own assets.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
