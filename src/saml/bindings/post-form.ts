// The HTTP-POST binding page (saml-profile.md §3.1): an auto-submitting form whose script carries the page's CSP
// nonce, a <noscript> Continue button, every value HTML-escaped. RelayState is echoed byte for byte when present.

export interface PostFormInput {
  action: string;
  fields: { SAMLResponse: string; RelayState?: string } | { SAMLRequest: string; RelayState?: string };
  nonce: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;

export function renderPostForm(input: PostFormInput): string {
  if (!NONCE.test(input.nonce)) throw new Error('CSP nonce must be at least 16 base64 characters');
  const hidden = Object.entries(input.fields)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n    ');
  return `<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>…</title></head>
<body>
  <form method="post" action="${escapeHtml(input.action)}">
    ${hidden}
    <noscript><button type="submit">Fortsæt / Continue</button></noscript>
  </form>
  <script nonce="${escapeHtml(input.nonce)}">document.forms[0].submit();</script>
</body>
</html>
`;
}

/**
 * Response headers for the POST page. No `form-action`: browsers (Chromium, CSP 3) apply it to every redirect that
 * follows the submission, so an ACS answering 303 to the SP's landing page on another origin (or back to us over
 * another scheme) would strand the user on a blank page. Leaving it out costs nothing here: the page's only form is
 * ours, its action is the ACS verified against metadata, every value is HTML-escaped, and `default-src 'none'` with
 * a nonce-only `script-src` and `base-uri 'none'` leave no way to inject another form or change where this one goes.
 */
export function postFormHeaders(action: string, nonce: string): Record<string, string> {
  new URL(action); // an absolute URL, or this throws before any page is sent
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; frame-ancestors 'none'; base-uri 'none'`,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  };
}
