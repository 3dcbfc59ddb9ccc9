// The only module that touches XML libraries (@xmldom/xmldom, xml-crypto, xml-encryption): one hardened parser,
// signature verification that returns only what was signed, signing and encryption. Trusts no input.
export * from './parse.js';
export * from './namespaces.js';
export * from './enveloping-signature.js';
export * from './build.js';
export * from './sign.js';
export * from './enveloped-signature.js';
export * from './encrypt.js';
export * from './decrypt.js';
export * from './schema.js';
export * from './signature-algorithms.js';
