// Where SAML and NemID meet: the login transaction state machine (created → client_started → authenticated →
// cpr/business → completed | failed, every step a compare-and-set in PostgreSQL) and its use cases. Trusts only
// what saml/ verified (the AuthnRequest) and what nemid/ verified (the signed response); the browser is bound to
// its transaction by a cookie and every form by a CSRF token.
export type { LoginDeps, LoginStepHandler, StepContext, StepResult, CprVault } from './deps.js';
export type { Outcome, RedirectOutcome, SamlPostOutcome, SamlRedirectOutcome, PageOutcome, CookieChanges } from './outcome.js';
export type { LoginView, ChooseMethodView, NemidClientView, ClientErrorView, LoginMethod } from './views.js';
export type { StoredIdentity, BusinessChoice } from './identity.js';
export { bindingOf, csrfToken, validCsrfToken, newBrowserSecret } from './browser.js';
export { startLogin, type BrowserCookies } from './start.js';
export { showLogin, methodsFor, spDisplayName } from './client.js';
export { completeNemid, abortLogin, type NemidCompletion } from './complete-nemid.js';
export { advanceLogin } from './advance.js';
export { finishLogin } from './finish.js';
export { failLogin, errorResponseOutcome, errorAnswer } from './fail.js';
export { LoginFailure, LoginInterrupted, loadForBrowser, spOf, requireState, failuresOf } from './transactions.js';
export { LoginStep, stepOf } from './login-step.js';
export { SESSION_COOKIE, findSession } from './session.js';
export { audit, nameIdHash, type AuditType } from './audit.js';
export { readRequestFacts, type RequestFacts } from './request-facts.js';
export { resolveNameId } from './name-id.js';
export { samlSubject, storedIdentity, asStoredIdentity } from './identity.js';
export * from './cpr/index.js';
export * from './business/index.js';
export { openLogin, type LoginTarget } from './start.js';
export { receiveSpLogout, receiveLogoutAnswer, logoutConfirmation, startIdpLogout, type LogoutResult } from './logout.js';
export { nextLogoutStep, readLogoutChain, newLogoutChain, sameNameId, sessionIndexMatches, type LogoutChain, type LogoutInitiator, type LogoutStep } from './logout-chain.js';
export type { LogoutView, LogoutConfirmView, LoggedOutView, IdpInitiatedConfirmView } from './logout-views.js';
export { idpInitiatedConfirmation, startIdpInitiatedLogin, idpInitiatedCsrfPurpose } from './idp-initiated.js';
export { idpInitiatedFacts } from './request-facts.js';
export { resumeCompletedLogin, type LoginCompletedView } from './resume.js';
export { LoginAlreadyCompleted } from './already-completed.js';
export { forgetAfterLogin, forgetRememberedCsrfPurpose, type CprForgottenView, type RememberedCprNotice } from './cpr-remembered.js';
export { showCprMemory, forgetCprMemory, cprMemoryCsrfPurpose, type CprMemoryView } from './cpr-self-service.js';
export { completeMitid, startMitid, type MitidMethod } from './mitid-step.js';
export { storedMitidIdentity, eidOf } from './identity.js';
export type { MitidDeps } from './deps.js';
