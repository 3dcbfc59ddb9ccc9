import * as oidc from 'openid-client';
import { IdpError } from '../errors/index.js';
import type { ClientKey } from './client-key.js';
import { identityFromClaims, achievedLevel, type MitidKind, type VerifiedMitidIdentity } from './identity.js';
import { satisfies, type LevelRequirement, type NsisLevel } from './levels.js';
import type { BrokerPreset } from './presets.js';
import { mapBrokerFailure } from './failures.js';

// The relying party towards one MitID broker, on openid-client (OpenID-certified): discovery once (retried after a
// failure), the authorization request with state, nonce and PKCE S256, and the callback: iss (mix-up), state,
// code exchange with our client authentication, and the ID token checked against the configured issuer's JWKS.

export interface BrokerClientOptions {
  readonly issuer: string;
  readonly clientId: string;
  readonly auth: { readonly method: 'private_key_jwt'; readonly key: ClientKey } | { readonly method: 'client_secret_basic'; readonly secret: string };
  readonly preset: BrokerPreset;
  readonly redirectUri: string;
  readonly timeoutMs: number;
  readonly clockSkewSeconds: number;
  readonly allowInsecureHttp: boolean;
  readonly now: () => Date;
}

/** What the login keeps between the redirect to the broker and the callback (never sent to the browser). */
export interface PendingAuthorization {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly requirement: LevelRequirement;
  readonly kind: MitidKind;
  readonly cprRequested: boolean;
  readonly prompt: 'login' | 'none' | null;
  /** Seconds since the epoch when the request was made: a forced login's auth_time may not be older. */
  readonly startedAt: number;
}

export interface AuthorizationInput {
  readonly requirement: LevelRequirement;
  readonly kind: MitidKind;
  readonly cprRequested: boolean;
  readonly forceAuthn: boolean;
  readonly isPassive: boolean;
  readonly language: string;
}

export interface BrokerClient {
  readonly issuer: string;
  authorizationRequest(input: AuthorizationInput): Promise<{ url: string; pending: PendingAuthorization }>;
  /** The callback URL as received; throws IdpError with a stable MITID_* (or SAML_NO_PASSIVE) code. */
  complete(callbackUrl: URL, pending: PendingAuthorization): Promise<{ identity: VerifiedMitidIdentity; cpr?: string }>;
  /** Discovery document and JWKS reachable now (for the readiness cache; never per login). */
  probe(): Promise<{ discovery: string | null; jwks: string | null }>;
}

export function scopesFor(preset: BrokerPreset, input: { kind: MitidKind; cprRequested: boolean }): string {
  const scopes = ['openid', ...preset.scopes.base, ...preset.scopes.extra];
  if (input.cprRequested) scopes.push(...preset.scopes.cpr);
  if (input.kind === 'professional') scopes.push(...preset.scopes.professional);
  return [...new Set(scopes)].join(' ');
}

/** acr_values for a requirement: the minimum level and those above it, or exactly the levels allowed. */
export function acrValuesFor(preset: BrokerPreset, requirement: LevelRequirement): string {
  const levels: NsisLevel[] = requirement.exactly
    ? [...requirement.exactly]
    : (['Low', 'Substantial', 'High'] as const).filter((level) => satisfies(level, requirement));
  return levels.map((level) => preset.acr[level]).join(' ');
}

