// View models of the logout and IdP-initiated SSO pages. Plain data: no HTML here.

/** "Log out of every service?" with the button that posts to /saml/slo/init. */
export interface LogoutConfirmView {
  readonly kind: 'logout-confirm';
  /** CSRF token bound to this browser's IdP session (not to the login cookie). */
  readonly csrf: string;
  /** Display names of the services in the session, in the order they joined. */
  readonly services: readonly string[];
}

/** The end of a logout we ran (or there was nothing to log out of). */
export interface LoggedOutView {
  readonly kind: 'logged-out';
  /** Some service did not confirm, or cannot be logged out by us: the user should close the browser. */
  readonly partial: boolean;
  /** False when the browser had no live IdP session to begin with. */
  readonly hadSession: boolean;
}

/** IdP-initiated SSO: "continue to <SP>?" first, so a link from elsewhere cannot send an assertion silently. */
export interface IdpInitiatedConfirmView {
  readonly kind: 'sso-init-confirm';
  readonly spEntityId: string;
  readonly spName: string;
}

export type LogoutView = LogoutConfirmView | LoggedOutView | IdpInitiatedConfirmView;
