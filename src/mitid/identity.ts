import { IdpError } from '../errors/index.js';
import { isNsisLevel, lowerOf, NSIS_LEVELS, type NsisLevel } from './levels.js';
import type { BrokerPreset } from './presets.js';

// The verified MitID identity: read only from an ID token whose signature, issuer, audience, times and nonce were
// checked. The CPR is kept apart (`cpr`) so that callers can drop it before anything is stored.

export type MitidKind = 'person' | 'professional';

export interface VerifiedMitidIdentity {
  readonly kind: MitidKind;
  /** The broker's stable person identifier (the MitID UUID). */
  readonly uuid: string;
  /** Empty when the person has name and address protection. */
  readonly name: string;
  readonly nameAndAddressProtection: boolean;
  readonly birthdate?: string;
  readonly loa: NsisLevel;
  readonly ial?: NsisLevel;
  readonly aal?: NsisLevel;
  readonly fal?: NsisLevel;
  readonly transactionId?: string;
  /** Seconds since the epoch, as the broker reported it. */
  readonly authTime?: number;
  readonly professional?: {
    readonly uuid: string;
    readonly cvr: string;
    readonly organizationName: string;
    /** The NemID RID of a migrated employee, when the broker supplies it. */
    readonly rid?: string;
  };
  /** The NemID PID of a migrated user, when the broker supplies it. */
  readonly pid?: string;
}

const str = (claims: Record<string, unknown>, name: string): string | undefined => {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

function levelOf(preset: BrokerPreset, value: unknown): NsisLevel | undefined {
  if (typeof value !== 'string') return undefined;
  for (const level of NSIS_LEVELS) if (preset.levelValues[level] === value || level === value) return level;
  return undefined;
}

function acrLevel(preset: BrokerPreset, acr: unknown): NsisLevel | undefined {
  if (typeof acr !== 'string') return undefined;
  return NSIS_LEVELS.find((level) => preset.acr[level] === acr);
}

/**
 * The level achieved: the `acr` claim through the preset's table and the broker's LoA claim; with both, the lower
 * (a broker that contradicts itself gets no benefit of the doubt). Neither, or an unknown value: null.
 */
export function achievedLevel(preset: BrokerPreset, claims: Record<string, unknown>): NsisLevel | null {
  const fromAcr = claims['acr'] === undefined ? undefined : acrLevel(preset, claims['acr']);
  const fromLoa = claims[preset.claims.loa] === undefined ? undefined : levelOf(preset, claims[preset.claims.loa]);
  if ((claims['acr'] !== undefined && !fromAcr) || (claims[preset.claims.loa] !== undefined && !fromLoa)) return null;
  if (fromAcr && fromLoa) return lowerOf(fromAcr, fromLoa);
  return fromAcr ?? fromLoa ?? null;
}

const CPR = /^[0-9]{10}$/;
const CVR = /^[0-9]{8}$/;

/** Maps validated claims to the identity and the CPR (only when asked for and well formed). */
export function identityFromClaims(
  preset: BrokerPreset,
  claims: Record<string, unknown>,
  expected: { kind: MitidKind; cprRequested: boolean },
): { identity: VerifiedMitidIdentity; cpr?: string } {
  const c = preset.claims;
  const uuid = str(claims, c.uuid);
  if (!uuid) throw new IdpError('MITID_CLAIM_MISSING', `the ID token has no ${c.uuid}`);
  const loa = achievedLevel(preset, claims);
  if (!loa) throw new IdpError('MITID_ID_TOKEN_INVALID', 'the ID token states no known level of assurance');
  const protectedName = claims[c.nameAndAddressProtection] === true || claims[c.nameAndAddressProtection] === 'true';
  const name = str(claims, c.name) ?? [str(claims, c.givenName), str(claims, c.familyName)].filter(Boolean).join(' ');
  if (!name && !protectedName) throw new IdpError('MITID_CLAIM_MISSING', `the ID token has no ${c.name}`);

  const cvr = str(claims, c.cvr);
  const professionalUuid = str(claims, c.professionalUuid);
  const kind: MitidKind = cvr || professionalUuid ? 'professional' : 'person';
  if (kind !== expected.kind) throw new IdpError('MITID_IDENTITY_KIND_REFUSED', `a ${kind} identity where a ${expected.kind} identity was asked for`);
  let professional: VerifiedMitidIdentity['professional'];
  if (kind === 'professional') {
    if (!cvr || !CVR.test(cvr)) throw new IdpError('MITID_CLAIM_MISSING', `a professional identity without a valid ${c.cvr}`);
    if (!professionalUuid) throw new IdpError('MITID_CLAIM_MISSING', `a professional identity without ${c.professionalUuid}`);
    const rid = str(claims, c.rid);
    professional = { uuid: professionalUuid, cvr, organizationName: str(claims, c.organizationName) ?? '', ...(rid ? { rid } : {}) };
  }

  let cpr: string | undefined;
  if (expected.cprRequested) {
    const value = str(claims, c.cpr);
    const type = str(claims, c.cprType);
    const country = str(claims, c.cprCountry);
    if (!value || !CPR.test(value) || (type !== undefined && type !== 'PERSON') || (country !== undefined && country !== 'DK')) {
      throw new IdpError('MITID_CLAIM_MISSING', 'the CPR number the policy needs is missing or malformed');
    }
    cpr = value;
  }

  const ial = levelOf(preset, claims[c.ial]);
  const aal = levelOf(preset, claims[c.aal]);
  const fal = levelOf(preset, claims[c.fal]);
  const birthdate = str(claims, c.birthdate);
  const transactionId = str(claims, c.transactionId);
  const pid = str(claims, c.pid);
  const authTime = typeof claims['auth_time'] === 'number' ? claims['auth_time'] : undefined;
  const identity: VerifiedMitidIdentity = {
    kind,
    uuid,
    name: protectedName ? '' : name,
    nameAndAddressProtection: protectedName,
    ...(birthdate ? { birthdate } : {}),
    loa,
    ...(ial ? { ial } : {}),
    ...(aal ? { aal } : {}),
    ...(fal ? { fal } : {}),
    ...(transactionId ? { transactionId } : {}),
    ...(authTime !== undefined ? { authTime } : {}),
    ...(professional ? { professional } : {}),
    ...(pid ? { pid } : {}),
  };
  return { identity, ...(cpr ? { cpr } : {}) };
}

export { isNsisLevel };
