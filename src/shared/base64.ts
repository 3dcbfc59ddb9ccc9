const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (RFC 4648 §4, padding required); null when the text is not exactly that. */
export function decodeStrictBase64(text: string): Buffer | null {
  if (!STRICT_BASE64.test(text)) return null;
  return Buffer.from(text, 'base64');
}

/** Base64 whose text may be broken over lines (X509Certificate, SignatureValue); other characters are refused. */
export function decodeBase64IgnoringWhitespace(text: string): Buffer | null {
  return decodeStrictBase64(text.replace(/[\r\n\t ]+/g, ''));
}

export function encodeBase64(bytes: Uint8Array | string): string {
  return Buffer.from(bytes).toString('base64');
}
