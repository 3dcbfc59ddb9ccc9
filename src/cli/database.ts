import { join } from 'node:path';
import { loadDatabaseSettings } from '../config/index.js';
import { startEmbeddedPostgres, type StoreLog } from '../store/index.js';
import type { CommandIo } from './io.js';

/** The database a maintenance command works on: DATABASE_URL, or the embedded one under DATA_DIR. */
export async function openDatabase(io: CommandIo, log: StoreLog): Promise<{ url: string; close(): Promise<void> }> {
  const settings = loadDatabaseSettings(io.env);
  if (settings.databaseUrl) return { url: settings.databaseUrl, close: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: join(settings.dataDir, 'postgres'), log });
  return { url: embedded.url, close: () => embedded.stop() };
}

export function stderrLog(io: CommandIo): StoreLog {
  const write = (level: string) => (fields: Record<string, unknown>, message?: string) => {
    if (level !== 'info') io.stderr(`${level}: ${message ?? ''} ${JSON.stringify(fields)}`);
  };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}
