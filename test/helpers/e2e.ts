import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startService, type RunningService } from '../../src/app.js';
import { codeFor, TEST_USERS } from '../../src/simulator/index.js';
import { createTestDatabase } from './database.js';
import { captureLog } from './log-capture.js';

// End-to-end harness: the whole service (simulator environment, real PostgreSQL, real NemID simulator on its own
// port) with SPs played by an independent SAML library (@node-saml/node-saml), and a small cookie-keeping browser.

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/saml');
const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

export const SP_KEYS = {
  signingKey: read('sp-signing.TEST-ONLY.key.pem'),
  signingCert: read('sp-signing.TEST-ONLY.cert.pem'),
  encryptionKey: read('sp-encryption.TEST-ONLY.key.pem'),
  encryptionCert: read('sp-encryption.TEST-ONLY.cert.pem'),
};

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface TestSpDefinition {
  /** File name in METADATA_DIR and the SP's path on its fake host: https://<name>.sp.test/ */
  readonly name: string;
  /** Policy JSON (saml-profile.md §8.2). */
  readonly policy: Record<string, unknown>;
  readonly encrypt?: boolean;
  /** SingleLogoutService bindings in its metadata (node-saml writes HTTP-POST; default ['post']). */
  readonly sloBindings?: readonly ('redirect' | 'post')[];
}

export interface E2eService {
  readonly service: RunningService;
  readonly baseUrl: string;
  readonly simulatorUrl: string;
  readonly logs: ReturnType<typeof captureLog>;
  readonly databaseUrl: string;
  /** A node-saml SP for a registered test SP; each call gives a fresh instance with its own request cache. */
  sp(name: string, options?: { post?: boolean; forceAuthn?: boolean; passive?: boolean; identifierFormat?: string | null; idpInitiated?: boolean }): SAML;
  close(): Promise<void>;
}

function spEntityId(name: string) {
  return `https://${name}.sp.test/metadata`;
}

/** A node-saml SP for a test SP definition, against the IdP at `baseUrl` whose signing certificate is `idpCert`. */
export function nodeSamlFor(baseUrl: string, idpCert: string, def: TestSpDefinition, options: Parameters<E2eService['sp']>[1] = {}): SAML {
  return new SAML({
    entryPoint: `${baseUrl}/saml/sso`,
    logoutUrl: `${baseUrl}/saml/slo`,
    issuer: spEntityId(def.name),
    audience: spEntityId(def.name),
    callbackUrl: `https://${def.name}.sp.test/acs`,
    logoutCallbackUrl: `https://${def.name}.sp.test/slo`,
    idpCert,
    idpIssuer: baseUrl,
    privateKey: SP_KEYS.signingKey,
    ...(def.encrypt === false ? {} : { decryptionPvk: SP_KEYS.encryptionKey }),
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    identifierFormat: options.identifierFormat === undefined ? 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent' : options.identifierFormat,
    authnContext: ['urn:oasis:names:tc:SAML:2.0:ac:classes:X509'],
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    // An IdP-initiated response answers no request: the SP must accept it without InResponseTo.
    validateInResponseTo: options.idpInitiated ? ValidateInResponseTo.never : ValidateInResponseTo.always,
    forceAuthn: options.forceAuthn ?? false,
    passive: options.passive ?? false,
    acceptedClockSkewMs: 5000,
    ...(options.post ? { authnRequestBinding: 'HTTP-POST', skipRequestCompression: true } : {}),
  });
}

const SLO_BINDING_URI = { redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect', post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST' };

