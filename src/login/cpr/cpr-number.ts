// A CPR number as typed by a user or returned by PID-CPR: ten digits DDMMYY-SSSS (the dash optional), whose first
// six digits must be a real date. The century follows from the 7th digit (CPR office rules); the day may be in the
// substitute form day + 60 (erstatningspersonnummer), which the simulator's test users carry. No modulus-11 check:
// numbers issued since 2007 need not satisfy it. Never echo the input anywhere: callers get only yes/no.

const TYPED_CPR = /^([0-9]{6})-?([0-9]{4})$/;

/** The ten digits of a typed CPR (spaces around it ignored, one optional dash), or null if it is not a real date. */
export function normalizeCpr(typed: unknown): string | null {
  if (typeof typed !== 'string' || typed.length > 32) return null;
  const match = TYPED_CPR.exec(typed.trim());
  if (!match) return null;
  const cpr = `${match[1]}${match[2]}`;
  return isValidCpr(cpr) ? cpr : null;
}

/** True for exactly ten digits whose date part (substitute form allowed) is a real calendar date. */
export function isValidCpr(cpr: string): boolean {
  if (!/^[0-9]{10}$/.test(cpr)) return false;
  return birthDateOf(cpr) !== null;
}

/** The date of birth a CPR encodes (UTC midnight), or null when it encodes none. */
export function birthDateOf(cpr: string): Date | null {
  let day = Number(cpr.slice(0, 2));
  const month = Number(cpr.slice(2, 4));
  const yy = Number(cpr.slice(4, 6));
  const seventh = Number(cpr.charAt(6));
  if (day > 60) day -= 60;
  const year = centuryOf(seventh, yy) + yy;
  if (month < 1 || month > 12 || day < 1) return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return date;
}

function centuryOf(seventh: number, yy: number): number {
  if (seventh <= 3) return 1900;
  if (seventh === 4 || seventh === 9) return yy <= 36 ? 2000 : 1900;
  return yy <= 57 ? 2000 : 1800;
}
