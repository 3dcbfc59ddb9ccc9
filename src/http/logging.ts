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

const CPR_SHAPED = /(?<![\d.])\d{6}-?\d{4}(?![\d.])/g;

export function scrubLine(line: string): string {
  return line.replace(CPR_SHAPED, '[REDACTED-CPR]');
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
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'nemid-idp' },
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
