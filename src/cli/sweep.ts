import { parseArgs } from 'node:util';
import { runSweep } from '../jobs/index.js';
import { systemClock } from '../shared/index.js';
import { createPool } from '../store/index.js';
import { openDatabase, stderrLog } from './database.js';
import type { CommandIo } from './io.js';

export const SWEEP_HELP = `Usage: nemid-idp sweep

Deletes expired login transactions, request-ID and response-digest replay rows, expired evidence, ended sessions
and old job claims now (the same job the scheduler runs), and prints how many rows each table lost.`;

export async function sweepCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(SWEEP_HELP);
    return 0;
  }
  const database = await openDatabase(io, stderrLog(io));
  const pool = createPool(database.url, { applicationName: 'nemid-idp sweep', max: 2 });
  try {
    const counts = await runSweep({ pool, clock: systemClock });
    for (const [table, count] of Object.entries(counts)) io.stdout(`${table}: ${count} deleted`);
    return 0;
  } finally {
    await pool.end();
    await database.close();
  }
}
