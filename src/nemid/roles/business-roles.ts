import { IdpError } from '../../errors/index.js';

// The role service's answer, checked strictly before anything of it reaches a page or an assertion: the CVR numbers
// end up in AuthorizedToRepresent, so a malformed list is an integration fault (BUSINESS_ROLES_INVALID), never
// something to repair.

/** One business a person may act for as its owner. */
export interface BusinessRole {
  /** Exactly 8 digits. */
  readonly cvr: string;
  /** The organisation name shown on the choice page and sent as organizationName; trimmed, 1–200 characters. */
  readonly name: string;
}

export const MAX_BUSINESS_NAME_LENGTH = 200;
/** More businesses than this for one person is not a list a page can offer; refused rather than truncated. */
export const MAX_BUSINESSES = 100;

const CVR = /^[0-9]{8}$/;
// C0/C1 controls, line/paragraph separators and bidi overrides would let a name disguise itself on the page.
const FORBIDDEN_NAME_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;

function invalid(message: string): IdpError {
  return new IdpError('BUSINESS_ROLES_INVALID', `role service answer refused: ${message}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const extra = Object.keys(value).filter((key) => !allowed.includes(key));
  if (extra.length > 0) throw invalid(`${where} has unexpected fields`);
}

function businessRole(value: unknown, index: number): BusinessRole {
  if (!isPlainObject(value)) throw invalid(`businesses[${index}] is not an object`);
  onlyKeys(value, ['cvr', 'name'], `businesses[${index}]`);
  const { cvr, name } = value;
  if (typeof cvr !== 'string' || !CVR.test(cvr)) throw invalid(`businesses[${index}].cvr is not 8 digits`);
  if (typeof name !== 'string') throw invalid(`businesses[${index}].name is not a string`);
  const trimmed = name.normalize('NFC').trim();
  if (trimmed.length === 0 || trimmed.length > MAX_BUSINESS_NAME_LENGTH) throw invalid(`businesses[${index}].name is empty or too long`);
  if (FORBIDDEN_NAME_CHARACTERS.test(trimmed)) throw invalid(`businesses[${index}].name has control characters`);
  return { cvr, name: trimmed };
}

/**
 * `{"businesses":[{"cvr":"12345678","name":"…"}, …]}` and nothing else: no extra fields, no duplicate CVRs, at most
 * MAX_BUSINESSES entries. An empty list means the person owns no business.
 */
export function parseRolesResponse(unverifiedJson: string): BusinessRole[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(unverifiedJson);
  } catch (cause) {
    throw new IdpError('BUSINESS_ROLES_INVALID', 'role service answer is not JSON', { cause });
  }
  if (!isPlainObject(parsed)) throw invalid('top level is not an object');
  onlyKeys(parsed, ['businesses'], 'top level');
  const list = parsed['businesses'];
  if (!Array.isArray(list)) throw invalid('businesses is not an array');
  if (list.length > MAX_BUSINESSES) throw invalid(`more than ${MAX_BUSINESSES} businesses`);
  const roles = list.map(businessRole);
  if (new Set(roles.map((role) => role.cvr)).size !== roles.length) throw invalid('a CVR is listed twice');
  return roles;
}
