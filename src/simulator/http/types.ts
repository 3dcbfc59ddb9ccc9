// The simulator's framework-neutral HTTP surface. Only src/http may import Fastify, so the simulator describes its
// routes as plain data and the composition root mounts them on the simulator's own Fastify instance (own origin).

export type SimMethod = 'GET' | 'POST' | 'DELETE';

export interface SimRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  /** 'form' routes get the decoded fields, 'raw' routes the bytes, 'none' routes undefined. */
  body: Record<string, string> | Buffer | undefined;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  /** DER of the TLS client certificate the peer presented, on a listener that asks for one. */
  clientCertificateDer?: Buffer;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface SimRoute {
  method: SimMethod;
  /** Fastify-style path, e.g. '/launcher/:mode/:n'. */
  path: string;
  body?: 'form' | 'raw' | 'none';
  handle(req: SimRequest): Promise<SimResponse>;
}

/** The subset of a pino logger the simulator writes to (pino's Logger satisfies it). */
export interface SimLog {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}
