import type { KeyObject } from 'node:crypto';
import { decodeStrictBase64 } from '../../shared/index.js';
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

// Parameters of the JS client, flow OCESLOGIN2 (nemid-protocol.md §2.2): exactly the names of the table, upper case.

const JS_PARAMETER_NAMES = [
  'CLIENTFLOW',
  'SP_CERT',
  'TIMESTAMP',
  'SIGN_PROPERTIES',
  'ORIGIN',
  'LANGUAGE',
  'REMEMBER_USERID',
  'REMEMBER_USERID_INITIAL_STATUS',
] as const;

export interface JsClientInput {
  spCertDer: Buffer;
  spKey: KeyObject | string | Buffer;
  /** The login page's origin as the browser reports it. */
  origin: string;
  language: 'da' | 'en';
  /** The token from the user's cookie; anything that is not plain base64 is sent as "" (NemID treats it alike). */
  rememberUseridToken?: string | undefined;
  /** Defaults to a fresh 128-bit challenge. */
  challenge?: string | undefined;
  /** The instant from the injected clock. */
  timestamp: Date;
}

export function buildJsClientParameters(input: JsClientInput): SignedClientParameters {
  const challenge = checkChallengeFormat(input.challenge ?? createChallenge());
  const timestamp = formatTimestamp(input.timestamp);
  const token = input.rememberUseridToken ?? '';
  const rememberUserid = token.length <= 4096 && decodeStrictBase64(token) ? token : '';
  const parameters = signParameters(
    [
      ['CLIENTFLOW', 'OCESLOGIN2'],
      ['SP_CERT', encodeSpCertificate(input.spCertDer)],
      ['TIMESTAMP', timestamp],
      ['SIGN_PROPERTIES', `challenge=${challenge}`],
      ['ORIGIN', checkOrigin(input.origin)],
      ['LANGUAGE', input.language === 'en' ? 'EN' : 'DA'],
      ['REMEMBER_USERID', rememberUserid],
      ['REMEMBER_USERID_INITIAL_STATUS', 'FALSE'],
    ],
    JS_PARAMETER_NAMES,
    toPrivateKey(input.spKey),
  );
  return { json: JSON.stringify(parameters), parameters, timestamp, challenge };
}
