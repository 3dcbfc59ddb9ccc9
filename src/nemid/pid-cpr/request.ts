import { IdpError } from '../../errors/index.js';

// The plain-XML PID-CPR request (nemid-protocol.md §8): an iso-8859-1 XML document in the form field PID_REQUEST,
// percent-encoded byte by byte in iso-8859-1. Values are digits and dashes, checked here, so nothing needs escaping.

const SPID = /^[0-9]{1,20}$/;
const BARE_PID = /^[0-9]{4}-[0-9]{4}-[0-9]-[0-9]{6,20}$/;
const REQUEST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CPR = /^[0-9]{10}$/;

export interface PidCprRequest {
  id: string;
  spid: string;
  /** The bare PID (no "PID:" prefix). */
  pid: string;
  /** Present for a match, absent for a lookup. */
  cpr?: string;
}

export function pidCprRequestXml(request: PidCprRequest): string {
  if (!REQUEST_ID.test(request.id)) throw new IdpError('INTERNAL_ERROR', 'PID-CPR request id has an unexpected form');
  if (!SPID.test(request.spid)) throw new IdpError('CONFIG_INVALID', 'PID_CPR_SPID must be numeric');
  if (!BARE_PID.test(request.pid)) throw new IdpError('CPR_NO_PID', 'the PID has an unexpected form');
  if (request.cpr !== undefined && !CPR.test(request.cpr)) throw new IdpError('CPR_FORMAT_INVALID');
  return (
    '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    `<method name="pidCprRequest" version="1.0"><request id="${request.id}">` +
    `<serviceId>${request.spid}</serviceId><pid>${request.pid}</pid>` +
    (request.cpr === undefined ? '' : `<cpr>${request.cpr}</cpr>`) +
    '</request></method>'
  );
}

/** application/x-www-form-urlencoded body `PID_REQUEST=<xml>` with iso-8859-1 percent-encoding. */
export function pidCprFormBody(xml: string): Buffer {
  let encoded = 'PID_REQUEST=';
  for (const char of xml) {
    const code = char.codePointAt(0)!;
    if (code > 0xff) throw new IdpError('INTERNAL_ERROR', 'PID-CPR request is not representable in iso-8859-1');
    if (/[A-Za-z0-9*\-._]/.test(char)) encoded += char;
    else if (char === ' ') encoded += '+';
    else encoded += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return Buffer.from(encoded, 'latin1');
}
