// Outbound HTTP for revocation data: only hosts on the allow-list, no redirects, a timeout and a byte cap, so a
// hostile distribution point can neither send us elsewhere nor exhaust memory.

export type FetchLike = typeof fetch;

/**
 * `crl.*.trust2408.com`, `localhost:8081`, `127.0.0.1:*`: `*` is one DNS label, or any port after a colon; a
 * pattern without a port allows only the scheme's default port.
 */
export function hostAllowed(url: URL, patterns: readonly string[]): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (url.username || url.password) return false;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const host = url.hostname.toLowerCase();
  return patterns.some((pattern) => {
    const [hostPattern = '', portPattern] = pattern.toLowerCase().split(/:(?=[^:]*$)/);
    const defaultPort = url.protocol === 'https:' ? '443' : '80';
    if (portPattern === undefined ? port !== defaultPort : portPattern !== '*' && portPattern !== port) return false;
    const labels = hostPattern.split('.');
    const actual = host.split('.');
    return labels.length === actual.length && labels.every((label, i) => label === '*' || label === actual[i]);
  });
}

export class FetchError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FetchError';
  }
}

export async function fetchBytes(
  url: string,
  options: {
    allowedHosts: readonly string[];
    timeoutMs: number;
    maxBytes: number;
    fetchImpl?: FetchLike;
    method?: 'GET' | 'POST';
    body?: Buffer;
    contentType?: string;
    accept?: string;
  },
): Promise<Buffer> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new FetchError('invalid URL', { cause: error });
  }
  if (!hostAllowed(parsed, options.allowedHosts)) throw new FetchError(`host not allowed: ${parsed.host}`);
  const headers: Record<string, string> = {};
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.accept) headers.accept = options.accept;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await (options.fetchImpl ?? fetch)(parsed, {
      method: options.method ?? 'GET',
      redirect: 'error',
      signal,
      headers,
      ...(options.body ? { body: new Uint8Array(options.body) } : {}),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new FetchError(`HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw new FetchError('response larger than the cap');
    }
    if (!response.body) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    let total = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => {});
        throw new FetchError('response larger than the cap');
      }
      chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof FetchError) throw error;
    throw new FetchError(signal.aborted ? 'timeout' : 'fetch failed', { cause: error });
  }
}
