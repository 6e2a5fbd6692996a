import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';

const dist = new URL('../dist/', import.meta.url);

async function builtModules(): Promise<Map<string, string>> {
  const files = (await readdir(dist)).filter((f) => f.endsWith('.js'));
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(new URL(f, dist), 'utf8')] as const)));
}

describe('package', () => {
  it('dist/index.js loads from a plain <script type="module">: only relative .js imports, no Node globals', async () => {
    const modules = await builtModules();
    assert.ok(modules.has('index.js'));
    for (const [file, source] of modules) {
      const specifiers = [...source.matchAll(/\b(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
      for (const specifier of specifiers) {
        assert.match(specifier ?? '', /^\.\/[\w-]+\.js$/, `${file} imports ${specifier}`);
        assert.ok(modules.has(specifier!.slice(2)), `${file} imports ${specifier}, which is built`);
      }
      assert.doesNotMatch(source, /\brequire\(|\bprocess\.|\bBuffer\b|node:/, `${file} uses a Node-only API`);
    }
  });

  it('no built module mentions a storage API', async () => {
    for (const [file, source] of await builtModules()) {
      assert.doesNotMatch(source, /localStorage|sessionStorage|document\.cookie|indexedDB/, file);
    }
  });

  it('resolves through its own package.json exports with zero runtime dependencies', async () => {
    const self = await import('@latchkey/client');
    assert.deepEqual(Object.keys(self).sort(), ['LatchkeyError', 'createGatewayClient', 'createTokenClient', 'mfaChallenge', 'toReturnTo']);
    const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest['dependencies'], undefined);
  });
});
