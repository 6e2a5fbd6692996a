import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  // requireUser({ role }) answers 403 through Next's forbidden() and app/forbidden.tsx.
  experimental: { authInterrupts: true },
  async headers() {
    return [{
      source: '/:path*',
      headers: [
        { key: 'X-Frame-Options', value: 'DENY' },
        { key: 'X-Content-Type-Options', value: 'nosniff' },
        { key: 'Referrer-Policy', value: 'no-referrer' },
      ],
    }];
  },
};

export default config;
