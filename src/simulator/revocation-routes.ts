import type { Clock } from '../shared/index.js';
import type { ControlSwitches } from './control.js';
import { bytes, text } from './http/responses.js';
import type { SimRoute } from './http/types.js';
import type { CaName, RegistryCertificates, SimulatorPki } from './pki-port.js';

// GET /aia/ca1.cer, GET /crl/:ca.crl and POST /ocsp (nemid-protocol.md §10 item 6). CRLs live 12 h and are re-signed once past half
// their life, like a CA publishing on a schedule; the `crl` switch serves a stale CRL or no CRL at all, the `ocsp`
// switch forces a status, corrupts the signature or makes the responder unavailable.

export const CRL_LIFETIME_MS = 12 * 60 * 60 * 1000;
const MAX_OCSP_REQUEST_BYTES = 16 * 1024;

/** URL file names of the two CRLs: `<origin>/crl/root.crl` and `<origin>/crl/ca1.crl`. */
const CRL_BACKDATE_MS = 60_000;

export const CRL_FILE_NAMES: Record<CaName, string> = { root: 'root', issuing: 'ca1' };

export interface RevocationDeps {
  pki: SimulatorPki;
  clock: Clock;
  switches: () => ControlSwitches;
  /** The registry's created users' serials and revocations (shared by every instance through the store). */
  registry: () => Promise<RegistryCertificates>;
}

const revokedKey = (registry: RegistryCertificates) => [...registry.revoked.keys()].sort().join(',');

export function revocationRoutes(deps: RevocationDeps): SimRoute[] {
  const cache = new Map<CaName, { thisUpdate: number; der: Buffer; revoked: string }>();

  const currentCrl = async (ca: CaName): Promise<Buffer> => {
    const now = deps.clock.now().getTime();
    const registry = await deps.registry();
    const revoked = revokedKey(registry);
    const cached = cache.get(ca);
    // A revocation on a user's page is published at once: a new CRL as soon as the list of revoked serials changed.
    if (cached && cached.revoked === revoked && now >= cached.thisUpdate && now < cached.thisUpdate + CRL_LIFETIME_MS / 2) return cached.der;
    // Issued a minute back, as a CA's CRL is published after it is signed: a verifier whose clock (or whose instant
    // of verification, taken before the fetch) is a little behind ours must not see a CRL from the future.
    const thisUpdate = now - CRL_BACKDATE_MS;
    const der = await deps.pki.crl(ca, new Date(thisUpdate), new Date(thisUpdate + CRL_LIFETIME_MS), registry);
    cache.set(ca, { thisUpdate: now, der, revoked });
    return der;
  };

  return [
    {
      // AIA caIssuers (dev-pki's `<origin>/aia/ca1.cer`): the issuing CA certificate, DER.
      method: 'GET',
      path: '/aia/:file',
      body: 'none',
      async handle(req) {
        if (req.params['file'] !== 'ca1.cer') return text(404, 'no such certificate');
        return bytes(200, deps.pki.issuingCaDer, 'application/pkix-cert');
      },
    },
    {
      method: 'GET',
      path: '/crl/:file',
      body: 'none',
      async handle(req) {
        const ca = (Object.keys(CRL_FILE_NAMES) as CaName[]).find((name) => `${CRL_FILE_NAMES[name]}.crl` === req.params['file']);
        if (!ca) return text(404, 'no such CRL');
        const mode = deps.switches().crl;
        if (mode === 'unavailable') return text(503, 'CRL unavailable (simulator switch)');
        if (mode === 'stale') {
          // A CRL whose nextUpdate passed an hour ago.
          const now = deps.clock.now().getTime();
          const der = await deps.pki.crl(ca, new Date(now - CRL_LIFETIME_MS - 3_600_000), new Date(now - 3_600_000), await deps.registry());
          return bytes(200, der, 'application/pkix-crl');
        }
        return bytes(200, await currentCrl(ca), 'application/pkix-crl');
      },
    },
    {
      method: 'POST',
      path: '/ocsp',
      body: 'raw',
      async handle(req) {
        const mode = deps.switches().ocsp;
        if (mode === 'unavailable') return text(503, 'OCSP unavailable (simulator switch)');
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (contentType !== 'application/ocsp-request') return text(415, 'expected application/ocsp-request');
        if (!Buffer.isBuffer(req.body) || req.body.length === 0 || req.body.length > MAX_OCSP_REQUEST_BYTES) {
          return text(400, 'missing or oversized OCSP request');
        }
        const der = await deps.pki.ocsp(req.body, {
          now: deps.clock.now(),
          registry: await deps.registry(),
          ...(mode === 'unknown' || mode === 'revoked' ? { forceStatus: mode } : {}),
          badSignature: mode === 'bad-signature',
        });
        return bytes(200, der, 'application/ocsp-response');
      },
    },
  ];
}
