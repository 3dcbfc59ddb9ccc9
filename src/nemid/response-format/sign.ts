import { createHash, sign, constants, type KeyObject } from 'node:crypto';
import { objectXml, serializeOcesResponse, signedInfoXml, type ResponseClient, type ResponseProperty } from './layout.js';

// Signs an OCES login response the way the NemID clients did: SHA-256 of the canonical Object, RSA-SHA256 over the
// canonical SignedInfo with the user's leaf key. Used by the simulator and by tests that need fresh real signatures.

export interface SignOcesResponseInput {
  client: ResponseClient;
  leafKey: KeyObject;
  /** DER certificates: the leaf first, then its issuing CA, then the root (the layout order is applied here). */
  certificates: { leaf: Buffer; issuingCa?: Buffer; root?: Buffer };
  properties: readonly ResponseProperty[];
  /** KeyInfo order; defaults to the client's: JS [CA, user, root], CodeFile [user, CA, root]. */
  keyInfoOrder?: readonly ('leaf' | 'issuingCa' | 'root')[];
}

const DEFAULT_ORDER: Record<ResponseClient, readonly ('leaf' | 'issuingCa' | 'root')[]> = {
  js: ['issuingCa', 'leaf', 'root'],
  codefile: ['leaf', 'issuingCa', 'root'],
};

export function signOcesResponse(input: SignOcesResponseInput): string {
  const digestValue = createHash('sha256').update(objectXml(input.client, input.properties), 'utf8').digest();
  const signatureValue = sign('sha256', Buffer.from(signedInfoXml(digestValue), 'utf8'), {
    key: input.leafKey,
    padding: constants.RSA_PKCS1_PADDING,
  });
  const order = input.keyInfoOrder ?? DEFAULT_ORDER[input.client];
  const certificates = order.flatMap((slot) => {
    const der = input.certificates[slot];
    return der ? [der] : [];
  });
  return serializeOcesResponse({ client: input.client, properties: input.properties, digestValue, signatureValue, certificates });
}

export interface LoginPropertiesInput {
  requestIssuer: string;
  /** SIGN_PROPERTIES pairs in the order sent (we send only `challenge`). */
  signProperties?: readonly [string, string][];
  /** JS only: TIMESTAMP as sent; `base64` when it was sent base64-encoded (the text here is then the base64 text). */
  timestamp?: { sent: string; encoding: 'xml' | 'base64' };
  /** JS only; absent when not enabled for the SP. */
  identityAssuranceLevel?: '1' | '2';
  rememberUseridToken?: string;
  /** CodeFile only: the SIGNTEXT it adds to a logon. */
  signtext?: string;
  action?: 'logon' | 'sign';
}

/** The properties of a login in each client's order (nemid-protocol.md §4.3; §3 for CodeFile). */
export function loginProperties(client: ResponseClient, input: LoginPropertiesInput): ResponseProperty[] {
  const properties: ResponseProperty[] = [{ name: 'RequestIssuer', value: input.requestIssuer, encoding: 'base64', visibleToSigner: true }];
  for (const [name, value] of input.signProperties ?? []) properties.push({ name, value, encoding: 'xml', visibleToSigner: false });
  const action = input.action ?? 'logon';
  if (client === 'js') {
    if (input.timestamp) {
      const value = input.timestamp.encoding === 'base64' ? Buffer.from(input.timestamp.sent, 'base64').toString('utf8') : input.timestamp.sent;
      properties.push({ name: 'TimeStamp', value, encoding: input.timestamp.encoding, visibleToSigner: false });
    }
    properties.push({ name: 'action', value: action, encoding: 'xml', visibleToSigner: false });
    if (input.identityAssuranceLevel) {
      properties.push({ name: 'identityAssuranceLevel', value: input.identityAssuranceLevel, encoding: 'xml', visibleToSigner: false });
    }
  } else {
    properties.push({ name: 'SIGNTEXT', value: input.signtext ?? '', encoding: 'base64', visibleToSigner: false });
    properties.push({ name: 'action', value: action, encoding: 'base64', visibleToSigner: false });
  }
  if (input.rememberUseridToken !== undefined) {
    // Opaque: written exactly as given (NemID's token is base64 text that is never decoded).
    const token = input.rememberUseridToken;
    properties.push({ name: 'rememberUseridToken', value: token, encoding: 'base64', visibleToSigner: false, signedText: token });
  }
  return properties;
}
