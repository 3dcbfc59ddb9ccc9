import { parseArgs } from 'node:util';
import { defaultMigrationsDir, migrate, migrationStatus } from '../store/index.js';
import { openDatabase, stderrLog } from './database.js';
import type { CommandIo } from './io.js';

export const MIGRATE_HELP = `Usage: nemid-idp migrate [status]

  migrate          apply every pending migration (under a lock; safe to run from several instances)
  migrate status   list every migration and whether it is applied; exit 1 when any is pending

Uses DATABASE_URL, or the embedded PostgreSQL under DATA_DIR (default .data/) when it is unset.`;

export async function migrateCommand(args: string[], io: CommandIo): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(MIGRATE_HELP);
    return 0;
  }
  const sub = positionals[0];
  if (sub !== undefined && sub !== 'status') {
    io.stderr(`unknown migrate subcommand: ${sub}\n\n${MIGRATE_HELP}`);
    return 2;
  }
  const log = stderrLog(io);
  const database = await openDatabase(io, log);
  try {
    const dir = await defaultMigrationsDir();
    if (sub === 'status') {
      const states = await migrationStatus({ databaseUrl: database.url, dir });
      for (const state of states) io.stdout(`${state.applied ? 'applied' : 'PENDING'}  ${state.name}${state.appliedAt ? `  ${state.appliedAt.toISOString()}` : ''}`);
      const pending = states.filter((s) => !s.applied).length;
      io.stdout(pending === 0 ? 'schema is current' : `${pending} migration(s) pending`);
      return pending === 0 ? 0 : 1;
    }
    const applied = await migrate({ databaseUrl: database.url, dir, log });
    io.stdout(applied.length === 0 ? 'nothing to migrate: schema is current' : `applied: ${applied.join(', ')}`);
    return 0;
  } finally {
    await database.close();
  }
}