/** Replaces node-saml's one HTTP-POST SingleLogoutService with the bindings the test SP asks for (same Location). */
function withSloBindings(metadata: string, def: TestSpDefinition): string {
  if (!def.sloBindings) return metadata;
  const existing = /<SingleLogoutService Binding="[^"]+" Location="([^"]+)"\/>/.exec(metadata);
  if (!existing) throw new Error('node-saml metadata has no SingleLogoutService');
  const services = def.sloBindings.map((binding) => `<SingleLogoutService Binding="${SLO_BINDING_URI[binding]}" Location="${existing[1]}"/>`).join('');
  return metadata.replace(existing[0], services);
}

/** Starts the service on free ports with a fresh database and the given SPs registered (plus the demo SP). */
/** Registers a test SP in `metadataDir`: node-saml writes its metadata with its own keys; the policy beside it. */
export function writeTestSp(metadataDir: string, baseUrl: string, def: TestSpDefinition): void {
  const saml = nodeSamlFor(baseUrl, 'unused', def);
  const xml = withSloBindings(saml.generateServiceProviderMetadata(def.encrypt === false ? null : SP_KEYS.encryptionCert, SP_KEYS.signingCert), def);
  writeFileSync(join(metadataDir, `${def.name}.xml`), xml);
  writeFileSync(join(metadataDir, `${def.name}.json`), JSON.stringify(def.policy, null, 2));
}

/** An SP registered with metadata written by another SAML library. */
export interface RawSpDefinition {
  readonly name: string;
  readonly metadataXml: string;
  readonly policy: Record<string, unknown>;
}

export async function startE2eService(
  sps: readonly TestSpDefinition[],
  env: Record<string, string> = {},
  rawSps: readonly RawSpDefinition[] = [],
): Promise<E2eService> {
  const db = await createTestDatabase({ migrate: true, poolMax: 2 });
  const dataDir = mkdtempSync(join(tmpdir(), 'nemid-idp-e2e-data-'));
  const metadataDir = mkdtempSync(join(tmpdir(), 'nemid-idp-e2e-metadata-'));
  const [port, simulatorPort] = [await freePort(), await freePort()];
  const baseUrl = `http://localhost:${port}`;
  // The demo SP needs no file: the simulator environment derives its registration from IDP_BASE_URL.
  // node-saml needs a metadata document per SP: it writes one with its own keys.
  for (const def of sps) writeTestSp(metadataDir, baseUrl, def);
  for (const raw of rawSps) {
    writeFileSync(join(metadataDir, `${raw.name}.xml`), raw.metadataXml);
    writeFileSync(join(metadataDir, `${raw.name}.json`), JSON.stringify(raw.policy, null, 2));
  }
  const logs = captureLog();
  const service = await startService({
    env: {
      NEMID_ENVIRONMENT: 'simulator',
      DATA_DIR: dataDir,
      DATABASE_URL: db.url,
      METADATA_DIR: metadataDir,
      PORT: String(port),
      SIMULATOR_PORT: String(simulatorPort),
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '10000',
      ...env,
    },
    logDestination: logs.stream as never,
  });
  const idpCert = service.config.idp.signing.certPem;
  return {
    service,
    baseUrl,
    simulatorUrl: `http://localhost:${simulatorPort}`,
    logs,
    databaseUrl: db.url,
    sp: (name, options) => {
      const def = sps.find((candidate) => candidate.name === name);
      if (!def) throw new Error(`no test SP ${name}`);
      return nodeSamlFor(baseUrl, idpCert, def, options);
    },
    async close() {
      await service.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(metadataDir, { recursive: true, force: true });
    },
  };
}

/** A minimal browser: a cookie jar per origin, manual redirects, form posts. */
export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  private cookieHeader(url: URL): string | undefined {
    const cookies = this.jar.get(url.host);
    return cookies && cookies.size > 0 ? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private store(url: URL, response: Response): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>();
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(url.host, cookies);
  }

  cookies(host: string): Map<string, string> {
    return this.jar.get(host) ?? new Map();
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<{ status: number; url: string; text: string; headers: Headers }> {
    let target = new URL(url);
    let method = init.method ?? (init.form || init.json ? 'POST' : 'GET');
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : init.json !== undefined ? JSON.stringify(init.json) : undefined;
    for (let hop = 0; hop < 10; hop++) {
      const headers: Record<string, string> = { accept: 'text/html' };
      const cookie = this.cookieHeader(target);
      if (cookie) headers['cookie'] = cookie;
      if (body !== undefined) headers['content-type'] = init.json !== undefined ? 'application/json' : 'application/x-www-form-urlencoded';
      const response = await fetch(target, { method, headers, body, redirect: 'manual' });
      this.store(target, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, target);
        // Redirects that leave the IdP (to an SP) are returned to the caller, like a browser leaving the page.
        if (next.host !== target.host) return { status: response.status, url: next.toString(), text: '', headers: response.headers };
        target = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { status: response.status, url: target.toString(), text: await response.text(), headers: response.headers };
    }
    throw new Error('too many redirects');
  }
}

export function hiddenField(html: string, name: string): string | undefined {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return match ? decodeEntities(match[1]!) : undefined;
}

export function formAction(html: string): string | undefined {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The SAML POST page the IdP answered with: where it posts and the fields it carries. */
export function samlPostForm(html: string): { action: string; SAMLResponse: string; RelayState?: string } {
  const action = formAction(html);
  const SAMLResponse = hiddenField(html, 'SAMLResponse');
  if (!action || !SAMLResponse) throw new Error(`not a SAML POST page: ${html.slice(0, 300)}`);
  const RelayState = hiddenField(html, 'RelayState');
  return { action, SAMLResponse, ...(RelayState !== undefined ? { RelayState } : {}) };
}

/**
 * Plays the NemID client for a login page, as the real iframe would: takes the signed parameters from the page,
 * talks to the simulator's API as the test user (password, code card), and posts the client's result back.
 */
export async function loginWithSimulator(
  browser: TestBrowser,
  e2e: Pick<E2eService, 'baseUrl' | 'simulatorUrl'>,
  loginPage: { url: string; text: string },
  userId: string,
  options: { cancel?: boolean; beforePost?: (clientResult: string) => Promise<void> } = {},
): Promise<{ status: number; url: string; text: string }> {
  if (!loginPage.text.includes('id="nemid_parameters"')) {
    // The method choice comes first when the key file is on offer too: take the code card, as a user would.
    const chooser = /href="(\/login\/[^"]+method=codecard[^"]*)"/.exec(loginPage.text)?.[1];
    if (chooser) loginPage = await browser.request(new URL(chooser.replace(/&amp;/g, '&'), loginPage.url).toString());
  }
  const parameters = /<script type="text\/x-nemid" id="nemid_parameters">([\s\S]*?)<\/script>/.exec(loginPage.text)?.[1];
  if (!parameters) throw new Error(`no NemID parameters on the page: ${loginPage.text.slice(0, 400)}`);
  const csrf = hiddenField(loginPage.text, 'csrf');
  const action = formAction(loginPage.text.slice(loginPage.text.indexOf('id="postBackForm"') - 200));
  const origin = new URL(e2e.baseUrl).origin;
  const api = async (path: string, body: Record<string, unknown>) => {
    const response = await fetch(`${e2e.simulatorUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await response.json()) as { status: string; session?: string; key?: string; content?: string; command?: string };
  };
  const started = await api('/api/session', { client: 'js', parameters, messageOrigin: origin });
  let content: string;
  if (options.cancel) {
    const cancelled = await api(`/api/session/${started.session}/cancel`, { client: 'js' });
    content = cancelled.content ?? '';
  } else {
    const user = TEST_USERS.find((candidate) => candidate.userId === userId.replace(/^fault-.*/, 'fault'));
    if (!user) throw new Error(`no simulator user ${userId}`);
    const afterPassword = await api(`/api/session/${started.session}/password`, { client: 'js', userId, password: user.password });
    if (afterPassword.status !== 'code') {
      content = afterPassword.content ?? '';
    } else {
      const done = await api(`/api/session/${started.session}/code`, { client: 'js', code: codeFor(user.cardNumber, afterPassword.key ?? '') });
      content = done.content ?? '';
    }
  }
  if (!content) throw new Error('the simulator gave no client result');
  await options.beforePost?.(content);
  return browser.request(new URL(action ?? '', loginPage.url).toString(), { form: { response: content, csrf: csrf ?? '' } });
}
