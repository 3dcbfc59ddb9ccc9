import { timingSafeEqual } from 'node:crypto';
import { IdpError } from '../../errors/index.js';
import { childElements, parseXml, singleText } from '../../xml/index.js';

// Parsing a plain-XML PID-CPR response: the hardened parser (no DTD, bounded), exactly the expected structure, the
// id of our own request, a numeric status. What the service says about the person is checked by the client.

export const MAX_PID_CPR_RESPONSE_BYTES = 32 * 1024;

export interface PidCprReply {
  status: number;
  pid?: string;
  cpr?: string;
}

const invalid = (reason: string): IdpError => new IdpError('CPR_RESPONSE_INVALID', `PID-CPR response refused: ${reason}`);

/** Decodes the body per its XML declaration: iso-8859-1 (what Nets sends) or UTF-8 (the XML default). */
export function decodePidCprBody(body: Buffer): string {
  const head = body.subarray(0, 200).toString('latin1');
  const declared = /^\uFEFF?<\?xml[^?]*encoding=["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared === 'iso-8859-1' || declared === 'latin1' || declared === 'iso8859-1') return body.toString('latin1');
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw invalid('not valid UTF-8');
    }
  }
  throw invalid(`unsupported encoding ${declared}`);
}

function only(parent: Element, name: string, required: boolean): Element | undefined {
  const found = childElements(parent, undefined, name);
  if (found.length > 1 || (required && found.length === 0)) throw invalid(`expected ${required ? 'exactly' : 'at most'} one <${name}>`);
  return found[0];
}

export function parsePidCprResponse(body: Buffer, expectedId: string): PidCprReply {
  if (body.length > MAX_PID_CPR_RESPONSE_BYTES) throw invalid('too large');
  const text = decodePidCprBody(body);
  const document = parseXml(text, { maxBytes: MAX_PID_CPR_RESPONSE_BYTES * 2, errorCode: 'CPR_RESPONSE_INVALID' });
  const method = document.documentElement;
  if (method.localName !== 'method' || method.namespaceURI || method.getAttribute('name') !== 'pidCprRequest') throw invalid('not a pidCprRequest method');
  const response = only(method, 'response', true)!;
  const id = response.getAttribute('id') ?? '';
  if (!sameText(id, expectedId)) throw invalid('response id is not our request id');
  const status = only(response, 'status', true)!;
  const statusCode = status.getAttribute('statusCode') ?? '';
  if (!/^[0-9]{1,9}$/.test(statusCode)) throw invalid('statusCode is not a number');
  const pidElement = only(response, 'pid', false);
  const cprElement = only(response, 'cpr', false);
  const pid = pidElement ? singleText(pidElement, 'CPR_RESPONSE_INVALID').trim() : '';
  const cpr = cprElement ? singleText(cprElement, 'CPR_RESPONSE_INVALID').trim() : '';
  return { status: Number(statusCode), ...(pid ? { pid } : {}), ...(cpr ? { cpr } : {}) };
}

/** Constant-time equality of two short strings (CPR numbers, ids). */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
