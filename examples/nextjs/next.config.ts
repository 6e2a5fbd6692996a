import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  // requireUser({ role }) answers 403 through Next's forbidden() and app/forbidden.tsx.
  experimental: { authInterrupts: true },
};

export default config;
