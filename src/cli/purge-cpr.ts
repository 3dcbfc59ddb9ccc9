import { parseArgs } from 'node:util';
import { settingsSchema } from '../config/index.js';
import { runCprPurge } from '../jobs/index.js';
import { systemClock, type Clock } from '../shared/index.js';
import { createPool } from '../store/index.js';
import { openDatabase, stderrLog } from './database.js';
import type { CommandIo } from './io.js';

export const PURGE_CPR_HELP = `Usage: nemid-idp purge-cpr [--dry-run]

Deletes every remembered CPR number not used for CPR_MEMORY_RETENTION (default P3M, i.e. 3 months) now: the same
job the scheduler runs at 03:00 Europe/Copenhagen. With --dry-run it only counts the rows it would delete.`;

export async function purgeCprCommand(args: string[], io: CommandIo, options: { clock?: Clock } = {}): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, 'dry-run': { type: 'boolean' } } });
  if (values.help) {
    io.stdout(PURGE_CPR_HELP);
    return 0;
  }
  const retentionSetting = settingsSchema.shape.CPR_MEMORY_RETENTION.safeParse(io.env['CPR_MEMORY_RETENTION'] || undefined);
  if (!retentionSetting.success) {
    io.stderr(`CPR_MEMORY_RETENTION: ${retentionSetting.error.issues[0]?.message ?? 'invalid'}`);
    return 78; // EX_CONFIG
  }
  const dryRun = values['dry-run'] === true;
  const database = await openDatabase(io, stderrLog(io));
  const pool = createPool(database.url, { applicationName: 'nemid-idp purge-cpr', max: 1 });
  try {
    const result = await runCprPurge({ pool, clock: options.clock ?? systemClock, retention: retentionSetting.data, dryRun });
    io.stdout(dryRun ? `cpr_memory: ${result.deleted} would be deleted (last used before ${result.cutoff}; dry run)` : `cpr_memory: ${result.deleted} deleted (last used before ${result.cutoff})`);
    return 0;
  } finally {
    await pool.end();
    await database.close();
  }
}
