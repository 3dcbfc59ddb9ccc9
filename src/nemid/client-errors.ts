import type { ErrorCode } from '../errors/index.js';

// Client error codes of nemid-protocol.md §5. Published lists went stale, so the table only refines the class:
// any code matching the pattern is accepted and, when unlisted, takes the class of its prefix.

/** U user cancelled, A account/user state, T transient, I integration fault. */
export type ClientErrorClass = 'U' | 'A' | 'T' | 'I';

export const CLIENT_ERROR_CODE_PATTERN = /^[A-Z]{3,5}[0-9]{3}$/;

// Where §5 gives two classes the one that tells the user what to do wins: CAN001 (activation password burned) is A,
// the time-outs CAN003/CAN005 and APP004 are T (retry).
const LISTED: Record<string, ClientErrorClass> = {
  CAN001: 'A', CAN002: 'U', CAN003: 'T', CAN004: 'U', CAN005: 'T', CAN006: 'A', CAN007: 'U', CAN008: 'U',
  APP001: 'I', APP002: 'I', APP003: 'T', APP004: 'T', APP005: 'T', APP007: 'I', APP008: 'I', APP009: 'T', APP010: 'T',
  SRV001: 'I', SRV002: 'I', SRV003: 'I', SRV004: 'T', SRV005: 'I', SRV006: 'T', SRV007: 'A', SRV008: 'I', SRV010: 'I',
  SRV011: 'I',
  AUTH001: 'A', AUTH003: 'A', AUTH004: 'A', AUTH005: 'A', AUTH006: 'A', AUTH007: 'A', AUTH008: 'A', AUTH009: 'T',
  AUTH010: 'T', AUTH011: 'A', AUTH012: 'T', AUTH013: 'T', AUTH017: 'T', AUTH018: 'A', AUTH019: 'A', AUTH020: 'T',
  LOCK001: 'A', LOCK002: 'A', LOCK003: 'A',
  OCES001: 'A', OCES002: 'A', OCES003: 'A', OCES004: 'A', OCES005: 'T', OCES006: 'A',
  CAPP001: 'A', CAPP002: 'A', CAPP003: 'A', CAPP004: 'A', CAPP006: 'A', CAPP007: 'A', CAPP008: 'A', CAPP009: 'A',
  CAPP010: 'A', CAPP011: 'A', CAPP012: 'A', CAPP013: 'A',
  LIB002: 'T',
};

const PREFIX_DEFAULTS: [string, ClientErrorClass][] = [
  ['CAN', 'U'],
  ['APP', 'I'],
  ['SRV', 'I'],
  ['AUTH', 'A'],
  ['LOCK', 'A'],
  ['OCES', 'A'],
  ['CAPP', 'A'],
];

const CATALOGUE_CODE: Record<ClientErrorClass, ErrorCode> = {
  U: 'NEMID_USER_CANCELLED',
  A: 'NEMID_ACCOUNT_PROBLEM',
  T: 'NEMID_CLIENT_TECHNICAL',
  I: 'NEMID_CLIENT_INTEGRATION',
};

/** The class of a code that matches the pattern: the table's, else its prefix's, else T. */
export function clientErrorClass(code: string): ClientErrorClass {
  const listed = LISTED[code];
  if (listed) return listed;
  const letters = code.replace(/[0-9]+$/, '');
  return PREFIX_DEFAULTS.find(([prefix]) => prefix === letters)?.[1] ?? 'T';
}

export function catalogueCodeForClass(errorClass: ClientErrorClass): ErrorCode {
  return CATALOGUE_CODE[errorClass];
}
