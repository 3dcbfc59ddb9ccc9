import { parseArgs } from 'node:util';
import { loadSpRegistry, type NemidEnvironment } from '../saml/index.js';
import type { CommandIo } from './io.js';

// `nemid-idp sp validate [dir]`: the start-up validation of METADATA_DIR (saml-profile.md §8), offline, for CI and
// before a SIGHUP reload. Exit 0 when every SP registers, 1 with the list of problems, 2 on a usage error.

export const SP_VALIDATE_HELP = `Usage: nemid-idp sp validate [DIR] [options]

Validates registered SPs: every DIR/<name>.xml (SAML metadata) with its DIR/<name>.json (policy).
DIR defaults to METADATA_DIR, else metadata/.

Options:
  --environment ENV   simulator, preproduction or production (default: NEMID_ENVIRONMENT, else simulator);
                      http:// ACS locations are allowed only in simulator
Exit status: 0 all valid, 1 problems found, 2 usage error.`;

const ENVIRONMENTS: readonly NemidEnvironment[] = ['simulator', 'preproduction', 'production'];

export async function spValidateCommand(args: string[], io: CommandIo): Promise<number> {
  const rest = args[0] === 'validate' ? args.slice(1) : args;
  let parsed;
  try {
    parsed = parseArgs({ args: rest, allowPositionals: true, options: { environment: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${SP_VALIDATE_HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(SP_VALIDATE_HELP);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    io.stderr(`at most one directory\n\n${SP_VALIDATE_HELP}`);
    return 2;
  }
  const environment = (parsed.values.environment ?? io.env.NEMID_ENVIRONMENT ?? 'simulator') as NemidEnvironment;
  if (!ENVIRONMENTS.includes(environment)) {
    io.stderr(`unknown environment: ${environment}\n\n${SP_VALIDATE_HELP}`);
    return 2;
  }
  const dir = parsed.positionals[0] ?? io.env.METADATA_DIR ?? 'metadata';
  const baseUrl = io.env.IDP_BASE_URL ?? 'http://localhost:8080';
  const idp = { baseUrl, entityId: io.env.IDP_ENTITY_ID ?? baseUrl };
  const { registry, problems } = await loadSpRegistry({ dir, environment, idp });
  if (problems.length > 0) {
    io.stderr(`${dir}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    return 1;
  }
  const lines = registry.all().map((sp) => `  ${sp.name}: ${sp.entityId}${sp.warnings.length > 0 ? ` (warning: ${sp.warnings.join('; ')})` : ''}`);
  io.stdout(`${dir}: ${registry.all().length} SP${registry.all().length === 1 ? '' : 's'} valid (${environment})\n${lines.join('\n')}`);
  return 0;
}
