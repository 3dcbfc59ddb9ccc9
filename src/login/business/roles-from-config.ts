import { readFileSync } from 'node:fs';
import type { Config } from '../../config/index.js';
import { createRolesClient, type RolesClient } from '../../nemid/index.js';

/**
 * The role service client as configured (ROLES_URL, ROLES_SERVER_CA, ROLES_CLIENT_CERTIFICATE, ROLES_TIMEOUT_MS);
 * null without a URL. Mutual TLS presents the IdP's VOCES (the NemID SP key pair). Read once at start-up.
 */
export function rolesClientFromConfig(config: Config): RolesClient | null {
  const { roles } = config;
  if (!roles.url) return null;
  return createRolesClient({
    url: roles.url,
    timeoutMs: roles.timeoutMs,
    ...(roles.serverCaPath ? { serverCaPem: readFileSync(roles.serverCaPath, 'utf8') } : {}),
    ...(roles.useClientCertificate ? { clientCertificate: { certPem: config.nemid.sp.certPem, keyPem: config.nemid.sp.keyPem } } : {}),
  });
}
