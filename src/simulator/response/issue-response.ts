import { createPrivateKey } from 'node:crypto';
import { loginProperties, signOcesResponse } from '../../nemid/index.js';
import type { ResponseIssuer } from '../login/flow.js';
import type { SimulatorPki } from '../pki-port.js';
import { applyDocumentFault, applyPropertyFault, keyInfoOrder } from './faults.js';

// Builds the signed login response for a finished simulated login (nemid-protocol.md §10 item 4) with nemid's
// response serialiser, then applies the user's fault, if any. The CodeFile client wrote a SIGNTEXT property on a
// logon ("OpenLogon <date>"), no TimeStamp and, in the one real sample, no identityAssuranceLevel; we do the same.

export function responseIssuer(pki: SimulatorPki, now: () => Date): ResponseIssuer {
  return async ({ checked, user, fault, rememberUseridToken }) => {
    const properties = applyPropertyFault(
      fault,
      loginProperties(checked.client, {
        requestIssuer: checked.requestIssuer,
        signProperties: checked.signProperties,
        ...(checked.client === 'js'
          ? {
              timestamp: { sent: checked.timestamp.value, encoding: checked.timestamp.encoding },
              identityAssuranceLevel: user.identityAssuranceLevel,
            }
          : { signtext: openLogonText(now()) }),
        ...(rememberUseridToken === undefined ? {} : { rememberUseridToken }),
      }),
    );
    let certificates: { leaf: Buffer; issuingCa: Buffer; root: Buffer };
    let leafKey;
    if (fault === 'untrusted-root') {
      const forged = await pki.forgedChain(user);
      certificates = { leaf: forged.leafDer, issuingCa: forged.issuingCaDer, root: forged.rootDer };
      leafKey = forged.privateKey;
    } else {
      // A created user signs with the certificate issued at its creation; a shipped one with the dev PKI's.
      const credential = user.credential
        ? { certificateDer: user.credential.certificateDer, privateKey: createPrivateKey(user.credential.privateKeyPem) }
        : await pki.userCredential(user);
      certificates = { leaf: credential.certificateDer, issuingCa: pki.issuingCaDer, root: pki.rootDer };
      leafKey = credential.privateKey;
    }
    const signed = signOcesResponse({
      client: checked.client,
      leafKey,
      certificates,
      properties,
      keyInfoOrder: keyInfoOrder(checked.client, fault),
    });
    return applyDocumentFault(fault, signed);
  };
}

/** "OpenLogon 5/11/21 9:30 PM" as in the real CodeFile sample (US short date and time, Danish time). */
function openLogonText(instant: Date): string {
  const formatted = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Copenhagen',
    year: '2-digit',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  }).format(instant);
  return `OpenLogon ${formatted.replace(',', '').replace(/\u202f/g, ' ')}`;
}
