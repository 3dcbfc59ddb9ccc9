import { MIGRATE_HELP, migrateCommand } from './migrate.js';
import { serveCommand } from './serve.js';
import { sweepCommand } from './sweep.js';
import type { Command, CommandIo } from './io.js';

const COMMANDS: Record<string, { summary: string; run: Command }> = {
  serve: { summary: 'start the IdP (default)', run: serveCommand },
  migrate: { summary: 'apply pending database migrations; `migrate status` lists them', run: migrateCommand },
  sweep: { summary: 'delete expired transactions, replay rows and sessions now', run: sweepCommand },
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
