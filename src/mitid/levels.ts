// NSIS levels of assurance (the Danish national standard MitID follows), as OIOSAML 3 names them in
// RequestedAuthnContext and the loa/ial/aal attributes: https://data.gov.dk/concept/core/nsis/loa/{Low,Substantial,High}.

export const NSIS_LEVELS = ['Low', 'Substantial', 'High'] as const;
export type NsisLevel = (typeof NSIS_LEVELS)[number];

export const NSIS_LOA_PREFIX = 'https://data.gov.dk/concept/core/nsis/loa/';

export function levelRank(level: NsisLevel): number {
  return NSIS_LEVELS.indexOf(level);
}

export function atLeast(achieved: NsisLevel, required: NsisLevel): boolean {
  return levelRank(achieved) >= levelRank(required);
}

export function lowerOf(a: NsisLevel, b: NsisLevel): NsisLevel {
  return levelRank(a) <= levelRank(b) ? a : b;
}

export function isNsisLevel(value: unknown): value is NsisLevel {
  return typeof value === 'string' && (NSIS_LEVELS as readonly string[]).includes(value);
}

/** What the SAML request asked for, reduced to the levels that would satisfy it. */
export interface LevelRequirement {
  /** The lowest level that satisfies the request. */
  readonly minimum: NsisLevel;
  /** With Comparison="exact": only these levels satisfy it; absent for "minimum". */
  readonly exactly?: readonly NsisLevel[];
}

export function satisfies(achieved: NsisLevel, requirement: LevelRequirement): boolean {
  if (requirement.exactly) return requirement.exactly.includes(achieved);
  return atLeast(achieved, requirement.minimum);
}
