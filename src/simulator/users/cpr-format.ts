import { randomInt } from 'node:crypto';

// CPR numbers of test users. A chosen one must have the CPR format: DDMMYY + 4 digits with a real calendar day,
// or the substitute form (day + 60) that the CPR register uses for substitute numbers. A generated one is always a
// substitute number, so it is never a real person's. The modulus-11 check was dropped in 2007 and is not applied.

const CPR = /^([0-9]{2})([0-9]{2})([0-9]{2})[0-9]{4}$/;

/** Whether `cpr` (ten digits, no hyphen) has the CPR format; day + 60 counts as a substitute number. */
export function isCprFormat(cpr: string): boolean {
  const match = CPR.exec(cpr);
  if (!match) return false;
  let day = Number(match[1]);
  const month = Number(match[2]);
  if (day > 60) day -= 60;
  if (month < 1 || month > 12 || day < 1) return false;
  const twoDigitYear = Number(match[3]);
  // The century is not in the number alone; a leap-day test with either century's year is enough for the format.
  const daysIn = (year: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= Math.max(daysIn(1900 + twoDigitYear), daysIn(2000 + twoDigitYear));
}

/** The typed CPR without one optional hyphen or spaces (`010190-1234` → `0101901234`); null when it is not ten digits. */
export function normaliseCpr(typed: string): string | null {
  const compact = typed.trim().replace(/^([0-9]{6})[- ]?([0-9]{4})$/, '$1$2');
  return /^[0-9]{10}$/.test(compact) ? compact : null;
}

/** A substitute CPR for someone born `yearsOld` years before `now` (± a year): day + 60, random sequence number. */
export function substituteCpr(now: Date, yearsOld: number): string {
  const birth = new Date(Date.UTC(now.getUTCFullYear() - yearsOld, randomInt(12), 1 + randomInt(28)));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(birth.getUTCDate() + 60)}${pad(birth.getUTCMonth() + 1)}${pad(birth.getUTCFullYear() % 100)}${String(randomInt(10_000)).padStart(4, '0')}`;
}
