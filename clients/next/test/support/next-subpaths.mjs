// Next.js ships `next/server`, `next/headers`… as CommonJS files without an `exports` map, which bundlers
// resolve and Node's ESM resolver does not (it never adds `.js`). The package imports them the way Next.js
// apps do; for `node --test` this hook maps `next/<name>` to `next/<name>.js`.
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (/^next\\/[a-z-]+$/.test(specifier)) return next(specifier + '.js', context);
  return next(specifier, context);
}`));
