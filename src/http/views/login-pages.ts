import type { ChooseMethodView, ClientErrorView, NemidClientView } from '../../login/index.js';
import { html, raw } from './html.js';
import type { Language } from './layout.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// The login page in its three shapes: choose a method, the NemID client in its iframe, and a client error with the
// advice for its class (nemid-protocol.md §5).

const TEXT = {
  da: {
    title: 'Log ind med NemID',
    to: 'Du logger ind på',
    codecard: 'NemID med nøglekort eller nøgleapp',
    keyfile: 'NemID nøglefil',
    choose: 'Vælg, hvordan du vil logge ind',
    other: 'Brug i stedet',
    noscript: 'NemID kræver JavaScript. Slå JavaScript til, og prøv igen.',
    retry: 'Prøv igen',
    back: 'Tilbage til tjenesten',
    code: 'Fejlkode',
    language: 'English',
  },
  en: {
    title: 'Log in with NemID',
    to: 'You are logging in to',
    codecard: 'NemID with code card or code app',
    keyfile: 'NemID key file',
    choose: 'Choose how to log in',
    other: 'Use instead',
    noscript: 'NemID needs JavaScript. Turn JavaScript on and try again.',
    retry: 'Try again',
    back: 'Back to the service',
    code: 'Error code',
    language: 'Dansk',
  },
} as const;

type ClassText = { title: string; advice: string };
const CLIENT_ERROR_TEXT: Record<Language, Record<ClientErrorView['clientClass'], ClassText>> = {
  da: {
    U: { title: 'Du afbrød login', advice: 'Du kan prøve igen eller gå tilbage til tjenesten.' },
    A: { title: 'Der er et problem med dit NemID', advice: 'Kontakt NemID-support, hvis problemet fortsætter.' },
    T: { title: 'NemID svarede ikke som forventet', advice: 'Prøv igen om lidt.' },
    I: { title: 'Der opstod en teknisk fejl', advice: 'Prøv igen senere. Fejlen er registreret.' },
  },
  en: {
    U: { title: 'You cancelled the login', advice: 'You can try again or go back to the service.' },
    A: { title: 'There is a problem with your NemID', advice: 'Contact NemID support if the problem continues.' },
    T: { title: 'NemID did not answer as expected', advice: 'Please try again in a little while.' },
    I: { title: 'A technical error occurred', advice: 'Please try again later. The error has been recorded.' },
  },
};

// Where the advice differs from the class default (nemid-protocol.md §5, "tell the user").
const CODE_ADVICE: Record<string, Record<Language, string>> = {
  AUTH004: { da: 'Dit NemID er spærret i 8 timer. Prøv igen senere.', en: 'Your NemID is locked for 8 hours. Try again later.' },
  LOCK001: { da: 'Dit NemID er spærret i 8 timer. Prøv igen senere.', en: 'Your NemID is locked for 8 hours. Try again later.' },
  AUTH001: { da: 'Dit NemID er spærret. Kontakt NemID-support.', en: 'Your NemID is blocked. Contact NemID support.' },
  AUTH006: { da: 'Dit nøglekort er brugt op. Bestil et nyt nøglekort.', en: 'Your code card is used up. Order a new code card.' },
  AUTH007: { da: 'Din adgangskode er spærret. Kontakt NemID-support.', en: 'Your password is blocked. Contact NemID support.' },
  LOCK002: { da: 'Din adgangskode er spærret. Kontakt NemID-support.', en: 'Your password is blocked. Contact NemID support.' },
  LOCK003: { da: 'For mange forkerte nøgler. Kontakt NemID-support.', en: 'Too many wrong codes. Contact NemID support.' },
  AUTH017: { da: 'Slå udvidelser og privatlivsblokering fra, eller brug en anden browser.', en: 'Turn off extensions and privacy blockers, or use another browser.' },
  SRV006: { da: 'Tiden løb ud. Prøv igen.', en: 'The time ran out. Try again.' },
  CAN003: { da: 'Tiden løb ud. Prøv igen.', en: 'The time ran out. Try again.' },
  OCES001: { da: 'Tilføj offentlig digital signatur til dit NemID, og prøv igen.', en: 'Add public digital signature (OCES) to your NemID and try again.' },
};

function languageLink(loginId: string, lang: Language, extra = '') {
  const other = lang === 'da' ? 'en' : 'da';
  return html`<a class="lang" href="/login/${loginId}?lang=${other}${extra}" hreflang="${other}" lang="${other}">${TEXT[lang].language}</a>`;
}

