import { randomInt } from 'node:crypto';
import type { SimulatorPki } from '../pki-port.js';
import type { SimulatorStore } from '../store-port.js';
import type { CprSealer } from './cpr-seal.js';
import { isCprFormat, normaliseCpr, substituteCpr } from './cpr-format.js';
import type { Business, SimUser, UserIdentity } from './model.js';
import { hashPassword } from './passwords.js';

// Creating a test user (issue 17 item 1), from the /developers/ form or the JSON API: the input is checked field by
// field, the identifiers the developer did not choose are generated (PID, card number, substitute CPR), the
// simulator's CA issues the certificate at once, and the user is stored.

export type UserType = 'poces' | 'moces' | 'owner';
export const USER_TYPES: readonly UserType[] = ['poces', 'moces', 'owner'];

/** What a developer may choose; every field is untrusted text (form) or JSON. */
export interface NewUserInput {
  userId?: unknown;
  password?: unknown;
  type?: unknown;
  name?: unknown;
  pseudonym?: unknown;
  cpr?: unknown;
  youth?: unknown;
  keyFile?: unknown;
  cvr?: unknown;
  rid?: unknown;
  company?: unknown;
  /** Business owner: [{cvr, name}] (JSON) or one pair as businessCvr/businessName (form). */
  businesses?: unknown;
  businessCvr?: unknown;
  businessName?: unknown;
}

export type CreateResult = { ok: true; user: SimUser } | { ok: false; error: CreateError; field?: string };
export type CreateError = 'invalid' | 'taken' | 'cannot-issue';

const USER_ID = /^[a-z0-9][a-z0-9._-]{2,39}$/;
const RESERVED = /^(error|fault)-/;
const NAME = /^[\p{L}\p{M}][\p{L}\p{M} .'-]{0,62}$/u;
const COMPANY = /^[\p{L}\p{M}0-9][\p{L}\p{M}0-9 .,&'/-]{0,62}$/u;
const CVR = /^[0-9]{8}$/;
const RID = /^[0-9]{1,8}$/;
const MAX_BUSINESSES = 5;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value.trim() : undefined);
const flag = (value: unknown): boolean => value === true || value === 'true' || value === 'on' || value === '1';
const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

type Checked = { ok: true; value: Omit<UserIdentity, 'cardNumber'> & { password: string; cpr?: string } } | { ok: false; field: string };

function check(input: NewUserInput, now: Date): Checked {
  const userId = text(input.userId)?.toLowerCase() ?? '';
  if (!USER_ID.test(userId) || RESERVED.test(userId)) return { ok: false, field: 'userId' };
  const password = typeof input.password === 'string' ? input.password : '';
  if (password.length < 4 || password.length > 64 || /[\u0000-\u001f\u007f]/.test(password)) return { ok: false, field: 'password' };
  const type = text(input.type) ?? 'poces';
  if (!(USER_TYPES as readonly string[]).includes(type)) return { ok: false, field: 'type' };
  const pseudonym = flag(input.pseudonym);
  const name = text(input.name) ?? '';
  if (!pseudonym && !NAME.test(name)) return { ok: false, field: 'name' };
  const youth = flag(input.youth);
  if (youth && type === 'moces') return { ok: false, field: 'youth' };
  const typedCpr = text(input.cpr) ?? '';
  let cpr: string | undefined;
  if (typedCpr === '') cpr = substituteCpr(now, youth ? 16 : 30 + randomInt(40));
  else if (typedCpr.toLowerCase() === 'none') cpr = undefined;
  else {
    const normalised = normaliseCpr(typedCpr);
    if (!normalised || !isCprFormat(normalised)) return { ok: false, field: 'cpr' };
    cpr = normalised;
  }
  const businesses: Business[] = [];
  if (type === 'owner') {
    const given = Array.isArray(input.businesses) ? input.businesses : [{ cvr: input.businessCvr, name: input.businessName }];
    if (given.length === 0 || given.length > MAX_BUSINESSES) return { ok: false, field: 'businesses' };
    for (const entry of given) {
      const cvr = text((entry as Record<string, unknown> | null)?.['cvr']) || `9999${digits(4)}`;
      const businessName = text((entry as Record<string, unknown> | null)?.['name']) ?? '';
      if (!CVR.test(cvr) || !COMPANY.test(businessName)) return { ok: false, field: 'businesses' };
      businesses.push({ cvr, name: businessName });
    }
  }
  const certificate: UserIdentity['certificate'] = { kind: type === 'moces' ? 'MOCES' : 'POCES', commonName: pseudonym ? 'Pseudonym' : name, youth, revoked: false, expired: false };
  if (type === 'moces') {
    const cvr = text(input.cvr) || `9999${digits(4)}`;
    const rid = text(input.rid) || `9${digits(7)}`;
    const company = text(input.company) ?? '';
    if (!CVR.test(cvr)) return { ok: false, field: 'cvr' };
    if (!RID.test(rid)) return { ok: false, field: 'rid' };
    if (!COMPANY.test(company)) return { ok: false, field: 'company' };
    Object.assign(certificate, { cvr, rid, company });
  } else {
    certificate.pid = `9999-2002-2-${digits(12)}`;
  }
  return {
    ok: true,
    value: {
      userId,
      password,
      ...(cpr === undefined ? {} : { cpr }),
      hasKeyFile: flag(input.keyFile),
      cardOnly: true,
      certificate,
      identityAssuranceLevel: '2',
      businesses,
    },
  };
}

export interface CreateDeps {
  store: SimulatorStore;
  pki: SimulatorPki;
  sealer: CprSealer;
  now: Date;
}

export async function createUser(input: NewUserInput, deps: CreateDeps): Promise<CreateResult> {
  const checked = check(input, deps.now);
  if (!checked.ok) return { ok: false, error: 'invalid', field: checked.field };
  const { password, cpr, ...rest } = checked.value;
  if (await deps.store.users.find(rest.userId)) return { ok: false, error: 'taken', field: 'userId' };
  if (!deps.pki.issueCertificate) return { ok: false, error: 'cannot-issue' };
  const identity: UserIdentity = { ...rest, cardNumber: `G${digits(9)}` };
  const credential = await deps.pki.issueCertificate(identity, deps.now);
  const user: SimUser = {
    ...identity,
    eid: 'nemid',
    origin: 'created',
    passwordHash: await hashPassword(password),
    ...(cpr === undefined ? {} : { cpr: deps.sealer.seal(cpr) }),
    credential,
    createdAt: deps.now,
  };
  // A clash on the generated PID or card number (1 in 10^12 / 10^9) reads as "taken"; the developer tries again.
  return (await deps.store.users.insert(user)) ? { ok: true, user } : { ok: false, error: 'taken', field: 'userId' };
}

/** Values for the form's "Autofill" button: valid, fresh and obviously invented. */
export function autofillValues(now: Date): Record<string, string> {
  const first = ['Anna', 'Bo', 'Carla', 'Dennis', 'Ella', 'Frej', 'Greta', 'Holger', 'Ida', 'Jens'];
  const last = ['Testesen', 'Prøvesen', 'Simulatorsen', 'Eksempelsen'];
  return {
    userId: `user-${digits(6)}`,
    password: `Test${digits(4)}`,
    name: `${first[randomInt(first.length)]} ${last[randomInt(last.length)]}`,
    cpr: substituteCpr(now, 30 + randomInt(40)),
    type: 'poces',
    company: 'Simulator Testfirma ApS',
    businessName: 'Simulator Iværksætter ApS',
  };
}
