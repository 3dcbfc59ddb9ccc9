import { IdpError } from '../errors/index.js';
import type { NsisLevel } from './levels.js';

// Broker presets: how one MitID broker names scopes, claims and acr values. MITID_BROKER_PRESET picks one and
// MITID_CLAIMS_MAP (JSON) overrides entries, e.g. {"claims":{"uuid":"sub"},"acr":{"High":"urn:…"}}.

export interface BrokerPreset {
  readonly name: string;
  /** Scopes besides `openid`, by what the SP's policy needs. */
  readonly scopes: {
    readonly base: readonly string[];
    readonly cpr: readonly string[];
    readonly extra: readonly string[];
    readonly professional: readonly string[];
  };
  readonly claims: {
    readonly uuid: string;
    readonly name: string;
    readonly givenName: string;
    readonly familyName: string;
    readonly birthdate: string;
    readonly cpr: string;
    readonly cprType: string;
    readonly cprCountry: string;
    readonly ial: string;
    readonly loa: string;
    readonly aal: string;
    readonly fal: string;
    readonly nameAndAddressProtection: string;
    readonly transactionId: string;
    readonly cvr: string;
    readonly organizationName: string;
    readonly professionalUuid: string;
    readonly rid: string;
    readonly pid: string;
  };
  /** acr_values we send for each level, and how the answered `acr` maps back (unknown values fail closed). */
  readonly acr: Readonly<Record<NsisLevel, string>>;
  /** Values of the ial/aal/loa claims, by level. */
  readonly levelValues: Readonly<Record<NsisLevel, string>>;
  /** ID-token signature algorithms we accept from this broker (never `none`, never an HMAC). */
  readonly idTokenAlgorithms: readonly string[];
}

/**
 * Signicat's MitID OIDC interface. Person claims, scopes and level values from Signicat's "MitID user information
 * (claims and attributes)" / "Attributes reference" pages
 * (https://developer.signicat.com/identity-methods/mitid/attributes-reference/): scope `idp-id` → `idp_id`;
 * `profile` → `name`, `given_name`, `family_name`, `birthdate`; `nin` → `nin`, `nin_type` (PERSON),
 * `nin_issuing_country` (DK); `mitid-extra` → `mitid_transaction_id`, `mitid_name_and_address_protection`,
 * `mitid_ial`/`mitid_loa`/`mitid_aal`/`mitid_fal` with values LOW, SUBSTANTIAL, HIGH, and `mitid_uuid`.
 * Signicat's MitID Business claim names were not in the pages we could consult: the professional entries follow the
 * NemLog-in claim names that Signaturgruppen's broker documents (scope `nemlogin`, `nemlogin.cvr`,
 * `nemlogin.org_name`, `nemlogin.persistent_professional_id`, `nemlogin.nemid.rid`;
 * https://signaturgruppen-a-s.github.io/signaturgruppen-broker-documentation/idps/mitid-erhverv.html) and must be
 * checked against the broker contract and overridden with MITID_CLAIMS_MAP where they differ. acr values are the
 * NSIS LoA URIs, as brokers registered under NSIS use them.
 */
export const SIGNICAT: BrokerPreset = {
  name: 'signicat',
  scopes: { base: ['idp-id', 'profile'], cpr: ['nin'], extra: ['mitid-extra'], professional: ['nemlogin'] },
  claims: {
    uuid: 'idp_id',
    name: 'name',
    givenName: 'given_name',
    familyName: 'family_name',
    birthdate: 'birthdate',
    cpr: 'nin',
    cprType: 'nin_type',
    cprCountry: 'nin_issuing_country',
    ial: 'mitid_ial',
    loa: 'mitid_loa',
    aal: 'mitid_aal',
    fal: 'mitid_fal',
    nameAndAddressProtection: 'mitid_name_and_address_protection',
    transactionId: 'mitid_transaction_id',
    cvr: 'nemlogin.cvr',
    organizationName: 'nemlogin.org_name',
    professionalUuid: 'nemlogin.persistent_professional_id',
    rid: 'nemlogin.nemid.rid',
    pid: 'nemlogin.nemid.pid',
  },
  acr: {
    Low: 'https://data.gov.dk/concept/core/nsis/loa/Low',
    Substantial: 'https://data.gov.dk/concept/core/nsis/loa/Substantial',
    High: 'https://data.gov.dk/concept/core/nsis/loa/High',
  },
  levelValues: { Low: 'LOW', Substantial: 'SUBSTANTIAL', High: 'HIGH' },
  idTokenAlgorithms: ['RS256', 'PS256', 'ES256'],
};

export const PRESETS: Readonly<Record<string, BrokerPreset>> = { signicat: SIGNICAT };

const SECTIONS = ['scopes', 'claims', 'acr', 'levelValues'] as const;

/** The preset with MITID_CLAIMS_MAP applied: only known entries, with values of the same type. */
export function resolvePreset(name: string, overrides: Readonly<Record<string, unknown>>): BrokerPreset {
  const base = PRESETS[name];
  if (!base) throw new IdpError('CONFIG_INVALID', `MITID_BROKER_PRESET: unknown preset ${name}`);
  const result: Record<string, unknown> = { ...base };
  for (const [section, value] of Object.entries(overrides)) {
    if (section === 'idTokenAlgorithms') {
      if (!Array.isArray(value) || value.some((alg) => typeof alg !== 'string' || alg === 'none' || /^HS/.test(alg))) {
        throw new IdpError('CONFIG_INVALID', 'MITID_CLAIMS_MAP: idTokenAlgorithms must list asymmetric JWS algorithms');
      }
      result[section] = value;
      continue;
    }
    if (!(SECTIONS as readonly string[]).includes(section) || !value || typeof value !== 'object') {
      throw new IdpError('CONFIG_INVALID', `MITID_CLAIMS_MAP: unknown section ${section}`);
    }
    const current = base[section as (typeof SECTIONS)[number]] as Record<string, unknown>;
    const merged: Record<string, unknown> = { ...current };
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      if (!(key in current)) throw new IdpError('CONFIG_INVALID', `MITID_CLAIMS_MAP: unknown entry ${section}.${key}`);
      const expectsList = Array.isArray(current[key]);
      const ok = expectsList ? Array.isArray(entry) && entry.every((item) => typeof item === 'string') : typeof entry === 'string' && entry.length > 0;
      if (!ok) throw new IdpError('CONFIG_INVALID', `MITID_CLAIMS_MAP: ${section}.${key} must be ${expectsList ? 'a list of strings' : 'a string'}`);
      merged[key] = entry;
    }
    result[section] = merged;
  }
  return Object.freeze(result) as unknown as BrokerPreset;
}
