import type { ChooseMethodView, ClientErrorView, LoginCompletedView, NemidClientView } from '../../login/index.js';
import { html, raw } from './html.js';
import type { Language } from './layout.js';
import { cardHead, referenceLine, serviceLine, sharingLine } from './parts.js';
import { TEXTS } from './texts.js';
import type { RenderedPage, ViewContext } from './view-registry.js';

// The login page in its three shapes: choose a method, the NemID client in its iframe, and a client error with the
// advice for its class (nemid-protocol.md §5).

function loginPath(loginId: string, method?: string): string {
  return `/login/${loginId}${method ? `?method=${method}` : ''}`;
}

export function renderChooseMethod(view: ChooseMethodView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].login;
  const items = view.methods.map((m) => html`<li><a class="button" href="/login/${view.loginId}?method=${m}">${t[m]}</a></li>`);
  const title = view.methods.some((m) => m.startsWith('mitid')) ? t.titleAny : t.title;
  return {
    title,
    body: html`<div class="card">${cardHead(title, loginPath(view.loginId), context.lang)}${serviceLine(context.lang, view.spName, context.spLogo)}
<h2 id="methods">${t.choose}</h2><ul class="choices" aria-labelledby="methods">${items}</ul></div>`,
  };
}

/** JSON inside a script element: `<` escaped so the text can never close the element. */
function scriptJson(value: string): string {
  return value.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

export function renderNemidClient(view: NemidClientView, context: ViewContext): RenderedPage {
  const t = TEXTS[context.lang].login;
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
    } else if (message.command === 'resize' && typeof message.content === 'number') {
      // The client says how tall its content is: no blank block under it, no scroll inside it.
      iframe.style.height = Math.max(200, Math.min(1200, Math.ceil(message.content))) + 'px';
    }
  });
})();`;
  const others = view.otherMethods.map((m) => html` <a href="/login/${view.loginId}?method=${m}">${t.other}: ${t[m]}</a>`);
  const size = view.method === 'keyfile' ? 'style-keyfile' : 'style-lmt';
  return {
    title: t.title,
    body: html`<div class="card">${cardHead(t.title, loginPath(view.loginId, view.method), context.lang)}${serviceLine(context.lang, view.spName, context.spLogo)}
<noscript><p class="error">${t.noscript}</p></noscript>
<iframe id="${iframeId}" class="${size}" title="${t.iframeTitle}" src="${view.iframeUrl}" allowfullscreen="true" scrolling="no" frameborder="0"></iframe>
<script type="text/x-nemid" id="${parametersId}">${raw(scriptJson(view.parametersJson))}</script>
<form name="postBackForm" id="postBackForm" method="post" action="/login/${view.loginId}/nemid"><input type="hidden" name="response" value=""><input type="hidden" name="csrf" value="${csrf}"></form>
<script nonce="${context.nonce}">${raw(glue)}</script>
${sharingLine(context.lang, { cpr: view.releases.cpr, ...(view.releases.business ? { cvr: 'maybe' as const } : {}) })}
${view.otherMethods.length > 0 ? html`<p class="muted">${others}</p>` : ''}</div>`,
  };
}

export function renderClientError(view: ClientErrorView, context: ViewContext): RenderedPage {
  const texts = TEXTS[context.lang];
  const t = texts.login;
  const text = texts.clientError[view.clientClass];
  const advice = texts.clientCode[view.clientCode] ?? text.advice;
  const csrf = context.csrf(`abort:${view.loginId}`);
  return {
    title: text.title,
    body: html`<div class="card error" role="alert">${cardHead(text.title, undefined, context.lang)}${serviceLine(context.lang, view.spName, context.spLogo)}<p>${advice}</p>
<div class="actions">${view.retryable ? html`<a class="button" href="/login/${view.loginId}">${t.retry}</a>` : ''}
<form method="post" action="/login/${view.loginId}/abort"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" class="${view.retryable ? 'secondary' : ''}">${t.backTo(view.spName)}</button></form></div>
${referenceLine(context.lang, context.traceId, view.clientCode)}</div>`,
  };
}

/** Back onto a finished login whose SP takes no fresh unsolicited response: done, and the way back. */
export function renderLoginCompleted(view: LoginCompletedView, context: ViewContext): RenderedPage {
  const texts = TEXTS[context.lang];
  return {
    title: texts.completed.title,
    body: html`<div class="card" role="status" data-login="completed">${cardHead(texts.completed.title, undefined, context.lang)}<p>${texts.completed.text(view.spName)}</p>
<p><a class="button" href="${view.spUrl}">${texts.login.backTo(view.spName)}</a></p></div>`,
  };
}
