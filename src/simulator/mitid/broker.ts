import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { SIGNICAT, levelRank, type NsisLevel } from '../../mitid/index.js';
import type { SimLog } from '../http/types.js';
import { applyMitidControls, DEFAULT_MITID_CONTROLS, type MitidControls } from './controls.js';
import { forgeIdToken } from './forgery.js';
import { approveScreen, consentScreen, languageOf, userIdScreen } from './screens.js';
import { findMitidUser, MITID_TEST_USERS, type MitidTestUser } from './test-users.js';

// The MitID broker simulator: a real OpenID Provider (oidc-provider, OpenID-certified) speaking the default broker
// preset (Signicat's claim names) with simulated MitID screens and the test users of test-users.ts. A test double
// of an external service, for the simulator environment only; state in memory.

export interface MitidBrokerOptions {
  /** The issuer: the simulator origin + the mount path, e.g. http://localhost:8081/mitid-simulator. */
  readonly issuer: string;
  /** Path prefix on the simulator origin (the issuer's path). */
  readonly mountPath: string;
  /** The one registered client: the IdP. */
  readonly client: {
    readonly clientId: string;
    readonly redirectUri: string;
    /** private_key_jwt: where the broker fetches the IdP's keys; client_secret_basic: the secret. */
    readonly jwksUri?: string;
    readonly secret?: string;
  };
  readonly log: SimLog;
  /** How long the 'timeout' switch holds a token answer back (ended early when the caller gives up). */
  readonly hangMs?: number;
}

