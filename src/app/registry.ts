import type { Config } from '../config/index.js';
import type { Logger } from '../http/index.js';
import { loadSpRegistry, type BuiltInSpRegistration, type SpRegistry } from '../saml/index.js';
import type { Clock } from '../shared/index.js';

/** Thrown at start-up when any registered SP is invalid; lists every problem, each naming its file. */
export class SpRegistryError extends Error {
  readonly code = 'SP_REGISTRY_INVALID' as const;
  constructor(readonly problems: readonly string[]) {
    super(`SP registry in the metadata folder is invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export interface RegistryHolder {
  current(): SpRegistry;
  /** Re-reads the folder: all or nothing. On any problem the previous registry stays and the problems are kept. */
  reload(): Promise<{ ok: boolean; problems: readonly string[] }>;
  lastReloadProblems(): readonly string[];
}

/**
 * Policies that need a service this deployment has not configured: refused when the registry is loaded, not at the
 * first login that would need it.
 */
export function unservedPolicies(config: Config, registry: SpRegistry): string[] {
  const problems: string[] = [];
  for (const sp of registry.all()) {
    const file = sp.labels?.policy ?? `${sp.name}.json`;
    if (sp.policy.cpr !== 'none' && !config.pidCpr.url) problems.push(`${file}: cpr "${sp.policy.cpr}" needs PID_CPR_URL and PID_CPR_SPID`);
    if (sp.policy.cpr !== 'none' && config.secrets.cprEncryption.length === 0) problems.push(`${file}: cpr "${sp.policy.cpr}" needs CPR_ENCRYPTION_KEYS`);
    if (sp.policy.businessLogin && !config.roles.url) problems.push(`${file}: businessLogin needs ROLES_URL`);
  }
  return problems;
}

/** `builtIn`: registrations that are part of the deployment (the simulator's demo SP), reloaded with the folder. */
export async function loadRegistryHolder(config: Config, clock: Clock, log: Logger, builtIn: readonly BuiltInSpRegistration[] = []): Promise<RegistryHolder> {
  const load = async () => {
    const loaded = await loadSpRegistry({
      dir: config.metadataDir,
      environment: config.environment,
      idp: { entityId: config.idp.entityId, baseUrl: config.idp.baseUrl },
      clock,
      builtIn,
    });
    return { registry: loaded.registry, problems: [...loaded.problems, ...unservedPolicies(config, loaded.registry)] };
  };
  const first = await load();
  if (first.problems.length > 0) throw new SpRegistryError(first.problems);
  let current = first.registry;
  let problems: readonly string[] = [];
  const logWarnings = (registry: SpRegistry) => {
    for (const sp of registry.all()) for (const warning of sp.warnings) log.warn({ sp: sp.entityId, file: sp.labels?.metadata ?? `${sp.name}.xml` }, warning);
  };
  logWarnings(current);
  log.info({ sps: current.all().map((sp) => sp.entityId) }, 'service providers registered');
  return {
    current: () => current,
    lastReloadProblems: () => problems,
    async reload() {
      const next = await load().catch((error: unknown) => ({ registry: current, problems: [`reload failed: ${String(error)}`] }));
      problems = next.problems;
      if (next.problems.length > 0) {
        log.error({ problems: next.problems }, 'metadata reload failed: keeping the previous SP registry');
        return { ok: false, problems: next.problems };
      }
      current = next.registry;
      logWarnings(current);
      log.info({ sps: current.all().map((sp) => sp.entityId) }, 'metadata reloaded');
      return { ok: true, problems: [] };
    },
  };
}
