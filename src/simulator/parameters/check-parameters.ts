import { X509Certificate, verify, constants } from 'node:crypto';
import { normalizeParameters, paramsDigest } from '../../nemid/index.js';
import { BoundedLru, decodeStrictBase64, type Clock } from '../../shared/index.js';
import { readFlatStringObject } from './flat-json.js';
import { CODEFILE_MANDATORY, CODEFILE_NAMES, JS_MANDATORY, JS_NAMES, SIGNING_PARAMETER_NAMES, type ClientKind } from './rules.js';
import { parseTimestamp, type TimestampEncoding } from './timestamp.js';

// The checks NemID ran on the parameters before showing the login form (nemid-protocol.md §10 item 2), in the
// order the client and then the server would meet them: JSON and names (APP001/APP007), values (APP001),
// combinations (APP008), digest (APP001), origin (APP007), then server-side signature (SRV001), enrolment (SRV005),
// the enrolled certificate's state (SRV010), clock window (SRV003) and TRANSACTION_CONTEXT (SRV011).

export interface EnrolledSp {
  /** DER of the VOCES the SP sends as SP_CERT. */
  certificateDer: Buffer;
  /** The display name registered at Nets: the signed RequestIssuer property of JS responses. */
  requestIssuer: string;
}

export interface ParameterCheckContext {
  client: ClientKind;
  /** The origin the browser reported for the parameters message (event.origin). */
  messageOrigin: string;
  clock: Clock;
  enrolledSps: readonly EnrolledSp[];
  /** Whether the simulator's CA has revoked this certificate. */
  isRevoked(certificateDer: Buffer): boolean;
}

export interface CheckedParameters {
  client: ClientKind;
  /** The exact ORIGIN (decoded for CodeFile): the only target origin for the answer. */
  origin: string;
  language: 'da' | 'en' | 'kl';
  /** SIGN_PROPERTIES pairs in the order sent; each becomes a signed property. */
  signProperties: [string, string][];
  /** TIMESTAMP verbatim and how it was encoded (the JS TimeStamp property repeats both). */
  timestamp: { value: string; encoding: TimestampEncoding };
  /** JS: the enrolled SP's registered name; CodeFile: the REQUESTISSUER parameter, decoded. */
  requestIssuer: string;
  rememberUseridToken: string;
  preventOtpCard: boolean;
  /** CodeFile ADDITIONAL_PARAMS subject filter: only personal ('PID:'), only employee ('RID:') or all (''). */
  subjectDnFilter: 'PID:' | 'RID:' | '';
}

export type ParameterCheckResult = { ok: true; checked: CheckedParameters } | { ok: false; code: string; reason: string };

export const TIMESTAMP_WINDOW_MS = 180_000;
export const TRANSACTION_CONTEXT_MAX_CHARACTERS = 100;

const BOOLEAN_NAMES = [
  'REMEMBER_USERID_INITIAL_STATUS',
  'DO_NOT_SHOW_CANCEL',
  'ENABLE_AWAITING_APP_APPROVAL_EVENT',
  'PREVENT_OTP_CARD',
  'SUPPRESS_PUSH_TO_DEVICE',
  'SIGNTEXT_MONOSPACEFONT',
];
const SIGN_PROPERTIES = /^(?:[A-Za-z0-9_.-]+=[^;=]*)(?:;[A-Za-z0-9_.-]+=[^;=]*)*$/;
const VOCES_SERIAL = /(?:^|\n|\+ )serialNumber=CVR:[0-9]{8}-UID:[0-9]+(?: \+|\n|$)/;
const spCertificates = new BoundedLru<string, X509Certificate>(16);

class Refusal {
  constructor(
    readonly code: string,
    readonly reason: string,
  ) {}
}

const refuse = (code: string, reason: string): never => {
  throw new Refusal(code, reason);
};

export function checkParameters(unverifiedContent: string, context: ParameterCheckContext): ParameterCheckResult {
  try {
    return { ok: true, checked: runChecks(unverifiedContent, context) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, code: error.code, reason: error.reason };
    throw error;
  }
}

