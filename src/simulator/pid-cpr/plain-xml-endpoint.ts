import { childElements, parseXml, singleText } from '../../xml/index.js';
import { bytes } from '../http/responses.js';
import type { SimRequest, SimResponse } from '../http/types.js';
import { PID_CPR_STATUS, statusTexts, type PidCprAnswer, type PidCprService } from './service.js';
import { escapeXml } from './xml-escape.js';

// POST /pid_serviceprovider_server/pidxml/ — the plain-XML PID-CPR protocol (nemid-protocol.md §8): one form field
// PID_REQUEST holding an iso-8859-1 XML document; the answer is iso-8859-1 XML with the request's id.

const MAX_REQUEST_BYTES = 16 * 1024;

interface ParsedRequest {
  id: string;
  serviceId: string;
  pid: string;
  cpr?: string;
}

type Parsed = { ok: true; request: ParsedRequest } | { ok: false; status: number; id: string; pid: string };

export function parsePidRequest(unverifiedXml: string): Parsed {
  let document: Document;
  try {
    document = parseXml(unverifiedXml, { maxBytes: MAX_REQUEST_BYTES, errorCode: 'BAD_REQUEST' });
  } catch {
    return { ok: false, status: PID_CPR_STATUS.XML_PARSE_ERROR, id: '', pid: '' };
  }
  const method = document.documentElement;
  if (method.localName !== 'method' || Boolean(method.namespaceURI) || method.getAttribute('name') !== 'pidCprRequest') {
    return { ok: false, status: PID_CPR_STATUS.NOT_PID_SERVICE_REQUEST, id: '', pid: '' };
  }
  const requests = childElements(method, undefined, 'request');
  const request = requests[0];
  if (requests.length !== 1 || !request) return { ok: false, status: PID_CPR_STATUS.XML_PARSE_ERROR, id: '', pid: '' };
  const id = request.getAttribute('id') ?? '';
  try {
    const field = (name: string): string | undefined => {
      const found = childElements(request, undefined, name);
      if (found.length > 1) throw new Error(`repeated ${name}`);
      return found[0] ? singleText(found[0], 'BAD_REQUEST').trim() : undefined;
    };
    const serviceId = field('serviceId');
    const pid = field('pid') ?? '';
    const cpr = field('cpr');
    if (method.getAttribute('version') !== '1.0') return { ok: false, status: PID_CPR_STATUS.XML_VERSION_NOT_SUPPORTED, id, pid };
    if (id === '' || serviceId === undefined) return { ok: false, status: PID_CPR_STATUS.XML_PARSE_ERROR, id, pid };
    return { ok: true, request: { id, serviceId, pid, ...(cpr === undefined || cpr === '' ? {} : { cpr }) } };
  } catch {
    return { ok: false, status: PID_CPR_STATUS.XML_PARSE_ERROR, id, pid: '' };
  }
}

export function pidResponseXml(id: string, pid: string, answer: PidCprAnswer): string {
  const texts = statusTexts(answer.status);
  return (
    '<?xml version="1.0" encoding="iso-8859-1"?>\n' +
    `<method name="pidCprRequest" version="1.0"><response id="${escapeXml(id)}">` +
    `<status statusCode="${answer.status}"><statusText language="DK">${escapeXml(texts.dk)}</statusText>` +
    `<statusText language="UK">${escapeXml(texts.uk)}</statusText></status>` +
    `<pid>${escapeXml(pid)}</pid>` +
    (answer.cpr === undefined ? '' : `<cpr>${escapeXml(answer.cpr)}</cpr>`) +
    '</response></method>'
  ).replace(/[^\u0000-\u00ff]/gu, (char) => `&#${char.codePointAt(0)};`);
}

/** Answers one plain-XML request; `override` is the control switch's forced status, if any. */
export async function answerPlainXml(req: SimRequest, service: PidCprService, override: number | undefined): Promise<SimResponse> {
  const fields = req.body !== undefined && !Buffer.isBuffer(req.body) ? req.body : {};
  const xml = typeof fields['PID_REQUEST'] === 'string' ? fields['PID_REQUEST'] : '';
  const parsed = parsePidRequest(xml);
  let body: string;
  if (!parsed.ok) {
    body = pidResponseXml(parsed.id, parsed.pid, { status: parsed.status });
  } else {
    // A forced OK echoes the CPR asked about, as the service's own OK does (our client requires the echo).
    const forced = override === 0 && parsed.request.cpr !== undefined ? { status: 0, cpr: parsed.request.cpr } : { status: override ?? 0 };
    const answer = override !== undefined ? forced : await service.answer(parsed.request);
    body = pidResponseXml(parsed.request.id, parsed.request.pid, answer);
  }
  return bytes(200, Buffer.from(body, 'latin1'), 'text/xml; charset=iso-8859-1');
}
