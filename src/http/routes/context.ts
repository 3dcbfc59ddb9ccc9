import type { LoginDeps } from '../../login/index.js';
import type { SamlContext } from '../../saml/index.js';
import type { OutcomeContext } from '../outcome.js';

/** What the SAML and login routes need, built by app.ts. */
export interface RouteContext extends OutcomeContext {
  readonly login: LoginDeps;
  samlContext(): SamlContext;
  /** The current signed IdP metadata document. */
  metadataXml(): string;
}