function runChecks(content: string, context: ParameterCheckContext): CheckedParameters {
  const js = context.client === 'js';
  const flat = readFlatStringObject(content);
  if (!flat.ok) return refuse('APP001', `parameters are ${flat.reason}`);

  // Names: JS compares them ignoring case, CodeFile exactly.
  const known = js ? JS_NAMES : CODEFILE_NAMES;
  const values = new Map<string, string>();
  const sent: Record<string, string> = {};
  for (const [name, value] of flat.entries) {
    const key = js ? name.toUpperCase() : name;
    if (values.has(key)) refuse('APP001', `parameter ${key} given twice`);
    if (!known.includes(key)) refuse('APP007', `unknown parameter ${name}`);
    values.set(key, value);
    sent[name] = value;
  }
  for (const name of js ? JS_MANDATORY : CODEFILE_MANDATORY) {
    if (!values.has(name)) refuse('APP007', `missing parameter ${name}`);
  }
  const get = (name: string) => values.get(name);
  const must = (name: string) => values.get(name) as string;
  const same = (value: string, expected: string) => (js ? value.toUpperCase() === expected.toUpperCase() : value === expected);

  // Values.
  const clientFlow = must('CLIENTFLOW');
  const loginFlow = js ? 'OCESLOGIN2' : 'login';
  const signFlow = js ? 'OCESSIGN2' : 'sign';
  if (!same(clientFlow, loginFlow) && !same(clientFlow, signFlow)) refuse('APP001', 'unknown CLIENTFLOW');
  const spCertDer = decodeStrictBase64(must('SP_CERT'));
  if (!spCertDer || spCertDer.length === 0) refuse('APP001', 'SP_CERT is not base64');
  const timestamp = parseTimestamp(must('TIMESTAMP'), { plain: js, base64: true });
  if (!timestamp) refuse('APP001', 'TIMESTAMP not understood');
  const digest = decodeStrictBase64(must('PARAMS_DIGEST'));
  if (!digest || digest.length !== 32) refuse('APP001', 'PARAMS_DIGEST is not base64 of 32 bytes');
  const signature = decodeStrictBase64(must('DIGEST_SIGNATURE'));
  if (!signature || signature.length === 0) refuse('APP001', 'DIGEST_SIGNATURE is not base64');

  const signPropertiesText = get('SIGN_PROPERTIES') ?? '';
  if (signPropertiesText !== '' && !SIGN_PROPERTIES.test(signPropertiesText)) refuse('APP001', 'SIGN_PROPERTIES malformed');
  const signProperties = signPropertiesText === '' ? [] : signPropertiesText.split(';').map((pair) => splitPair(pair));

  let origin: string;
  let requestIssuerParameter = '';
  let subjectDnFilter: CheckedParameters['subjectDnFilter'] = '';
  if (js) {
    origin = must('ORIGIN');
  } else {
    origin = decodeText(must('ORIGIN')) ?? refuse('APP001', 'ORIGIN is not base64');
    requestIssuerParameter = decodeText(must('REQUESTISSUER')) ?? refuse('APP001', 'REQUESTISSUER is not base64');
    if (requestIssuerParameter === '') refuse('APP001', 'REQUESTISSUER is empty');
    subjectDnFilter = readSubjectFilter(get('ADDITIONAL_PARAMS'));
  }
  if (!isSerialisedOrigin(origin)) refuse('APP001', 'ORIGIN is not an origin');

  const languageText = get('LANGUAGE') ?? (js ? 'DA' : 'da');
  const language = js ? languageText.toLowerCase() : languageText;
  if (!(js ? ['da', 'en', 'kl'] : ['da', 'en']).includes(language)) refuse('APP001', 'LANGUAGE unknown');
  for (const name of BOOLEAN_NAMES) {
    const value = get(name);
    if (value !== undefined && !same(value, 'TRUE') && !same(value, 'FALSE')) refuse('APP001', `${name} is not TRUE/FALSE`);
  }
  const credentialUpdate = get('CREDENTIAL_UPDATE');
  if (credentialUpdate !== undefined && !same(credentialUpdate, 'PASSWORD') && !same(credentialUpdate, 'ALIAS')) {
    refuse('APP001', 'CREDENTIAL_UPDATE unknown');
  }
  const transactionContext = get('TRANSACTION_CONTEXT');
  const transactionContextText = transactionContext === undefined ? undefined : decodeText(transactionContext);
  if (transactionContext !== undefined && transactionContextText === undefined) refuse('APP001', 'TRANSACTION_CONTEXT is not base64');

  // Combinations: the simulator offers logon only; signing parameters belong to the signing flow.
  const signingSent = SIGNING_PARAMETER_NAMES.some((name) => values.has(name));
  if (same(clientFlow, signFlow)) refuse('APP008', 'signing flows are not simulated');
  if (signingSent) refuse('APP008', 'sign text with a logon flow');

  // Digest over what was sent (names in their sent case, values verbatim).
  if (paramsDigest(sent) !== must('PARAMS_DIGEST')) refuse('APP001', 'PARAMS_DIGEST mismatch');

  if (origin !== context.messageOrigin) refuse('APP007', 'ORIGIN differs from the message origin');

  // Server side.
  let certificate: X509Certificate;
  try {
    // The same few SP certificates arrive with every login: parsed once each.
    const key = (spCertDer as Buffer).toString('latin1');
    certificate = spCertificates.getOrCreate(key, () => new X509Certificate(spCertDer as Buffer));
  } catch {
    return refuse('SRV001', 'SP_CERT is not a certificate');
  }
  const normalized = Buffer.from(normalizeParameters(sent), 'utf8');
  let signatureValid = false;
  try {
    signatureValid = verify('sha256', normalized, { key: certificate.publicKey, padding: constants.RSA_PKCS1_PADDING }, signature as Buffer);
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) refuse('SRV001', 'DIGEST_SIGNATURE does not verify with SP_CERT');

  const enrolled = context.enrolledSps.find((sp) => sp.certificateDer.equals(spCertDer as Buffer));
  if (!enrolled) return refuse('SRV005', 'SP_CERT is not enrolled');
  const now = context.clock.now().getTime();
  if (now < Date.parse(certificate.validFrom) || now > Date.parse(certificate.validTo)) refuse('SRV010', 'SP certificate not valid now');
  if (context.isRevoked(spCertDer as Buffer)) refuse('SRV010', 'SP certificate revoked');
  if (!VOCES_SERIAL.test(certificate.subject)) refuse('SRV010', 'SP certificate is not a VOCES');

  if (Math.abs((timestamp as { instant: Date }).instant.getTime() - now) > TIMESTAMP_WINDOW_MS) refuse('SRV003', 'TIMESTAMP outside ±180 s');
  if (transactionContextText !== undefined && [...transactionContextText].length > TRANSACTION_CONTEXT_MAX_CHARACTERS) {
    refuse('SRV011', 'TRANSACTION_CONTEXT too long');
  }

  const preventOtp = get('PREVENT_OTP_CARD');
  return {
    client: context.client,
    origin,
    language: language as CheckedParameters['language'],
    signProperties,
    timestamp: { value: must('TIMESTAMP'), encoding: (timestamp as { encoding: TimestampEncoding }).encoding },
    requestIssuer: js ? enrolled.requestIssuer : requestIssuerParameter,
    rememberUseridToken: js ? (get('REMEMBER_USERID') ?? '') : '',
    preventOtpCard: preventOtp !== undefined && same(preventOtp, 'TRUE'),
    subjectDnFilter,
  };
}

