import { NS, appendElement, createDocument, type SigningCredentials, serializeXml, signEnveloped } from '../../xml/index.js';
import { STATUS_PREFIX } from '../constants.js';

// The samlp:Response shell shared by login and error responses (saml-profile.md §3.2, §5).

export interface ResponseShell {
  root: Element;
  id: string;
}

export function createResponseShell(options: {
  id: string;
  issueInstant: string;
  destination: string;
  inResponseTo?: string;
  issuer: string;
}): ResponseShell {
  const root = createDocument(NS.samlp, 'samlp:Response', { samlp: NS.samlp, saml: NS.saml });
  root.setAttribute('ID', options.id);
  root.setAttribute('Version', '2.0');
  root.setAttribute('IssueInstant', options.issueInstant);
  root.setAttribute('Destination', options.destination);
  if (options.inResponseTo !== undefined) root.setAttribute('InResponseTo', options.inResponseTo);
  appendElement(root, NS.saml, 'saml:Issuer', {}, options.issuer);
  return { root, id: options.id };
}

export function appendStatus(root: Element, top: string, second?: string, message?: string): void {
  const status = appendElement(root, NS.samlp, 'samlp:Status');
  const code = appendElement(status, NS.samlp, 'samlp:StatusCode', { Value: STATUS_PREFIX + top });
  if (second !== undefined) appendElement(code, NS.samlp, 'samlp:StatusCode', { Value: STATUS_PREFIX + second });
  if (message !== undefined) appendElement(status, NS.samlp, 'samlp:StatusMessage', {}, message);
}

/** Serialises the shell, signing the Response itself when asked (signature right after Issuer). */
export function finishResponse(shell: ResponseShell, signing: SigningCredentials | undefined): string {
  const xml = serializeXml(shell.root);
  if (!signing) return xml;
  return signEnveloped(xml, { rootId: shell.id, after: { namespace: NS.saml, localName: 'Issuer' }, credentials: signing });
}
