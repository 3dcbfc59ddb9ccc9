import type { Config } from '../config/index.js';
import { buildIdpMetadata } from '../saml/index.js';
import type { Clock } from '../shared/index.js';

const REBUILD_MS = 24 * 3600 * 1000;

/** Our signed metadata document (saml-profile.md §7), as served and as printed by `nemid-idp metadata`. */
export function buildMetadataXml(config: Config, clock: Clock): string {
  return buildIdpMetadata({
    entityId: config.idp.entityId,
    baseUrl: config.idp.baseUrl,
    signing: { key: config.idp.signing.keyPem, cert: config.idp.signing.certPem },
    ...(config.idp.nextSigning ? { nextSigningCert: config.idp.nextSigning.certPem } : {}),
    organization: config.idp.organization,
    contacts: config.idp.contacts,
    displayNames: config.idp.displayName,
    clock,
    });
}

/** Our signed metadata, rebuilt at start and every 24 h (validUntil is 7 days, so SPs never see it expire). */
export function metadataProvider(config: Config, clock: Clock): { xml(): string; stop(): void } {
  const build = () => buildMetadataXml(config, clock);
  let document = build();
  const timer = setInterval(() => {
    document = build();
  }, REBUILD_MS);
  timer.unref();
  return { xml: () => document, stop: () => clearInterval(timer) };
}
