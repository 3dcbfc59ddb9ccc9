import { BINDING_POST, BINDING_REDIRECT } from '../constants.js';
import type { RegisteredSp, SloEndpoint } from '../registry/types.js';

export type SamlBindingName = 'redirect' | 'post';

const URI: Record<SamlBindingName, string> = { redirect: BINDING_REDIRECT, post: BINDING_POST };

/** The SP's SingleLogoutService on `preferred` when it has one, else on the other binding; undefined without SLO. */
export function chooseSloEndpoint(sp: RegisteredSp, preferred: SamlBindingName = 'redirect'): { endpoint: SloEndpoint; binding: SamlBindingName } | undefined {
  const other: SamlBindingName = preferred === 'redirect' ? 'post' : 'redirect';
  for (const binding of [preferred, other]) {
    const endpoint = sp.sloEndpoints.find((candidate) => candidate.binding === URI[binding]);
    if (endpoint) return { endpoint, binding };
  }
  return undefined;
}
