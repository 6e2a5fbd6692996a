import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/**
 * An imitation of the gateway's side of the assertion contract: an ES256 key whose public half is served at
 * `/auth/jwks.json` on 127.0.0.1 (counting fetches), and assertions signed like the gateway signs them.
 */
export class ImitationGateway {
  jwksFetches = 0;
  jwksStatus = 200;

  private constructor(
    readonly url: string,
    readonly kid: string,
    readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    private readonly server: Server,
  ) {}

  static async start(): Promise<ImitationGateway> {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const kid = 'gw-' + Math.random().toString(36).slice(2, 10);
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    let self: ImitationGateway | undefined;
    const server = createServer((req, res) => {
      if (req.url !== '/auth/jwks.json' || self === undefined) {
        res.writeHead(404).end();
        return;
      }
      self.jwksFetches++;
      if (self.jwksStatus !== 200) {
        res.writeHead(self.jwksStatus, { 'Content-Type': 'text/plain' }).end('down');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new ImitationGateway(`http://127.0.0.1:${port}`, kid, privateKey, publicJwk, server);
    return self;
  }

  /** The claims the gateway sends for a signed-in user, `iat` now and `exp` 60 s later. */
  claims(extra: JWTPayload = {}): JWTPayload {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: this.url, aud: 'latchkey-app', sub: 'b1f0c7e2-4e0a-4c55-9d1e-1f2a3b4c5d6e', email: 'ada@example.test', name: 'Ada',
      org: 'org-1', roles: ['member'], iat: now, exp: now + 60, jti: crypto.randomUUID(), ...extra,
    };
  }

  /** Signs `payload` as the gateway does (ES256, `typ: JWT`, this key's `kid`), or with `key`/`header` overrides. */
  async sign(payload: JWTPayload, options: { key?: CryptoKey; header?: Record<string, unknown> } = {}): Promise<string> {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: this.kid, ...options.header })
      .sign(options.key ?? this.privateKey);
  }

  async assertion(extra: JWTPayload = {}): Promise<string> {
    return this.sign(this.claims(extra));
  }

  /** A gateway assertion without the named claims. */
  async assertionWithout(...names: string[]): Promise<string> {
    const claims = this.claims();
    for (const n of names) delete claims[n];
    return this.sign(claims);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** `header.payload.` with `alg: none`: an unsecured JWT (RFC 7519 §6). */
export function unsecured(payload: JWTPayload, header: Record<string, unknown> = { alg: 'none', typ: 'JWT' }): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64(header)}.${b64(payload)}.`;
}
