// The only module that touches XML libraries (@xmldom/xmldom, xml-crypto, xml-encryption): one hardened parser,
// signature verification that returns only what was signed, signing and encryption. Trusts no input.
export * from './parse.js';
export * from './namespaces.js';