function splitPair(pair: string): [string, string] {
  const at = pair.indexOf('=');
  return [pair.slice(0, at), pair.slice(at + 1)];
}

/** Strict base64 of printable UTF-8 text; undefined otherwise. */
function decodeText(value: string): string | undefined {
  const bytes = decodeStrictBase64(value);
  if (!bytes) return undefined;
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : undefined;
}

function isSerialisedOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin;
  } catch {
    return false;
  }
}

/** ADDITIONAL_PARAMS = base64 of `k=v;k=v`, filter values themselves base64 (nemid-protocol.md §3). */
function readSubjectFilter(additional: string | undefined): CheckedParameters['subjectDnFilter'] {
  if (additional === undefined) return '';
  const text = decodeText(additional) ?? refuse('APP001', 'ADDITIONAL_PARAMS is not base64');
  if (text === '') return '';
  let filter: CheckedParameters['subjectDnFilter'] = '';
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at <= 0) refuse('APP001', 'ADDITIONAL_PARAMS malformed');
    const name = pair.slice(0, at);
    const value = pair.slice(at + 1);
    if (name !== 'subjectdnfilter') continue;
    const decoded = value === '' ? '' : decodeText(value);
    if (decoded !== 'PID:' && decoded !== 'RID:' && decoded !== '') refuse('APP001', 'subjectdnfilter unknown');
    filter = decoded as CheckedParameters['subjectDnFilter'];
  }
  return filter;
}
