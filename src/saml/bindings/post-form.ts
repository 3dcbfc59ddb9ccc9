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

/** Response headers for the POST page; form-action is limited to the ACS origin. */
export function postFormHeaders(action: string, nonce: string): Record<string, string> {
  const origin = new URL(action).origin;
  return {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}'; form-action ${origin}; frame-ancestors 'none'; base-uri 'none'`,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
  };
}
