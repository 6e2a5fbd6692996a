import { latchkeyProxy } from '@latchkey/next/proxy';

// Everything is protected except the landing page and /session (which answers 401 itself).
// Before Next.js 16 this file is middleware.ts and exports `middleware`.
export const proxy = latchkeyProxy({ publicPaths: ['/', '/session'] });

export const config = {
  // Not for Next's own assets.
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
