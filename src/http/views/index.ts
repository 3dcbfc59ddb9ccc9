import { renderBusinessChoice, renderBusinessNoRole } from './business-page.js';
import { renderCprPage } from './cpr-page.js';
import { renderCprForgotten, renderCprMemory } from './cpr-memory-pages.js';
import { renderChooseMethod, renderClientError, renderLoginCompleted, renderNemidClient } from './login-pages.js';
import { renderIdpInitiatedConfirm, renderLoggedOut, renderLogoutConfirm } from './logout-pages.js';
import type { ViewRenderer } from './view-registry.js';

// Every view kind a login step can return, with its renderer.
export const VIEW_RENDERERS: Record<string, ViewRenderer> = {
  'choose-method': renderChooseMethod as unknown as ViewRenderer,
  'nemid-client': renderNemidClient as unknown as ViewRenderer,
  'client-error': renderClientError as unknown as ViewRenderer,
  'login-completed': renderLoginCompleted as unknown as ViewRenderer,
  'business-choice': renderBusinessChoice as unknown as ViewRenderer,
  'business-no-role': renderBusinessNoRole as unknown as ViewRenderer,
  cpr: renderCprPage as unknown as ViewRenderer,
  'cpr-forgotten': renderCprForgotten as unknown as ViewRenderer,
  'cpr-memory': renderCprMemory as unknown as ViewRenderer,
  'logout-confirm': renderLogoutConfirm as unknown as ViewRenderer,
  'logged-out': renderLoggedOut as unknown as ViewRenderer,
  'sso-init-confirm': renderIdpInitiatedConfirm as unknown as ViewRenderer,
};