export interface MitidBroker {
  readonly issuer: string;
  readonly mountPath: string;
  /** The Node request listener for everything under mountPath (mounted raw: oidc-provider is a Koa app). */
  listener(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void;
  controls(): MitidControls;
  reset(): void;
}

const LEVELS: readonly NsisLevel[] = ['Low', 'Substantial', 'High'];

/** The level this user reaches for the acr_values asked: the lowest asked level they can reach, else their best. */
function achievedLevel(user: MitidTestUser, acrValues: unknown): NsisLevel {
  const asked = typeof acrValues === 'string' ? LEVELS.filter((level) => acrValues.split(' ').includes(SIGNICAT.acr[level])) : [];
  const reachable = asked.filter((level) => levelRank(level) <= levelRank(user.maxLevel));
  return reachable[0] ?? (asked.length === 0 ? 'Substantial' : user.maxLevel);
}

function claimsOf(user: MitidTestUser, acr: string | undefined): Record<string, unknown> {
  const c = SIGNICAT.claims;
  const aal = LEVELS.find((level) => SIGNICAT.acr[level] === acr) ?? 'Substantial';
  const loa = levelRank(user.ial) < levelRank(aal) ? user.ial : aal;
  const v = SIGNICAT.levelValues;
  return {
    sub: user.uuid,
    [c.uuid]: user.uuid,
    [c.name]: user.name,
    [c.givenName]: user.givenName,
    [c.familyName]: user.familyName,
    [c.birthdate]: user.birthdate,
    ...(user.cpr ? { [c.cpr]: user.cpr, [c.cprType]: 'PERSON', [c.cprCountry]: 'DK' } : {}),
    [c.ial]: v[user.ial],
    [c.aal]: v[aal],
    [c.fal]: v.High,
    [c.loa]: v[loa],
    ...(user.nameAndAddressProtection ? { [c.nameAndAddressProtection]: true } : {}),
    [c.transactionId]: `sim-${randomBytes(12).toString('hex')}`,
    ...(user.professional
      ? {
          [c.cvr]: user.professional.cvr,
          [c.organizationName]: user.professional.organizationName,
          [c.professionalUuid]: user.professional.uuid,
          ...(user.professional.rid ? { [c.rid]: user.professional.rid } : {}),
        }
      : {}),
  };
}

function newSigningKey(): { privateJwk: JWK; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateJwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: `sim-${randomBytes(6).toString('hex')}`, alg: 'RS256', use: 'sig' };
  return { privateJwk, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

// form-action names the relying party's origin too: browsers apply it to the redirects after a form post, and the
// last one goes to the IdP's callback.
function sendWith(formActionOrigin: string, res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${formActionOrigin}; frame-ancestors 'none'` });
  res.end(body);
}

export function createMitidBroker(options: MitidBrokerOptions): MitidBroker {
  let controls: MitidControls = { ...DEFAULT_MITID_CONTROLS };
  const rpOrigin = new URL(options.client.redirectUri).origin;
  const send = (res: ServerResponse, status: number, type: string, body: string) => sendWith(rpOrigin, res, status, type, body);
  let keys = [newSigningKey()];
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const hangMs = options.hangMs ?? 30_000;

  const build = (): Provider => {
    const c = SIGNICAT.claims;
    const configuration: Configuration = {
      clients: [
        {
          client_id: options.client.clientId,
          redirect_uris: [options.client.redirectUri],
          response_types: ['code'],
          grant_types: ['authorization_code'],
          id_token_signed_response_alg: 'RS256',
          ...(options.client.jwksUri
            ? { token_endpoint_auth_method: 'private_key_jwt', jwks_uri: options.client.jwksUri }
            : { token_endpoint_auth_method: 'client_secret_basic', client_secret: options.client.secret ?? '' }),
        },
      ],
      jwks: { keys: keys.map((key) => key.privateJwk) as never },
      cookies: { keys: cookieKeys },
      pkce: { required: () => true },
      responseTypes: ['code'],
      acrValues: LEVELS.map((level) => SIGNICAT.acr[level]),
      claims: {
        acr: null,
        auth_time: null,
        'idp-id': [c.uuid],
        profile: [c.name, c.givenName, c.familyName, c.birthdate],
        nin: [c.cpr, c.cprType, c.cprCountry],
        'mitid-extra': [c.ial, c.aal, c.fal, c.loa, c.nameAndAddressProtection, c.transactionId],
        nemlogin: [c.cvr, c.organizationName, c.professionalUuid, c.rid],
      },
      scopes: ['openid', 'idp-id', 'profile', 'nin', 'mitid-extra', 'nemlogin'],
      // Brokers put the identity claims into the ID token; oidc-provider by default keeps scope claims for userinfo.
      conformIdTokenClaims: false,
      // The simulator fetches the IdP's JWKS on loopback, which oidc-provider's SSRF guard (its dispatcher) refuses.
      fetch: (url, init) => {
        const { dispatcher: _guard, ...rest } = (init ?? {}) as RequestInit & { dispatcher?: unknown };
        return globalThis.fetch(url, rest);
      },
      features: { devInteractions: { enabled: false }, userinfo: { enabled: true } },
      interactions: { url: (_ctx, interaction) => `${options.mountPath}/interaction/${interaction.uid}` },
      findAccount: async (ctx: KoaContextWithOIDC, sub: string, token?: unknown) => {
        const user = MITID_TEST_USERS.find((candidate) => candidate.uuid === sub);
        if (!user) return undefined;
        const acr = (token as { acr?: string } | undefined)?.acr ?? ctx.oidc.session?.acr;
        return { accountId: sub, claims: async () => ({ ...claimsOf(user, acr), sub }) };
      },
      renderError: async (ctx, out) => {
        ctx.type = 'html';
        ctx.body = `<!doctype html><html lang="en"><head><title>MitID simulator error</title></head><body><main><h1>MitID simulator: ${String(out['error'] ?? 'error')}</h1><p>${String(out['error_description'] ?? '').replace(/[<>&"]/g, '')}</p></main></body></html>`;
      },
    };
    const provider = new Provider(options.issuer, configuration);
    provider.on('grant.error', (_ctx: unknown, error: Error & { error_detail?: string }) => options.log.warn({ error: error.message, detail: error.error_detail }, 'MitID simulator: token request refused'));
    provider.use(async (ctx, next) => {
      const isToken = ctx.path === '/token' && ctx.method === 'POST';
      if (isToken && controls.tokenEndpoint === 'error-500') {
        ctx.status = 500;
        ctx.type = 'text/plain';
        ctx.body = 'broker simulator: internal error (switch tokenEndpoint=error-500)';
        return;
      }
      if (isToken && controls.tokenEndpoint === 'timeout') {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, hangMs);
          ctx.req.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      if (isToken && controls.tokenEndpoint === 'expire-code') {
        controls = { ...controls, tokenEndpoint: 'normal' };
        ctx.status = 400;
        ctx.body = { error: 'invalid_grant', error_description: 'authorization code expired (switch tokenEndpoint=expire-code)' };
        return;
      }
      await next();
      const body = ctx.body as { id_token?: string } | undefined;
      if (isToken && body && typeof body.id_token === 'string' && controls.idToken !== 'none') {
        const signing = keys[0]!;
        ctx.body = { ...body, id_token: await forgeIdToken(body.id_token, controls.idToken, signing.privateJwk, signing.publicPem) };
        options.log.warn({ forgery: controls.idToken }, 'MitID simulator: forged the ID token');
      }
      const location = ctx.response.get('location');
      if (location && location.startsWith(options.client.redirectUri) && controls.callback !== 'normal') {
        const url = new URL(location);
        if (controls.callback === 'omit-iss') url.searchParams.delete('iss');
        else url.searchParams.set('iss', 'https://broker.attacker.invalid');
        ctx.redirect(url.href);
      }
    });
    return provider;
  };

  let provider = build();
  let callback = provider.callback();

  async function interaction(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse, path: string): Promise<void> {
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|approve|consent|cancel))?$/.exec(path);
    if (!match) return send(res, 404, 'text/plain', 'not found');
    const [, uid, step] = match;
    const action = `${options.mountPath}/interaction/${uid}`;
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return send(res, 400, 'text/html; charset=utf-8', userIdScreen(action, 'en', true).replace('Unknown user ID', 'This MitID session has expired'));
    }
    if (details.uid !== uid) return send(res, 400, 'text/plain', 'interaction mismatch');
    const lang = languageOf(details.params['ui_locales']);
    const finish = (result: Record<string, unknown>, merge = false) => provider.interactionFinished(req, res, result as never, { mergeWithLastSubmission: merge });

