// A minimal browser for driving logins over HTTP: a cookie jar per host, manual redirects that stay on the host,
// form posts. Shared by the e2e tests (test/helpers/e2e.ts) and the load driver (login-driver.ts), so both drive a
// login the same way. Each instance is one fresh browser: no cookie is ever shared between instances.

export interface BrowserResponse {
  readonly status: number;
  readonly url: string;
  readonly text: string;
  readonly headers: Headers;
}

export interface BrowserOptions {
  /** Called for every HTTP response, redirects included (the load driver reads `x-served-by` here). */
  readonly onResponse?: (url: URL, response: Response) => void;
  /** Bounds every request (the load driver passes a timeout signal; tests leave it out). */
  readonly signal?: () => AbortSignal | undefined;
}

export class TestBrowser {
  private readonly jar = new Map<string, Map<string, string>>();

  constructor(private readonly options: BrowserOptions = {}) {}

  private cookieHeader(url: URL): string | undefined {
    const cookies = this.jar.get(url.host);
    return cookies && cookies.size > 0 ? [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private store(url: URL, response: Response): void {
    const cookies = this.jar.get(url.host) ?? new Map<string, string>();
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(header)) cookies.delete(name);
      else cookies.set(name, value);
    }
    this.jar.set(url.host, cookies);
  }

  cookies(host: string): Map<string, string> {
    return this.jar.get(host) ?? new Map();
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; json?: unknown } = {}): Promise<BrowserResponse> {
    let target = new URL(url);
    let method = init.method ?? (init.form || init.json ? 'POST' : 'GET');
    let body: string | undefined = init.form ? new URLSearchParams(init.form).toString() : init.json !== undefined ? JSON.stringify(init.json) : undefined;
    for (let hop = 0; hop < 10; hop++) {
      const headers: Record<string, string> = { accept: 'text/html' };
      const cookie = this.cookieHeader(target);
      if (cookie) headers['cookie'] = cookie;
      if (body !== undefined) headers['content-type'] = init.json !== undefined ? 'application/json' : 'application/x-www-form-urlencoded';
      const signal = this.options.signal?.();
      const response = await fetch(target, { method, headers, body, redirect: 'manual', ...(signal ? { signal } : {}) });
      this.options.onResponse?.(target, response);
      this.store(target, response);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        const next = new URL(location, target);
        // Redirects that leave the IdP (to an SP) are returned to the caller, like a browser leaving the page.
        if (next.host !== target.host) return { status: response.status, url: next.toString(), text: '', headers: response.headers };
        target = next;
        method = 'GET';
        body = undefined;
        continue;
      }
      return { status: response.status, url: target.toString(), text: await response.text(), headers: response.headers };
    }
    throw new Error('too many redirects');
  }
}

export function hiddenField(html: string, name: string): string | undefined {
  const match = new RegExp(`<input type="hidden" name="${name}" value="([^"]*)"`).exec(html);
  return match ? decodeEntities(match[1]!) : undefined;
}

export function formAction(html: string): string | undefined {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  return match ? decodeEntities(match[1]!) : undefined;
}

function decodeEntities(value: string): string {
  return value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The SAML POST page the IdP answered with: where it posts and the fields it carries. */
export function samlPostForm(html: string): { action: string; SAMLResponse: string; RelayState?: string } {
  const action = formAction(html);
  const SAMLResponse = hiddenField(html, 'SAMLResponse');
  if (!action || !SAMLResponse) throw new Error(`not a SAML POST page: ${html.slice(0, 300)}`);
  const RelayState = hiddenField(html, 'RelayState');
  return { action, SAMLResponse, ...(RelayState !== undefined ? { RelayState } : {}) };
}

/** The catalogue code an error page shows (`<code>CODE</code>` after "Fejlkode"/"Error code"), if it is one. */
export function errorPageCode(html: string): string | undefined {
  return /(?:Fejlkode|Error code): <code>([A-Z][A-Z0-9_]+)<\/code>/.exec(html)?.[1];
}