export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  let configuration: Promise<oidc.Configuration> | null = null;
  const clientAuth =
    options.auth.method === 'private_key_jwt'
      ? oidc.PrivateKeyJwt({ key: options.auth.key.privateKey as unknown as CryptoKey, kid: options.auth.key.kid })
      : oidc.ClientSecretBasic(options.auth.secret);

  const discover = (): Promise<oidc.Configuration> => {
    configuration ??= oidc
      .discovery(
        new URL(options.issuer),
        options.clientId,
        {
          redirect_uris: [options.redirectUri],
          response_types: ['code'],
          [oidc.clockTolerance]: options.clockSkewSeconds,
          id_token_signed_response_alg: options.preset.idTokenAlgorithms[0]!,
          ...(options.auth.method === 'private_key_jwt' ? { token_endpoint_auth_method: 'private_key_jwt' } : { token_endpoint_auth_method: 'client_secret_basic' }),
        },
        clientAuth,
        { timeout: options.timeoutMs / 1000, ...(options.allowInsecureHttp ? { execute: [oidc.allowInsecureRequests] } : {}) },
      )
      .then((config) => {
        // The ID token comes from the token endpoint, but we verify its signature anyway (mitid.md, "The callback").
        oidc.enableNonRepudiationChecks(config);
        config.timeout = options.timeoutMs / 1000;
        return config;
      });
    configuration.catch(() => {
      configuration = null;
    });
    return configuration.catch((error: unknown) => {
      throw new IdpError('MITID_BROKER_UNAVAILABLE', 'MitID broker discovery failed', { cause: error });
    });
  };

  return {
    issuer: options.issuer,

    async authorizationRequest(input) {
      const config = await discover();
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const pending: PendingAuthorization = {
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        codeVerifier,
        requirement: input.requirement,
        kind: input.kind,
        cprRequested: input.cprRequested,
        prompt: input.isPassive ? 'none' : input.forceAuthn ? 'login' : null,
        startedAt: Math.floor(options.now().getTime() / 1000),
      };
      const parameters: Record<string, string> = {
        response_type: 'code',
        redirect_uri: options.redirectUri,
        scope: scopesFor(options.preset, input),
        state: pending.state,
        nonce: pending.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        acr_values: acrValuesFor(options.preset, input.requirement),
        ui_locales: input.language === 'en' ? 'en da' : 'da en',
      };
      if (pending.prompt) parameters['prompt'] = pending.prompt;
      return { url: oidc.buildAuthorizationUrl(config, parameters).href, pending };
    },

    async complete(callbackUrl, pending) {
      const config = await discover();
      const server = config.serverMetadata();
      // Mix-up defence (RFC 9207), before anything else is read from the response.
      const iss = callbackUrl.searchParams.get('iss');
      if (iss === null ? server.authorization_response_iss_parameter_supported === true : iss !== server.issuer) {
        throw new IdpError('MITID_ISSUER_MISMATCH', iss === null ? 'callback without iss from a broker that sends it' : 'callback iss is not the configured issuer');
      }
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: pending.codeVerifier,
          expectedState: pending.state,
          expectedNonce: pending.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw mapBrokerFailure(error);
      }
      const claims = tokens.claims() as Record<string, unknown> | undefined;
      if (!claims) throw new IdpError('MITID_ID_TOKEN_INVALID', 'no ID token in the token response');
      const header = JSON.parse(Buffer.from(String(tokens.id_token).split('.')[0] ?? '', 'base64url').toString('utf8')) as { alg?: unknown };
      if (typeof header.alg !== 'string' || !options.preset.idTokenAlgorithms.includes(header.alg)) {
        throw new IdpError('MITID_ID_TOKEN_INVALID', 'ID token algorithm not allowed');
      }
      const now = Math.floor(options.now().getTime() / 1000);
      if (typeof claims['iat'] !== 'number' || claims['iat'] > now + options.clockSkewSeconds) throw new IdpError('MITID_ID_TOKEN_INVALID', 'ID token issued in the future');
      const level = achievedLevel(options.preset, claims);
      if (!level) throw new IdpError('MITID_ID_TOKEN_INVALID', 'the ID token states no known level of assurance');
      if (!satisfies(level, pending.requirement)) {
        throw new IdpError('MITID_LEVEL_NOT_MET', `achieved ${level}, the SP asked for ${pending.requirement.exactly ? pending.requirement.exactly.join('/') : `at least ${pending.requirement.minimum}`}`);
      }
      if (pending.prompt === 'login') {
        const authTime = claims['auth_time'];
        if (typeof authTime !== 'number' || authTime < pending.startedAt - options.clockSkewSeconds) {
          throw new IdpError('MITID_AUTH_TIME_STALE', 'a forced login came back with an earlier authentication');
        }
      }
      return identityFromClaims(options.preset, claims, { kind: pending.kind, cprRequested: pending.cprRequested });
    },

    async probe() {
      const get = async (url: string) => {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs), headers: { accept: 'application/json' } });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return (await response.json()) as Record<string, unknown>;
      };
      let document: Record<string, unknown>;
      try {
        document = await get(`${options.issuer}/.well-known/openid-configuration`);
        if (document['issuer'] !== options.issuer) throw new Error('issuer in the discovery document differs');
      } catch (error) {
        return { discovery: (error as Error).message, jwks: 'not checked' };
      }
      try {
        const jwks = await get(String(document['jwks_uri']));
        if (!Array.isArray(jwks['keys']) || jwks['keys'].length === 0) throw new Error('no keys');
        return { discovery: null, jwks: null };
      } catch (error) {
        return { discovery: null, jwks: (error as Error).message };
      }
    },
  };
}
