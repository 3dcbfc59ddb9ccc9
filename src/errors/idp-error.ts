import { catalogue, type CatalogueEntry, type ErrorCode } from './catalogue.js';

/**
 * The only error type that crosses module boundaries. `detail` and `cause` are for the log only: the renderer shows
 * the user the catalogue message for `code` and the SP only the code itself.
 */
export class IdpError extends Error {
  readonly code: ErrorCode;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown; detail?: Record<string, unknown> }) {
    super(message ?? code, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IdpError';
    this.code = code;
    this.detail = options?.detail;
  }

  get entry(): CatalogueEntry {
    return catalogue[this.code];
  }
}

export function isIdpError(error: unknown, code?: ErrorCode): error is IdpError {
  return error instanceof IdpError && (code === undefined || error.code === code);
}

/** Runs `fn`; anything it throws that is not already an IdpError becomes `code`, with the original as cause. */
export async function withErrorCode<T>(code: ErrorCode, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof IdpError) throw error;
    throw new IdpError(code, undefined, { cause: error });
  }
}