export function renderChooseMethod(view: ChooseMethodView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  const items = view.methods.map((m) => html`<li><a class="button" href="/login/${view.loginId}?method=${m}&amp;lang=${context.lang}">${t[m]}</a></li>`);
  return {
    title: t.title,
    body: html`<div class="card">${languageLink(view.loginId, context.lang)}<h1>${t.title}</h1><p>${t.to} <strong>${view.spName}</strong></p>
<h2 id="methods">${t.choose}</h2><ul class="choices" aria-labelledby="methods">${items}</ul></div>`,
  };
}

/** JSON inside a script element: `<` escaped so the text can never close the element. */
function scriptJson(value: string): string {
  return value.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function renderNemidClient(view: NemidClientView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  const iframeId = view.method === 'keyfile' ? 'codefile_iframe' : 'nemid_iframe';
  const parametersId = view.method === 'keyfile' ? 'codefile_parameters' : 'nemid_parameters';
  const csrf = context.csrf(`nemid:${view.loginId}`);
  // The glue of nemid-protocol.md §2.6/§3: messages only from the client's exact origin and its iframe; parameters
  // answered once; every result posted unchanged as `response`. The target origin is the exact client origin.
  const glue = `(function () {
  var clientOrigin = ${JSON.stringify(view.clientOrigin)};
  var iframe = document.getElementById(${JSON.stringify(iframeId)});
  var parameters = document.getElementById(${JSON.stringify(parametersId)}).textContent;
  var form = document.getElementById('postBackForm');
  var answered = false, submitted = false;
  function submit(content) {
    if (submitted || typeof content !== 'string') return;
    submitted = true;
    form.elements.response.value = content;
    form.submit();
  }
  window.addEventListener('message', function (event) {
    if (event.origin !== clientOrigin || event.source !== iframe.contentWindow || typeof event.data !== 'string') return;
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (!message || typeof message.command !== 'string') return;
    if (message.command === 'SendParameters') {
      if (answered) return;
      answered = true;
      iframe.contentWindow.postMessage(JSON.stringify({ command: 'parameters', content: parameters }), clientOrigin);
    } else if (message.command === 'changeResponseAndSubmit' || message.command === 'logonError') {
      submit(message.content);
    } else if (message.command === 'logonCancel') {
      submit('Q0FOMDAy');
    }
  });
})();`;
  const others = view.otherMethods.map((m) => html` <a href="/login/${view.loginId}?method=${m}&amp;lang=${context.lang}">${t.other}: ${t[m]}</a>`);
  const size = view.method === 'keyfile' ? 'style-keyfile' : 'style-lmt';
  return {
    title: t.title,
    body: html`<div class="card">${languageLink(view.loginId, context.lang, `&method=${view.method}`)}<h1>${t.title}</h1><p>${t.to} <strong>${view.spName}</strong></p>
<noscript><p class="error">${t.noscript}</p></noscript>
<iframe id="${iframeId}" class="${size}" title="NemID" src="${view.iframeUrl}" allowfullscreen="true" scrolling="no" frameborder="0"></iframe>
<script type="text/x-nemid" id="${parametersId}">${raw(scriptJson(view.parametersJson))}</script>
<form name="postBackForm" id="postBackForm" method="post" action="/login/${view.loginId}/nemid"><input type="hidden" name="response" value=""><input type="hidden" name="csrf" value="${csrf}"></form>
<script nonce="${context.nonce}">${raw(glue)}</script>
${view.otherMethods.length > 0 ? html`<p class="muted">${others}</p>` : ''}</div>`,
  };
}

export function renderClientError(view: ClientErrorView, context: ViewContext): RenderedPage {
  const t = TEXT[context.lang];
  const text = CLIENT_ERROR_TEXT[context.lang][view.clientClass];
  const advice = CODE_ADVICE[view.clientCode]?.[context.lang] ?? text.advice;
  const csrf = context.csrf(`abort:${view.loginId}`);
  return {
    title: text.title,
    body: html`<div class="card error" role="alert"><h1>${text.title}</h1><p>${advice}</p>
${view.retryable ? html`<p><a class="button" href="/login/${view.loginId}?lang=${context.lang}">${t.retry}</a></p>` : ''}
<form method="post" action="/login/${view.loginId}/abort"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" class="${view.retryable ? 'secondary' : ''}">${t.back}</button></form>
<p class="muted">${t.code}: <code>${view.clientCode}</code></p></div>`,
  };
}
