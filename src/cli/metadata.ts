import { ConfigError, loadConfig } from '../config/index.js';
import { buildMetadataXml } from '../app/metadata.js';
import { systemClock } from '../shared/index.js';
import { prepareSimulator } from '../simulator-bootstrap.js';
import type { CommandIo } from './io.js';

// `nemid-idp metadata`: prints the same signed document GET /saml/metadata serves (saml-profile.md §7).

export const METADATA_HELP = `Usage: nemid-idp metadata

Prints the IdP's signed SAML metadata (the document served at /saml/metadata) to standard output.
Uses the same configuration as \`serve\`. Exit status: 0 printed, 1 configuration problem.`;

export async function metadataCommand(args: string[], io: CommandIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(METADATA_HELP);
    return 0;
  }
  if (args.length > 0) {
    io.stderr(`unexpected arguments: ${args.join(' ')}\n\n${METADATA_HELP}`);
    return 2;
  }
  let config;
  try {
    config = await loadConfig({ env: io.env, prepareSimulator });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(error.message);
      return 1;
    }
    throw error;
  }
  io.stdout(buildMetadataXml(config, systemClock));
  return 0;
}
