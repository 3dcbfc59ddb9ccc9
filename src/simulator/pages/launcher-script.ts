// The launcher's browser script (plain ES2017, no build step), inlined with the page's CSP nonce.
//
// postMessage targets, decided deliberately:
// - SendParameters goes to "*": before the parameters arrive the frame cannot know its parent's origin (NemID's own
//   launcher did the same), and the message carries nothing but the request itself.
// - The parameters are accepted once, only from window.parent, only as a JSON string with command "parameters";
//   event.origin (set by the browser, not by the sender) is reported to the server, which compares it with ORIGIN.
// - Every later message (responses, error codes, cancel) goes to the exact ORIGIN the server checked, or, when the
//   parameters were refused before that check, to event.origin: never to "*".
export function launcherScript(client: 'js' | 'codefile'): string {
  return `
(function () {
  'use strict';
  var CLIENT = ${JSON.stringify(client)};
  var TEXTS = JSON.parse(document.getElementById('texts').textContent);
  var parentOrigin = null;
  var session = null;
  var received = false;
  var finished = false;
  var busy = false;
  var texts = TEXTS.da;

  function $(id) { return document.getElementById(id); }
  function show(id) {
    ['waiting', 'password-step', 'code-step', 'working'].forEach(function (step) {
      var element = $(step);
      if (element) element.hidden = step !== id;
    });
  }
  function setTexts(language) {
    texts = TEXTS[language] || TEXTS.da;
    document.documentElement.lang = language === 'en' ? 'en' : 'da';
    Array.prototype.forEach.call(document.querySelectorAll('[data-text]'), function (element) {
      element.textContent = texts[element.getAttribute('data-text')];
    });
  }
  function setError(id, key, attemptsLeft) {
    var element = $(id);
    var left = typeof attemptsLeft === 'number' && attemptsLeft > 0
      ? ' ' + (attemptsLeft === 1 ? texts.attemptLeft : texts.attemptsLeft.replace('{n}', String(attemptsLeft))) : '';
    element.textContent = key ? texts[key] + left : '';
    element.hidden = !key;
    resize();
  }
  // The page that frames us sizes the iframe to our content (no blank block, no inner scroll bar).
  var lastHeight = 0;
  function resize() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!parentOrigin || height === lastHeight) return;
    lastHeight = height;
    window.parent.postMessage(JSON.stringify({ command: 'resize', content: height }), parentOrigin);
  }
  window.addEventListener('resize', function () { lastHeight = 0; resize(); });
  function send(answer) {
    if (finished) return;
    finished = true;
    show('working');
    var message = { command: answer.command };
    if (typeof answer.content === 'string') message.content = answer.content;
    window.parent.postMessage(JSON.stringify(message), answer.targetOrigin || parentOrigin);
  }
  function api(path, body) {
    body.client = CLIENT;
    return fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store'
    }).then(function (response) {
      if (!response.ok) throw new Error('simulator answered ' + response.status);
      return response.json();
    });
  }
  function handle(answer) {
    busy = false;
    if (answer.status === 'done') return send(answer);
    session = answer.session;
    if (answer.language) setTexts(answer.language);
    resize();
    if (answer.status === 'password') {
      show('password-step');
      if (answer.userId && !$('userid').value) $('userid').value = answer.userId;
      $('password').value = '';
      setError('password-error', answer.error === 'wrong-credentials' ? 'wrongCredentials'
        : answer.error === 'no-matching-certificate' ? 'noMatchingCertificate' : '', answer.attemptsLeft);
      ($('userid').value ? $('password') : $('userid')).focus();
    } else if (answer.status === 'code') {
      show('code-step');
      $('key').textContent = answer.key;
      $('code').value = '';
      setError('code-error', answer.error === 'wrong-code' ? 'wrongCode' : '', answer.attemptsLeft);
      $('code').focus();
    }
  }
  function technicalError() {
    // The simulator could not be reached: what NemID's client reported as an unrecoverable client error.
    send({ command: CLIENT === 'js' ? 'changeResponseAndSubmit' : 'logonError', content: btoa('APP003') });
  }
  function call(path, body) {
    if (busy || finished) return;
    busy = true;
    api(path, body).then(handle, technicalError);
  }

  window.addEventListener('message', function (event) {
    if (received || event.source !== window.parent || typeof event.data !== 'string') return;
    var message;
    try { message = JSON.parse(event.data); } catch (e) { return; }
    if (!message || message.command !== 'parameters') return;
    received = true;
    parentOrigin = event.origin;
    var content = typeof message.content === 'string' ? message.content : '';
    busy = true;
    api('/api/session', { parameters: content, messageOrigin: event.origin }).then(handle, technicalError);
  });

  $('password-form').addEventListener('submit', function (event) {
    event.preventDefault();
    var remember = $('remember');
    call('/api/session/' + encodeURIComponent(session) + '/password', {
      userId: $('userid').value,
      password: $('password').value,
      remember: !!(remember && remember.checked)
    });
  });
  var codeForm = $('code-form');
  if (codeForm) codeForm.addEventListener('submit', function (event) {
    event.preventDefault();
    call('/api/session/' + encodeURIComponent(session) + '/code', { code: $('code').value });
  });
  Array.prototype.forEach.call(document.querySelectorAll('.cancel'), function (button) {
    button.addEventListener('click', function () {
      if (session) call('/api/session/' + encodeURIComponent(session) + '/cancel', {});
    });
  });

  show('waiting');
  window.parent.postMessage(JSON.stringify({ command: 'SendParameters' }), '*');
})();
`;
}
