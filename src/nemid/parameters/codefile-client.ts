import type { KeyObject } from 'node:crypto';
import { IdpError } from '../../errors/index.js';
import {
  checkChallengeFormat,
  checkOrigin,
  createChallenge,
  encodeSpCertificate,
  formatTimestamp,
  signParameters,
  toPrivateKey,
  type SignedClientParameters,
} from './common.js';

// Parameters of the CodeFile client, flow `login` (nemid-protocol.md §3): names and values case-sensitive; TIMESTAMP,
// REQUESTISSUER, ORIGIN and ADDITIONAL_PARAMS base64; certificate filters only inside ADDITIONAL_PARAMS.

const CODEFILE_PARAMETER_NAMES = [
  'CLIENTFLOW',
  'SP_CERT',
  'TIMESTAMP',
  'REQUESTISSUER',
  'ORIGIN',
  'LANGUAGE',
  'SIGN_PROPERTIES',
  'ADDITIONAL_PARAMS',
] as const;

export type CodeFileEnvironment = 'preproduction' | 'production' | 'simulator';

/** The issuer-DN filter per environment: a prefix of the issuing CAs' names. */
const ISSUER_DN_FILTER: Record<CodeFileEnvironment, string> = {
  preproduction: 'TRUST2408 Systemtest',
  production: 'TRUST2408 OCES',
  simulator: 'nemid-idp Simulator',
};

export interface CodeFileClientInput {
  spCertDer: Buffer;
  spKey: KeyObject | string | Buffer;
  origin: string;
  language: 'da' | 'en';
  challenge?: string | undefined;
  timestamp: Date;
  /** NEMID_REQUEST_ISSUER: echoed back as the signed RequestIssuer property. */
  requestIssuer: string;
  /** `PID:` personal certificates only, `RID:` employee certificates only, `` all. */
  subjectDnFilter: 'PID:' | 'RID:' | '';
  environment: CodeFileEnvironment;
}

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export function buildCodeFileParameters(input: CodeFileClientInput): SignedClientParameters {
  const challenge = checkChallengeFormat(input.challenge ?? createChallenge());
  const timestamp = formatTimestamp(input.timestamp);
  // REQUESTISSUER travels base64-encoded, so only control characters are refused.
  if (input.requestIssuer === '' || /[\x00-\x1f\x7f]/.test(input.requestIssuer)) {
    throw new IdpError('NEMID_PARAMETERS_INVALID', 'REQUESTISSUER must be a non-empty name without control characters');
  }
  if (!['PID:', 'RID:', ''].includes(input.subjectDnFilter)) throw new IdpError('NEMID_PARAMETERS_INVALID', 'subject DN filter');
  const issuerFilter = ISSUER_DN_FILTER[input.environment];
  if (issuerFilter === undefined) throw new IdpError('NEMID_PARAMETERS_INVALID', 'unknown environment');
  const additional = [
    ...(input.subjectDnFilter === '' ? [] : [`subjectdnfilter=${base64(input.subjectDnFilter)}`]),
    `issuerdnfilter=${base64(issuerFilter)}`,
  ].join(';');
  const parameters = signParameters(
    [
      ['CLIENTFLOW', 'login'],
      ['SP_CERT', encodeSpCertificate(input.spCertDer)],
      ['TIMESTAMP', timestamp],
      ['REQUESTISSUER', base64(input.requestIssuer)],
      ['ORIGIN', base64(checkOrigin(input.origin))],
      ['LANGUAGE', input.language],
      ['SIGN_PROPERTIES', `challenge=${challenge}`],
      ['ADDITIONAL_PARAMS', base64(additional)],
    ],
    CODEFILE_PARAMETER_NAMES,
    toPrivateKey(input.spKey),
  );
  return { json: JSON.stringify(parameters), parameters, timestamp, challenge };
}
