import { IdpError, type ErrorCode } from '../errors/index.js';
import { decodeStrictBase64 } from '../shared/index.js';
import { CLIENT_ERROR_CODE_PATTERN, catalogueCodeForClass, clientErrorClass, type ClientErrorClass } from './client-errors.js';

// Step 1 of nemid-protocol.md §4.5: the posted `response` field is base64 of either a client error code or the
// signed XML document. Nothing is trusted here; a document still has to pass verifyNemidResponse.

/** Largest accepted `response` field (real documents are ~11.4 kB as base64). */
export const MAX_RESPONSE_FIELD_BYTES = 64 * 1024;

export type ClassifiedClientResponse =
  | { kind: 'error'; code: string; class: ClientErrorClass; errorCode: ErrorCode }
  | { kind: 'document'; xml: Buffer };

export function classifyClientResponse(rawField: string): ClassifiedClientResponse {
  const malformed = (reason: string): never => {
    throw new IdpError('NEMID_RESPONSE_MALFORMED', `client response refused: ${reason}`);
  };
  if (typeof rawField !== 'string') malformed('not a string');
  if (Buffer.byteLength(rawField, 'utf8') > MAX_RESPONSE_FIELD_BYTES) malformed('too large');
  const decoded = decodeStrictBase64(rawField.trim());
  if (!decoded || decoded.length === 0) malformed('not strict base64');
  const bytes = decoded as Buffer;
  const text = bytes.toString('latin1');
  if (CLIENT_ERROR_CODE_PATTERN.test(text)) {
    const errorClass = clientErrorClass(text);
    return { kind: 'error', code: text, class: errorClass, errorCode: catalogueCodeForClass(errorClass) };
  }
  if (bytes[0] !== 0x3c) malformed('neither a client error code nor an XML document');
  return { kind: 'document', xml: bytes };
}
