import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBrokerClient, loadClientKey, SIGNICAT, type BrokerClient } from '../../src/mitid/index.js';
import { createMitidBroker, type MitidBroker } from '../../src/simulator/mitid/broker.js';

// The MitID broker simulator on a loopback port with a relying party (src/mitid) registered at it, and a tiny
// user agent that walks the simulated screens: for tests of the broker client without the SAML front.

export interface BrokerHarness {
  readonly broker: MitidBroker;
  readonly client: BrokerClient;
  readonly issuer: string;
  readonly redirectUri: string;
  control(fields: Record<string, unknown>): Promise<void>;
  /** Follows the authorization URL through the screens as `userId`; returns the callback URL the broker sent. */
  login(authorizationUrl: string, userId: string, jar?: Map<string, string>): Promise<URL>;
  close(): Promise<void>;
}

export async function startBrokerHarness(): Promise<BrokerHarness> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = await loadClientKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), null);
  let broker: MitidBroker | undefined;
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/rp/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ keys: [key.publicJwk] }));
    }
    if (url.startsWith('/mitid-simulator') && broker) {
      const raw = req as typeof req & { originalUrl?: string };
      raw.originalUrl = url;
      raw.url = url.slice('/mitid-simulator'.length) || '/';
      return broker.listener(raw, res);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://localhost:${port}`;
  const issuer = `${origin}/mitid-simulator`;
  const redirectUri = 'http://localhost:1/login/mitid/callback';
  broker = createMitidBroker({
    issuer,
    mountPath: '/mitid-simulator',
    client: { clientId: 'test-rp', redirectUri, jwksUri: `${origin}/rp/jwks` },
    log: { info() {}, warn: (f: unknown, m?: string) => process.env['BROKER_DEBUG'] && console.error(m, JSON.stringify(f)), error: (f: unknown, m?: string) => console.error(m, f) },
    hangMs: 12_000, // longer than the client timeout below, so the timeout case times out
  });
  const client = createBrokerClient({
    issuer,
    clientId: 'test-rp',
    auth: { method: 'private_key_jwt', key },
    preset: SIGNICAT,
    redirectUri,
    timeoutMs: 8000, // generous: a loaded 2-core CI machine must not turn a slow answer into a false "unavailable"
    clockSkewSeconds: 60,
    allowInsecureHttp: true,
    now: () => new Date(),
  });

  async function login(authorizationUrl: string, userId: string, jar = new Map<string, string>()): Promise<URL> {
    let url = new URL(authorizationUrl);
    let method = 'GET';
    let body: string | undefined;
    for (let hop = 0; hop < 20; hop++) {
      const headers: Record<string, string> = {};
      if (jar.size > 0) headers['cookie'] = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
      const response = await fetch(url, { method, headers, body, redirect: 'manual' });
      for (const header of response.headers.getSetCookie()) {
        const [pair] = header.split(';');
        const eq = pair!.indexOf('=');
        jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
      }
      const location = response.headers.get('location');
      if (location) {
        const next = new URL(location, url);
        if (next.href.startsWith(redirectUri)) return next;
        url = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      const html = await response.text();
      const next = screenStep(html, userId);
      if (!next) throw new Error(`broker page without a way on (${response.status}): ${html.slice(0, 300)}`);
      url = new URL(next.action, url);
      method = 'POST';
      body = new URLSearchParams(next.fields).toString();
    }
    throw new Error('too many hops at the broker');
  }

  return {
    broker,
    client,
    issuer,
    redirectUri,
    async control(fields) {
      const response = await fetch(`${issuer}/control`, { method: 'POST', body: JSON.stringify(fields) });
      if (!response.ok) throw new Error(`control refused: ${await response.text()}`);
    },
    login,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a user does on a simulated MitID screen: type the user ID, approve in the app, allow the consent. */
export function screenStep(html: string, userId: string, options: { cancel?: boolean } = {}): { action: string; fields: Record<string, string> } | null {
  const action = (suffix: string) => new RegExp(`<form method="post" action="([^"]+/${suffix})"`).exec(html)?.[1]?.replace(/&amp;/g, '&');
  if (options.cancel && action('cancel')) return { action: action('cancel')!, fields: {} };
  if (action('login')) return { action: action('login')!, fields: { userId } };
  if (action('approve')) return { action: action('approve')!, fields: { userId } };
  if (action('consent')) return { action: action('consent')!, fields: {} };
  return null;
}
