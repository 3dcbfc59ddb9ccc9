import { inflateRawSync } from 'node:zlib';
import { IdpError } from '../../errors/index.js';
import { LIMITS } from '../constants.js';

// Raw DEFLATE (RFC 1951) with an output cap: zlib stops as soon as the output would pass the cap, so a deflate bomb
// costs at most the cap in memory (saml-profile.md §2.1).

export function inflateBounded(compressed: Buffer, maxBytes: number = LIMITS.inflatedBytes): Buffer {
  try {
    return inflateRawSync(compressed, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new IdpError('SAML_REQUEST_TOO_LARGE', `inflated message larger than ${maxBytes} bytes`);
    }
    throw new IdpError('SAML_REQUEST_MALFORMED', 'SAMLRequest is not raw DEFLATE data', { cause: error });
  }
}
