import { MIGRATE_HELP, migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { sweepCommand } from './sweep.js';
import { metadataCommand } from './metadata.js';
import { spValidateCommand } from './sp-validate.js';
import { verifyResponseCommand } from './verify-response.js';
import { checkCertificateCommand } from './check-certificate.js';
import { devPkiCommand } from './dev-pki.js';
import { purgeCprCommand } from './purge-cpr.js';
import { reencryptCprCommand } from './reencrypt-cpr.js';
import type { Command, CommandIo } from './io.js';

const COMMANDS: Record<string, { summary: string; run: Command }> = {
  serve: { summary: 'start the IdP (default)', run: serveCommand },
  migrate: { summary: 'apply pending database migrations; `migrate status` lists them', run: migrateCommand },
  sweep: { summary: 'delete expired transactions, replay rows and sessions now', run: sweepCommand },
  'purge-cpr': { summary: 'delete remembered CPR numbers unused for the retention period (--dry-run)', run: purgeCprCommand },
  'reencrypt-cpr': { summary: 're-encrypt every remembered CPR number under the newest key', run: reencryptCprCommand },
  metadata: { summary: 'print the IdP\'s signed SAML metadata', run: metadataCommand },
  sp: { summary: '`sp validate [dir]`: check registered SPs (metadata + policy) offline', run: spValidateCommand },
  'verify-response': { summary: 'verify a captured NemID response offline', run: verifyResponseCommand },
  'check-certificate': { summary: 'check an OCES certificate: type, identifiers, chain, revocation', run: checkCertificateCommand },
  'dev-pki': { summary: 'generate the simulator\'s test PKI into a directory', run: devPkiCommand },
};

export function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(20)} ${c.summary}`);
  return `Usage: nemid-idp <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun \`nemid-idp <command> --help\` for a command's options.`;
}

export async function runCommand(argv: string[], io: CommandIo): Promise<number | null> {
  const [name = 'serve', ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`unknown command: ${name}\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    io.stderr(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

export { MIGRATE_HELP };
