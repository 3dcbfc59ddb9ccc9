// The simulator's test users (nemid-protocol.md §10 item 3 and 8). All data is invented: PIDs use the 9999-2002-2-
// prefix no real PID has, CPRs use the substitute form (day of month + 60) so none is a real person's, and CVRs are
// fictitious. Passwords are published on the /developers/ page: these are test doubles, not secrets.

import type { Business, UserIdentity } from './model.js';

export type { Business, CertificateKind } from './model.js';

/** A shipped test user: the registry's defaults (seeded into it at start), with its published password and CPR. */
export interface TestUser extends UserIdentity {
  password: string;
  /** Substitute-form CPR known to the simulated PID-CPR service; absent: PID-CPR answers 2 (NO_PID). */
  cpr?: string;
}

const poces = (
  userId: string,
  n: number,
  commonName: string,
  extra: Partial<TestUser['certificate']> & { cpr?: string; businesses?: Business[]; hasKeyFile?: boolean } = {},
): TestUser => ({
  userId,
  password: 'Test1234',
  cardNumber: `G${String(100000000 + n)}`,
  hasKeyFile: extra.hasKeyFile ?? false,
  cardOnly: true,
  certificate: {
    kind: 'POCES',
    commonName,
    pid: `9999-2002-2-${String(100000000000 + n)}`,
    youth: extra.youth ?? false,
    revoked: extra.revoked ?? false,
    expired: extra.expired ?? false,
  },
  ...(extra.cpr === undefined ? {} : { cpr: extra.cpr }),
  identityAssuranceLevel: '2',
  businesses: extra.businesses ?? [],
});

/** The fixed test users, by user id. `error-<CODE>` and `fault-<name>` are resolved by `findTestUser`. */
export const TEST_USERS: readonly TestUser[] = Object.freeze([
  poces('citizen', 1, 'Christian Simulator Borger', { cpr: '7203851234', hasKeyFile: true }),
  poces('youth', 2, 'Ylva Simulator Ung', { cpr: '6506104123', youth: true }),
  poces('pseudonym', 3, 'Pseudonym', { cpr: '8111902345' }),
  poces('owner', 4, 'Olga Simulator Ejer', {
    cpr: '6802753456',
    businesses: [{ cvr: '99990011', name: 'Simulator Tømrer ApS' }],
  }),
  poces('owner2', 5, 'Otto Simulator Ejer', {
    cpr: '7409684567',
    businesses: [
      { cvr: '99990021', name: 'Simulator Bageri I/S' },
      { cvr: '99990022', name: 'Simulator Konsulent ApS' },
    ],
  }),
  poces('no-cpr', 6, 'Nanna Simulator Uden-CPR'),
  poces('revoked', 7, 'Rasmus Simulator Spærret', { cpr: '6901802678', revoked: true }),
  poces('expired', 8, 'Erik Simulator Udløbet', { cpr: '7512701789', expired: true }),
  poces('fault', 9, 'Frida Simulator Fejl', { cpr: '8304883890' }),
  {
    userId: 'employee',
    password: 'Test1234',
    cardNumber: 'G200000001',
    hasKeyFile: true,
    cardOnly: true,
    certificate: {
      kind: 'MOCES',
      commonName: 'Emil Simulator Medarbejder',
      cvr: '99990031',
      rid: '90000001',
      company: 'Simulator Virksomhed A/S',
      youth: false,
      revoked: false,
      expired: false,
    },
    identityAssuranceLevel: '2',
    businesses: [],
  },
]);

/** Response faults (§10 item 8), selected by the user id `fault-<name>`; every fault user is the `fault` identity. */
export const FAULT_NAMES = [
  'no-challenge',
  'wrong-challenge',
  'wrong-issuer',
  'action-sign',
  'duplicate-property',
  'second-object',
  'wrapped-reference',
  'bad-signature',
  'untrusted-root',
  'shuffled-keyinfo',
  'timestamp-mismatch',
] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** A client error code as NemID sends it (§4.1 pattern). */
export const CLIENT_ERROR_CODE = /^[A-Z]{3,5}[0-9]{3}$/;

/** What a typed user id names before the registry is asked: an error user, a fault user or a plain user id. */
export type SpecialUserId = { type: 'error'; code: string } | { type: 'fault'; fault: FaultName } | { type: 'plain'; userId: string } | { type: 'invalid' };

export function parseTypedUserId(typedUserId: string): SpecialUserId {
  const id = typedUserId.trim();
  const errorMatch = /^error-(.+)$/i.exec(id);
  if (errorMatch) {
    const code = (errorMatch[1] ?? '').toUpperCase();
    return CLIENT_ERROR_CODE.test(code) ? { type: 'error', code } : { type: 'invalid' };
  }
  const faultMatch = /^fault-(.+)$/i.exec(id);
  if (faultMatch) {
    const name = (faultMatch[1] ?? '').toLowerCase();
    const fault = FAULT_NAMES.find((candidate) => candidate === name);
    return fault ? { type: 'fault', fault } : { type: 'invalid' };
  }
  return { type: 'plain', userId: id.toLowerCase() };
}
