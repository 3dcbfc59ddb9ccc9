// Switches of the MitID broker simulator (POST {prefix}/control, JSON; DELETE resets): what its token endpoint and
// ID tokens do next. Each forgery is one attack the IdP must refuse (mitid.md, "The callback").

export const ID_TOKEN_FORGERIES = [
  'none',
  'other-key',
  'alg-none',
  'hs256-public-key',
  'expired',
  'not-yet-valid',
  'wrong-aud',
  'wrong-nonce',
  'lower-acr',
  'wrong-iss',
] as const;
export type IdTokenForgery = (typeof ID_TOKEN_FORGERIES)[number];

export const TOKEN_ENDPOINT_MODES = ['normal', 'error-500', 'timeout', 'expire-code'] as const;
export type TokenEndpointMode = (typeof TOKEN_ENDPOINT_MODES)[number];

export const CALLBACK_MODES = ['normal', 'omit-iss', 'wrong-iss'] as const;
export type CallbackMode = (typeof CALLBACK_MODES)[number];

export interface MitidControls {
  readonly idToken: IdTokenForgery;
  readonly tokenEndpoint: TokenEndpointMode;
  readonly callback: CallbackMode;
  /** An error the broker answers the next interactive login with instead of showing its screens. */
  readonly forceError: 'none' | 'server_error' | 'temporarily_unavailable';
}

export const DEFAULT_MITID_CONTROLS: MitidControls = { idToken: 'none', tokenEndpoint: 'normal', callback: 'normal', forceError: 'none' };

const CHOICES: Record<keyof MitidControls, readonly string[]> = {
  idToken: ID_TOKEN_FORGERIES,
  tokenEndpoint: TOKEN_ENDPOINT_MODES,
  callback: CALLBACK_MODES,
  forceError: ['none', 'server_error', 'temporarily_unavailable'],
};

/** The switches with `fields` applied, or null when a name or value is unknown. */
export function applyMitidControls(current: MitidControls, fields: Record<string, unknown>): MitidControls | null {
  const next: Record<string, string> = { ...current };
  for (const [name, value] of Object.entries(fields)) {
    if (name === 'rotateKey') continue;
    const choices = CHOICES[name as keyof MitidControls];
    if (!choices || typeof value !== 'string' || !choices.includes(value)) return null;
    next[name] = value;
  }
  return next as unknown as MitidControls;
}
