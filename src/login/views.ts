// View models the login steps hand to http/ for rendering. Plain data: no HTML here.

export type LoginMethod = 'codecard' | 'keyfile' | 'mitid' | 'mitid-erhverv';
export type ClientErrorClass = 'U' | 'A' | 'T' | 'I';

export interface ChooseMethodView {
  readonly kind: 'choose-method';
  readonly loginId: string;
  readonly spName: string;
  readonly methods: readonly LoginMethod[];
}

export interface NemidClientView {
  readonly kind: 'nemid-client';
  readonly loginId: string;
  readonly spName: string;
  readonly method: LoginMethod;
  readonly iframeUrl: string;
  /** The exact origin the client posts from; postMessage targets and checks it, never "*". */
  readonly clientOrigin: string;
  readonly parametersJson: string;
  readonly otherMethods: readonly LoginMethod[];
  /** What the service will be told (the page says so): the CPR number, and a CVR if a business is chosen. */
  readonly releases: { readonly cpr: boolean; readonly business: boolean };
}

export interface ClientErrorView {
  readonly kind: 'client-error';
  readonly loginId: string;
  readonly spName: string;
  /** The NemID client code (CAN002, AUTH001, …) and its class (nemid-protocol.md §5). */
  readonly clientCode: string;
  readonly clientClass: ClientErrorClass;
  readonly retryable: boolean;
}

export type LoginView = ChooseMethodView | NemidClientView | ClientErrorView;
