import { IdpError, type ErrorCode } from '../../errors/index.js';

// PID-CPR status codes (nemid-protocol.md §8). Only 0 (OK) and 1 (NO_MATCH) are answers; everything else is an
// error with its own catalogue code. Unknown codes are integration errors: fail closed.

export const PID_CPR_OK = 0;
export const PID_CPR_NO_MATCH = 1;

const ERROR_CODES: Readonly<Record<number, ErrorCode>> = {
  2: 'CPR_NO_PID',
  8: 'CPR_NOT_AUTHORIZED',
  16: 'CPR_BRUTE_FORCE',
  16384: 'CPR_SERVICE_INTERNAL_ERROR',
};

/** The catalogue code for a status that is not an answer (4, 17, 4096, 8192–8195 and unknown ones: CPR_SERVICE_ERROR). */
export function pidCprStatusError(status: number): IdpError {
  const code = ERROR_CODES[status] ?? 'CPR_SERVICE_ERROR';
  return new IdpError(code, `PID-CPR answered status ${status}`, { detail: { pidCprStatus: status } });
}

/** Ten digits: the shape of a CPR number on the wire (the date check is the login step's business). */
export function isValidCprShape(cpr: string): boolean {
  return /^[0-9]{10}$/.test(cpr);
}
