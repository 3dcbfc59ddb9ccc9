import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { IdpError } from '../../errors/index.js';

// One HTTP POST to the PID-CPR service. Over https: mutual TLS with our VOCES key and certificate, and only the
// configured server CA is trusted (never the system store). One deadline covers connect and answer. A failure to
// connect at all is retried once (nothing reached the service, so a retry cannot double-count a match against the
// brute-force limit); a timeout or a failure after connecting is not. The answer is read up to a byte limit.

export interface PidCprTls {
  /** Our VOCES private key and certificate (PEM) for client authentication. */
  clientKeyPem: string;
  clientCertPem: string;
  /** The service's CA (PEM), pinned: the only trust anchor for the server certificate. */
  serverCaPem: string;
}

export interface PostOptions {
  url: URL;
  body: Buffer;
  timeoutMs: number;
  maxResponseBytes: number;
  tls?: PidCprTls;
}

export interface PostResult {
  status: number;
  body: Buffer;
}

class ConnectFailure extends Error {}

export async function postPidCpr(options: PostOptions): Promise<PostResult> {
  if (options.url.protocol === 'https:' && !options.tls) throw new IdpError('CONFIG_INVALID', 'PID-CPR over https needs the VOCES and the server CA');
  if (options.url.protocol !== 'https:' && options.url.protocol !== 'http:') throw new IdpError('CONFIG_INVALID', 'PID_CPR_URL must be http(s)');
  const deadline = Date.now() + options.timeoutMs;
  try {
    return await postOnce(options, deadline);
  } catch (error) {
    if (!(error instanceof ConnectFailure) || Date.now() >= deadline) throw mapped(error);
    try {
      return await postOnce(options, deadline);
    } catch (second) {
      throw mapped(second);
    }
  }
}

function mapped(error: unknown): IdpError {
  if (error instanceof IdpError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (error instanceof ConnectFailure) return new IdpError('CPR_SERVICE_UNAVAILABLE', 'PID-CPR service unreachable', { cause: error.cause, detail: { reason: code ?? 'connect' } });
  return new IdpError('CPR_SERVICE_UNAVAILABLE', 'PID-CPR request failed', { cause: error, detail: { reason: code ?? 'io' } });
}

function isTlsTrustFailure(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? '';
  return /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ERR_TLS|ERR_SSL|SSL_/i.test(code);
}

function postOnce(options: PostOptions, deadline: number): Promise<PostResult> {
  return new Promise<PostResult>((resolve, reject) => {
    let connected = false;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(options.body.length),
      accept: 'text/xml, application/xml',
    };
    const common = { method: 'POST', headers, agent: false as const };
    let req: ClientRequest;
    if (options.url.protocol === 'https:') {
      const tls = options.tls!;
      req = httpsRequest(options.url, {
        ...common,
        key: tls.clientKeyPem,
        cert: tls.clientCertPem,
        ca: [tls.serverCaPem],
        rejectUnauthorized: true,
        minVersion: 'TLSv1.2',
      });
    } else {
      req = httpRequest(options.url, common);
    }
    const timer = setTimeout(() => {
      settle(() => reject(new IdpError('CPR_SERVICE_UNAVAILABLE', 'PID-CPR service timed out', { detail: { reason: 'timeout', timeoutMs: options.timeoutMs } })));
      req.destroy();
    }, Math.max(0, deadline - Date.now()));

    // "Connected" = the TCP connection stands: from then on the service may have seen the request.
    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (isTlsTrustFailure(error)) {
        settle(() => reject(new IdpError('CPR_SERVICE_ERROR', 'PID-CPR TLS handshake refused', { cause: error, detail: { reason: error.code ?? 'tls' } })));
      } else if (!connected) {
        settle(() => reject(new ConnectFailure('connect failed', { cause: error })));
      } else {
        settle(() => reject(error));
      }
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          settle(() => reject(new IdpError('CPR_RESPONSE_INVALID', 'PID-CPR response too large')));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => settle(() => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) })));
      res.on('error', (error) => settle(() => reject(error)));
    });
    req.end(options.body);
  });
}
