// What a login step asks the HTTP layer to do. Steps never write HTTP themselves: they return one of these.

/** Send the browser to our own page (always a path on the IdP, never a request-supplied URL). */
export interface RedirectOutcome {
  readonly type: 'redirect';
  readonly location: string;
}

/** Auto-POST a SAML message to an endpoint taken from the SP's metadata. */
export interface SamlPostOutcome {
  readonly type: 'saml-post';
  readonly action: string;
  readonly fields: Readonly<Record<string, string>>;
  /** Set when the CPR came from memory (not for a passive request): the page says so and offers "Glem det". */
  readonly rememberedCpr?: { readonly loginId: string; readonly spName: string };
}

/** Send the browser on with a SAML Redirect-binding URL (logout propagation). */
export interface SamlRedirectOutcome {
  readonly type: 'saml-redirect';
  readonly location: string;
}

/** Send the browser to the configured MitID broker's authorization endpoint (built by src/mitid, never from input). */
export interface BrokerRedirectOutcome {
  readonly type: 'broker-redirect';
  readonly location: string;
}

/** Render one of our pages. */
export interface PageOutcome<V = unknown> {
  readonly type: 'page';
  readonly view: V;
  readonly status?: number;
}

export type Outcome<V = unknown> = RedirectOutcome | SamlPostOutcome | SamlRedirectOutcome | BrokerRedirectOutcome | PageOutcome<V>;

/** Cookies a step wants set or cleared alongside its outcome. */
export interface CookieChanges {
  browserSecret?: string;
  sessionSecret?: string | null;
}
