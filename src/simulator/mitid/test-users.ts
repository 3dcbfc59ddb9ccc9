import type { NsisLevel } from '../../mitid/index.js';

// The MitID broker simulator's test users (mitid.md, "Simulator"). Fictitious people: the CPR numbers are the
// simulator's own and the UUIDs are fixed so that SPs see stable identifiers across restarts.

export interface MitidTestUser {
  readonly userId: string;
  readonly description: { readonly da: string; readonly en: string };
  /** The highest level this user's authenticators reach. */
  readonly maxLevel: NsisLevel;
  readonly ial: NsisLevel;
  readonly uuid: string;
  readonly name: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly birthdate: string;
  readonly cpr?: string;
  readonly nameAndAddressProtection?: boolean;
  readonly professional?: { readonly uuid: string; readonly cvr: string; readonly organizationName: string; readonly rid?: string };
  /** What happens after the user id: the normal app approval, a cancel, or the broker failing. */
  readonly behaviour: 'approve' | 'cancel' | 'broker-error';
}

export const MITID_TEST_USERS: readonly MitidTestUser[] = [
  {
    userId: 'mitid-citizen',
    description: { da: 'Voksen med CPR-nummer; MitID-app og chip (op til Høj)', en: 'Adult with a CPR number; MitID app and chip (up to High)' },
    maxLevel: 'High',
    ial: 'High',
    uuid: '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a01',
    name: 'Karen Testesen',
    givenName: 'Karen',
    familyName: 'Testesen',
    birthdate: '1980-05-12',
    cpr: '1205801234',
    behaviour: 'approve',
  },
  {
    userId: 'mitid-protected',
    description: { da: 'Navne- og adressebeskyttet (tomt navn)', en: 'Name and address protected (empty name)' },
    maxLevel: 'Substantial',
    ial: 'Substantial',
    uuid: '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a02',
    name: '',
    givenName: '',
    familyName: '',
    birthdate: '1975-02-03',
    cpr: '0302751235',
    nameAndAddressProtection: true,
    behaviour: 'approve',
  },
  {
    userId: 'mitid-substantial',
    description: { da: 'Kun Betydelig (afvises, når Høj kræves)', en: 'Substantial only (refused when High is required)' },
    maxLevel: 'Substantial',
    ial: 'Substantial',
    uuid: '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a03',
    name: 'Søren Betydelig',
    givenName: 'Søren',
    familyName: 'Betydelig',
    birthdate: '1990-11-30',
    cpr: '3011901236',
    behaviour: 'approve',
  },
  {
    userId: 'mitid-erhverv',
    description: { da: 'MitID Erhverv-medarbejder med CVR (migreret fra NemID med RID)', en: 'MitID Erhverv employee with a CVR (migrated from NemID, with a RID)' },
    maxLevel: 'Substantial',
    ial: 'Substantial',
    uuid: '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a04',
    name: 'Erik Erhverv',
    givenName: 'Erik',
    familyName: 'Erhverv',
    birthdate: '1970-01-20',
    professional: { uuid: '8e7d6c5b-4a39-4281-9f0e-1d2c3b4a5f06', cvr: '12345678', organizationName: 'Testvirksomhed ApS (SIMULATOR)', rid: '45678901' },
    behaviour: 'approve',
  },
  {
    userId: 'mitid-cancel',
    description: { da: 'Afbryder i MitID-appen', en: 'Cancels in the MitID app' },
    maxLevel: 'Substantial',
    ial: 'Substantial',
    uuid: '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a05',
    name: 'Anne Afbryder',
    givenName: 'Anne',
    familyName: 'Afbryder',
    birthdate: '1985-07-07',
    behaviour: 'cancel',
  },
  {
    userId: 'mitid-broker-error',
    description: { da: 'Brokeren svarer med en fejl', en: 'The broker answers with an error' },
    maxLevel: 'Substantial',
    ial: 'Substantial',
    uuid: '5c1f0e2a-7a43-4f6e-9d5b-2f1b1c7e0a06',
    name: 'Bent Brokerfejl',
    givenName: 'Bent',
    familyName: 'Brokerfejl',
    birthdate: '1966-06-06',
    behaviour: 'broker-error',
  },
];

export function findMitidUser(userId: string): MitidTestUser | undefined {
  return MITID_TEST_USERS.find((user) => user.userId === userId.trim().toLowerCase());
}
