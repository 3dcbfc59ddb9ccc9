import pino, { type Logger, type DestinationStream } from 'pino';

// What must never reach a log line: CPR numbers, passwords and codes, cookies, SAML message bodies. Redaction by
// path covers the known places; the final scrub of the serialised line catches a CPR-shaped number anywhere else.

export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'headers.cookie',
  'headers.authorization',
  '*.SAMLRequest',
  '*.SAMLResponse',
  '*.RelayState',
  '*.response',
  '*.password',
  '*.code',
  '*.cpr',
  '*.PID_REQUEST',
];

// A CPR in text: DDMMYY[-]NNNN, where DD is a day (or a day + 60, replacement CPR numbers) and MM a month, standing
// alone: not inside a longer digit run, a dotted number, or a hex string (certificate serials, key ids, hashes),
// which would otherwise lose every 10-digit stretch they happen to contain.
const CPR_SHAPED = /(?<![0-9A-Fa-f.])(?:0[1-9]|[12][0-9]|3[01]|6[1-9]|[78][0-9]|9[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?![0-9A-Fa-f.])/g;

const REDACTED_CPR = '[REDACTED-CPR]';

/**
 * Redacts CPR-shaped values in one serialised line and keeps it valid JSON: the line is parsed and only values are
 * replaced (a bare number becomes the string "[REDACTED-CPR]"), so a line never changes shape. A line that is not
 * JSON (never written by pino, but tests pass plain text) is scrubbed as text.
 */
export function scrubLine(line: string): string {
  // Cheap prefilter: nothing CPR-like (a 9-digit run covers a CPR written as a number without its leading zero).
  if (!/\d{6}-?\d{4}|\d{9}/.test(line)) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line.replace(CPR_SHAPED, REDACTED_CPR);
  }
  const newline = line.endsWith('\n') ? '\n' : '';
  return JSON.stringify(scrubValue(parsed)) + newline;
}

function scrubValue(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(CPR_SHAPED, REDACTED_CPR);
  // A number has no context: any 10-digit one is taken for a CPR.
  if (typeof value === 'number') return /^\d{9,10}$/.test(String(value)) ? REDACTED_CPR : value;
  if (Array.isArray(value)) return value.map(scrubValue);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) out[key.replace(CPR_SHAPED, REDACTED_CPR)] = scrubValue(child);
    return out;
  }
  return value;
}

/** Drops every query value (SAMLRequest, Signature, RelayState …) and keeps only the path and the parameter names. */
export function urlForLog(url: string): string {
  const queryAt = url.indexOf('?');
  if (queryAt < 0) return url;
  const names = url
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => pair.split('=')[0])
    .filter(Boolean)
    .map((name) => (/^[A-Za-z0-9_.-]{1,40}$/.test(name!) ? name : '?'));
  return `${url.slice(0, queryAt)}?${names.join('&')}`;
}

export interface LoggerOptions {
  level: string;
  destination?: DestinationStream;
  /** Written into every line, so lines from several instances can be told apart. */
  instance?: string;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'nemid-idp', ...(options.instance ? { instance: options.instance } : {}) },
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      serializers: {
        req: (req: { method?: string; url?: string; headers?: Record<string, string> }) => ({
          method: req.method,
          url: urlForLog(req.url ?? ''),
          userAgent: req.headers?.['user-agent'],
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
      hooks: { streamWrite: scrubLine },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export type { Logger };
