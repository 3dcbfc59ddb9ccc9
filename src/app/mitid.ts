import type { Config } from '../config/index.js';
import { createBrokerClient, loadClientKey, resolvePreset, type BrokerClient, type ClientKey } from '../mitid/index.js';
import type { Clock } from '../shared/index.js';

// Wires MitID from configuration: the broker client, our client key (private_key_jwt) and the readiness cache of
// the broker's discovery and JWKS reachability, refreshed on a timer — never per request, never per login.

export interface MitidWiring {
  readonly client: BrokerClient;
  readonly key: ClientKey | null;
  readonly erhverv: boolean;
  /** The last probe: null detail = reachable. */
  status(): { discovery: string | null; jwks: string | null; checkedAt: Date | null };
  stop(): void;
}

const PROBE_INTERVAL_MS = 60_000;

export async function wireMitid(config: Config, clock: Clock, log: { warn(fields: Record<string, unknown>, message: string): void }): Promise<MitidWiring | null> {
  const settings = config.mitid;
  if (!settings) return null;
  const preset = resolvePreset(settings.preset, settings.claimsMap);
  const key = settings.clientAuth.method === 'private_key_jwt' ? await loadClientKey(settings.clientAuth.keyPem, settings.clientAuth.keyId) : null;
  const client = createBrokerClient({
    issuer: settings.issuer,
    clientId: settings.clientId,
    auth: key ? { method: 'private_key_jwt', key } : { method: 'client_secret_basic', secret: (settings.clientAuth as { secret: string }).secret },
    preset,
    redirectUri: `${config.idp.baseUrl}/login/mitid/callback`,
    timeoutMs: settings.timeoutMs,
    clockSkewSeconds: config.idp.clockSkewSeconds,
    allowInsecureHttp: settings.allowInsecureHttp,
    now: () => clock.now(),
  });
  let last: { discovery: string | null; jwks: string | null; checkedAt: Date | null } = { discovery: 'not checked yet', jwks: 'not checked yet', checkedAt: null };
  const probe = async () => {
    const result = await client.probe().catch((error: unknown) => ({ discovery: (error as Error).message, jwks: 'not checked' }));
    if ((result.discovery || result.jwks) && (last.discovery === null && last.jwks === null)) log.warn({ issuer: settings.issuer, ...result }, 'MitID broker not reachable');
    last = { ...result, checkedAt: clock.now() };
  };
  // The first probe waits a moment: in the simulator the broker is served by this very process, started after us.
  const first = setTimeout(() => void probe(), 1000);
  const timer = setInterval(() => void probe(), PROBE_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    client,
    key,
    erhverv: settings.erhverv,
    status: () => last,
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