    if (req.method === 'GET' && !step) {
      if (details.prompt.name === 'login') {
        if (controls.forceError !== 'none') return finish({ error: controls.forceError, error_description: 'forced by the simulator control' });
        return send(res, 200, 'text/html; charset=utf-8', userIdScreen(action, lang));
      }
      const missing = (details.prompt.details['missingOIDCScope'] as string[] | undefined) ?? [];
      return send(res, 200, 'text/html; charset=utf-8', consentScreen(action, lang, missing));
    }
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed');
    const form = await readForm(req);
    if (step === 'cancel') return finish({ error: 'access_denied', error_description: 'the user cancelled in MitID' });
    if (step === 'login' || step === 'approve') {
      const user = findMitidUser(form['userId'] ?? '');
      if (!user) return send(res, 200, 'text/html; charset=utf-8', userIdScreen(action, lang, true));
      if (step === 'login') return send(res, 200, 'text/html; charset=utf-8', approveScreen(action, lang, user.userId));
      if (user.behaviour === 'cancel') return finish({ error: 'access_denied', error_description: 'the user cancelled in the MitID app' });
      if (user.behaviour === 'broker-error') return finish({ error: 'server_error', error_description: 'the broker simulator failed (test user)' });
      const level = achievedLevel(user, details.params['acr_values']);
      options.log.info({ userId: user.userId, level }, 'MitID simulator: login approved');
      return finish({ login: { accountId: user.uuid, acr: SIGNICAT.acr[level], amr: ['app'] } });
    }
    if (step === 'consent') {
      const accountId = details.session?.accountId;
      if (!accountId) return send(res, 400, 'text/plain', 'no login in this interaction');
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId: String(details.params['client_id']) });
      if (!grant) return send(res, 400, 'text/plain', 'grant not found');
      const missingScope = details.prompt.details['missingOIDCScope'] as string[] | undefined;
      if (missingScope) grant.addOIDCScope(missingScope.join(' '));
      const missingClaims = details.prompt.details['missingOIDCClaims'] as string[] | undefined;
      if (missingClaims) grant.addOIDCClaims(missingClaims);
      const grantId = await grant.save();
      return finish({ consent: { grantId } }, true);
    }
    return send(res, 404, 'text/plain', 'not found');
  }

  async function control(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'DELETE') {
      controls = { ...DEFAULT_MITID_CONTROLS };
      return send(res, 200, 'application/json', JSON.stringify(controls));
    }
    if (req.method !== 'POST') return send(res, 405, 'text/plain', 'method not allowed');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let fields: Record<string, unknown>;
    try {
      fields = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      return send(res, 400, 'application/json', JSON.stringify({ error: 'not JSON' }));
    }
    const next = applyMitidControls(controls, fields);
    if (!next) return send(res, 400, 'application/json', JSON.stringify({ error: 'unknown switch or value' }));
    controls = next;
    if (fields['rotateKey'] === true) {
      // The new key signs from now on; the old one stays published for tokens already issued.
      keys = [newSigningKey(), keys[0]!];
      provider = build();
      callback = provider.callback();
    }
    options.log.warn({ controls, rotated: fields['rotateKey'] === true }, 'MitID simulator: control switches set');
    return send(res, 200, 'application/json', JSON.stringify({ ...controls, signingKid: keys[0]!.privateJwk.kid }));
  }

  return {
    issuer: options.issuer,
    mountPath: options.mountPath,
    listener(req, res) {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const fail = (error: unknown) => {
        options.log.error({ err: error }, 'MitID simulator: request failed');
        if (!res.headersSent) send(res, 500, 'text/plain', 'MitID simulator error');
        else res.end();
      };
      if (path.startsWith('/interaction/')) return void interaction(req, res, path).catch(fail);
      if (path === '/control') return void control(req, res).catch(fail);
      return void Promise.resolve(callback(req, res)).catch(fail);
    },
    controls: () => controls,
    reset() {
      controls = { ...DEFAULT_MITID_CONTROLS };
    },
  };
}
