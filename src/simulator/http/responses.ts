import type { SimRequest, SimResponse } from './types.js';

// Small response builders shared by the simulator's routes. Every answer says no-store: the simulator's pages and
// answers are per-session and must never be served from a cache to another test.

const NO_STORE = { 'cache-control': 'no-store' };

export function json(status: number, value: unknown): SimResponse {
  return { status, headers: { ...NO_STORE, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(value) };
}

export function text(status: number, body: string, contentType = 'text/plain; charset=utf-8'): SimResponse {
  return { status, headers: { ...NO_STORE, 'content-type': contentType }, body };
}

export function bytes(status: number, body: Buffer, contentType: string): SimResponse {
  return { status, headers: { ...NO_STORE, 'content-type': contentType }, body };
}

/** Fields of a 'raw' body sent as JSON or as a form; null when it is neither or malformed. */
export function jsonOrFormFields(req: SimRequest): Record<string, string> | null {
  const body = req.body;
  if (body === undefined) return {};
  if (!Buffer.isBuffer(body)) return stringFields(body);
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const raw = body.toString('utf8');
  if (contentType === 'application/json') {
    try {
      return stringFields(JSON.parse(raw));
    } catch {
      return null;
    }
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return null;
}

/** The body of a JSON API call as an object; null when it is not one. */
export function jsonObject(req: SimRequest): Record<string, unknown> | null {
  if (!Buffer.isBuffer(req.body)) return null;
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function stringFields(value: unknown): Record<string, string> | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') return null;
    out[key] = entry;
  }
  return out;
}
