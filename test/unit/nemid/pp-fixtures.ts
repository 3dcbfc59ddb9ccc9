import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';

// The real NemID pre-production artifacts (test/fixtures/nemid-preproduction, README there).
export const PP_DIR = new URL('../../fixtures/nemid-preproduction/', import.meta.url);

export function ppFile(relative: string): Buffer {
  return readFileSync(new URL(relative, PP_DIR));
}

export function ppResponse(name: string): Buffer {
  return ppFile(`responses/${name}`);
}

export function pemToDer(pem: string | Buffer): Buffer {
  const text = pem.toString();
  const body = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text)?.[1];
  if (!body) throw new Error('no certificate in PEM');
  return Buffer.from(body.replace(/\s+/g, ''), 'base64');
}

export function ppCertDer(name: string): Buffer {
  return pemToDer(ppFile(`certs/${name}.cert.pem`));
}

export function ppKey(name: string): KeyObject {
  return createPrivateKey(ppFile(`certs/${name}.key.pem`));
}

export function trustDer(fileName: string): Buffer {
  return pemToDer(ppFile(`trust/${fileName}`));
}
