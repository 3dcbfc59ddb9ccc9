import type { BusinessRole } from '../../nemid/index.js';

// What the business step keeps in login_transactions.business_choice (JSON), in its three shapes:
//   { offered: [{cvr,name}…] }   state `business`: the list shown to the user, the only CVRs a form may choose
//   { cvr, name }                chosen: continue as owner of this business (finishLogin reads exactly this)
//   { private: true }            chosen: continue as a private person (or no business and that is allowed)
// The column is written only by this module; reading it back is still checked, so a row of another shape is no
// choice at all.

export type BusinessRecord =
  | { readonly kind: 'none' }
  | { readonly kind: 'offered'; readonly businesses: readonly BusinessRole[] }
  | { readonly kind: 'business'; readonly business: BusinessRole }
  | { readonly kind: 'private' };

const CVR = /^[0-9]{8}$/;

function asRole(value: unknown): BusinessRole | null {
  if (typeof value !== 'object' || value === null) return null;
  const { cvr, name } = value as Record<string, unknown>;
  return typeof cvr === 'string' && CVR.test(cvr) && typeof name === 'string' && name.length > 0 ? { cvr, name } : null;
}

export function readBusinessRecord(stored: Record<string, unknown> | null): BusinessRecord {
  if (!stored) return { kind: 'none' };
  if (stored['private'] === true && Object.keys(stored).length === 1) return { kind: 'private' };
  if (Array.isArray(stored['offered'])) {
    const businesses = stored['offered'].map(asRole);
    if (businesses.every((role): role is BusinessRole => role !== null)) return { kind: 'offered', businesses };
    return { kind: 'none' };
  }
  const business = asRole(stored);
  return business ? { kind: 'business', business } : { kind: 'none' };
}

export const offeredRecord = (businesses: readonly BusinessRole[]) => ({ offered: businesses.map(({ cvr, name }) => ({ cvr, name })) });
export const privateRecord = () => ({ private: true });
export const businessRecord = (business: BusinessRole) => ({ cvr: business.cvr, name: business.name });
