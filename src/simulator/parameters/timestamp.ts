import { decodeStrictBase64 } from '../../shared/index.js';

// TIMESTAMP as NemID accepted it (nemid-protocol.md §2.4): `yyyy-MM-dd HH:mm:ssZ` (Java Z = ±hhmm), a zone name, no
// zone (NemID's server zone, Danish time), or integer epoch milliseconds; each plain or base64.

export type TimestampEncoding = 'xml' | 'base64';

export interface ParsedTimestamp {
  instant: Date;
  /** How the value was sent: the signed TimeStamp property repeats it with this Encoding. */
  encoding: TimestampEncoding;
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:([+-])(\d{2})(\d{2})|\s*([A-Za-z]{1,5}))?$/;
const EPOCH_MS = /^[0-9]{1,15}$/;
const ZONE_OFFSET_MINUTES: Record<string, number> = { UTC: 0, GMT: 0, Z: 0, CET: 60, CEST: 120 };
const SERVER_ZONE = 'Europe/Copenhagen';

export function parseTimestamp(value: string, accept: { plain: boolean; base64: boolean }): ParsedTimestamp | null {
  if (accept.plain) {
    const instant = parsePlainTimestamp(value);
    if (instant) return { instant, encoding: 'xml' };
  }
  if (accept.base64) {
    const decoded = decodeStrictBase64(value);
    if (decoded && /^[\x20-\x7e]+$/.test(decoded.toString('latin1'))) {
      const instant = parsePlainTimestamp(decoded.toString('latin1'));
      if (instant) return { instant, encoding: 'base64' };
    }
  }
  return null;
}

export function parsePlainTimestamp(text: string): Date | null {
  if (EPOCH_MS.test(text)) return new Date(Number(text));
  const match = DATE_TIME.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, sign, zh, zm, zoneName] = match;
  const fields = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const check = new Date(asUtc);
  if (
    check.getUTCFullYear() !== fields[0] ||
    check.getUTCMonth() !== fields[1] - 1 ||
    check.getUTCDate() !== fields[2] ||
    fields[3] > 23 ||
    fields[4] > 59 ||
    fields[5] > 59
  ) {
    return null;
  }
  let offsetMinutes: number;
  if (sign !== undefined) {
    const hours = Number(zh);
    const minutes = Number(zm);
    if (hours > 14 || minutes > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (hours * 60 + minutes);
  } else if (zoneName !== undefined) {
    const known = ZONE_OFFSET_MINUTES[zoneName.toUpperCase()];
    if (known === undefined) return null;
    offsetMinutes = known;
  } else {
    offsetMinutes = serverZoneOffsetMinutes(asUtc);
  }
  return new Date(asUtc - offsetMinutes * 60_000);
}

/** Offset of Danish time at (about) the given instant, from the runtime's time-zone data. */
function serverZoneOffsetMinutes(approximateUtc: number): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: SERVER_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(new Date(approximateUtc))
    .find((part) => part.type === 'timeZoneName')?.value;
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? '');
  if (!match) return 0;
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}
