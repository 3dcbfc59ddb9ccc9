import { isIdpError } from '../../../src/errors/index.js';

/** The catalogue code `fn` throws; `NO_ERROR` when it returns, `NOT_AN_IDP_ERROR` for anything else thrown. */
export function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return isIdpError(error) ? error.code : 'NOT_AN_IDP_ERROR';
  }
  return 'NO_ERROR';
}

export async function codeOfAsync(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    return isIdpError(error) ? error.code : 'NOT_AN_IDP_ERROR';
  }
  return 'NO_ERROR';
}
