import http from 'node:http';
import https from 'node:https';
import { IdpError } from '../../errors/index.js';
import { parseRolesResponse, type BusinessRole } from './business-roles.js';

// The client of the role service: which businesses a person may represent as owner (issue 7). The provider is a
// configured HTTP JSON service queried by PID: GET <url>?pid=<bare PID> →
//   200 {"businesses":[{"cvr":"<8 digits>","name":"…"}]}   ([] = owns no business)
//   404 {"error":"unknown-pid"}                             the person is unknown to the service: no business
// Anything else is refused. Down, slow or overloaded → BUSINESS_ROLES_UNAVAILABLE; an answer we cannot trust
// (wrong status, shape, type, size, TLS peer) → BUSINESS_ROLES_INVALID. Redirects are not followed.
//
// CPR-keyed providers (e.g. a CVR-register lookup by CPR) plug in as another implementation of `RolesClient` taking
// a `RoleQuery` with the CPR found by the CPR step: the login would open the sealed CPR only for that call, and such
// a client must send it in a POST body over mutual TLS, never in a URL (URLs end up in access logs).

export interface RoleQuery {
  /** The bare PID of a POCES certificate (no "PID:" prefix). */
  readonly pid: string;
}

export interface RolesClient {
  businessesOf(query: RoleQuery): Promise<BusinessRole[]>;
}

export interface RolesClientOptions {
  /** http: only for the local simulator; https: otherwise. Existing query parameters are kept. */
  readonly url: string;
  readonly timeoutMs: number;
  /** PEM of the CA(s) the service's TLS certificate must chain to; replaces the system roots when given. */
  readonly serverCaPem?: string;
  /** The IdP's VOCES for mutual TLS. Refused with an http: URL (it would silently not be sent). */
  readonly clientCertificate?: { readonly certPem: string; readonly keyPem: string };
  /** Largest answer read; a longer one is refused (default 64 KiB). */
  readonly maxResponseBytes?: number;
}

export const ROLES_MAX_RESPONSE_BYTES = 64 * 1024;

const UNAVAILABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

function unavailable(message: string, cause?: unknown): IdpError {
  return new IdpError('BUSINESS_ROLES_UNAVAILABLE', message, cause === undefined ? {} : { cause });
}

/** TLS failures mean we reached something that is not the configured service: a fault to fix, not an outage. */
function isTlsTrustError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME/.test(code));
}

function get(target: URL, options: RolesClientOptions, maxBytes: number): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const common = { method: 'GET', headers: { accept: 'application/json' }, signal };
    const request =
      target.protocol === 'https:'
        ? https.request(target, {
            ...common,
            agent: false,
            rejectUnauthorized: true,
            ...(options.serverCaPem ? { ca: options.serverCaPem } : {}),
            ...(options.clientCertificate ? { cert: options.clientCertificate.certPem, key: options.clientCertificate.keyPem } : {}),
          })
        : http.request(target, { ...common, agent: false });
    request.on('error', (error) => {
      if (error instanceof IdpError) reject(error);
      else if (signal.aborted) reject(unavailable(`role service did not answer within ${options.timeoutMs} ms`, error));
      else if (isTlsTrustError(error)) reject(new IdpError('BUSINESS_ROLES_INVALID', 'role service TLS peer refused', { cause: error }));
      else reject(unavailable('role service unreachable', error));
    });
    request.on('response', (response) => {
      const declared = Number(response.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        request.destroy(new IdpError('BUSINESS_ROLES_INVALID', `role service answer larger than ${maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          request.destroy(new IdpError('BUSINESS_ROLES_INVALID', `role service answer larger than ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        if (size > maxBytes) return;
        resolve({
          status: response.statusCode ?? 0,
          contentType: String(response.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      // A body cut off (timeout, reset) ends in 'close' without 'end'; settle then so the call never hangs.
      response.on('close', () => {
        if (!response.complete && size <= maxBytes) reject(unavailable('role service answer cut off'));
      });
    });
    request.end();
  });
}

function isJson(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'application/json';
}

function isUnknownPid(answer: RawAnswer): boolean {
  if (answer.status !== 404 || !isJson(answer.contentType)) return false;
  try {
    const parsed: unknown = JSON.parse(answer.body);
    return typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length === 1 && (parsed as Record<string, unknown>)['error'] === 'unknown-pid';
  } catch {
    return false;
  }
}

const BARE_PID = /^[0-9]{1,20}(?:-[0-9]{1,20}){0,5}$/;

export function createRolesClient(options: RolesClientOptions): RolesClient {
  const base = new URL(options.url);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new IdpError('CONFIG_INVALID', 'role service URL must be http(s)');
  if (options.clientCertificate && base.protocol !== 'https:') {
    throw new IdpError('CONFIG_INVALID', 'role service: a client certificate needs an https: URL');
  }
  if (!Number.isInteger(options.timeoutMs) || options.timeoutMs <= 0) throw new IdpError('CONFIG_INVALID', 'role service timeout must be a positive integer');
  const maxBytes = options.maxResponseBytes ?? ROLES_MAX_RESPONSE_BYTES;

  return {
    async businessesOf(query) {
      // Our own value from a verified certificate; checked anyway so nothing odd is ever put in the URL.
      if (!BARE_PID.test(query.pid)) throw new IdpError('BUSINESS_ROLES_INVALID', 'not a bare PID');
      const target = new URL(base);
      target.searchParams.set('pid', query.pid);
      const answer = await get(target, options, maxBytes);
      if (answer.status === 200) {
        if (!isJson(answer.contentType)) throw new IdpError('BUSINESS_ROLES_INVALID', 'role service answer is not application/json');
        return parseRolesResponse(answer.body);
      }
      if (isUnknownPid(answer)) return [];
      if (UNAVAILABLE_STATUSES.has(answer.status)) throw unavailable(`role service answered HTTP ${answer.status}`);
      throw new IdpError('BUSINESS_ROLES_INVALID', `role service answered HTTP ${answer.status}`, { detail: { status: answer.status } });
    },
  };
}
