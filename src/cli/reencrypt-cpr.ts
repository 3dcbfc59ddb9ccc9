import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config/index.js';
import { createCprVault, reencryptCprMemory } from '../login/index.js';
import { cprMemoryRekey, createPool } from '../store/index.js';
import { prepareSimulator } from '../simulator-bootstrap.js';
import { openDatabase, stderrLog } from './database.js';
import type { CommandIo } from './io.js';

export const REENCRYPT_CPR_HELP = `Usage: nemid-idp reencrypt-cpr

Re-encrypts every remembered CPR number under the newest key (the first entry of CPR_ENCRYPTION_KEYS), so that an
older key can be removed afterwards. Prints how many rows each key holds before and after.`;

export async function reencryptCprCommand(args: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout(REENCRYPT_CPR_HELP);
    return 0;
  }
  let keys;
  try {
    keys = (await loadConfig({ env: io.env, prepareSimulator })).secrets.cprEncryption;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(error.message);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  const vault = createCprVault(keys);
  const log = stderrLog(io);
  const database = await openDatabase(io, log);
  const pool = createPool(database.url, { applicationName: 'nemid-idp reencrypt-cpr', max: 1 });
  try {
    io.stdout(`before: ${JSON.stringify(await cprMemoryRekey.countByKey(pool))}`);
    const result = await reencryptCprMemory(pool, vault, log);
    io.stdout(`re-encrypted under ${vault.currentKeyId}: ${result.reencrypted}; unreadable: ${result.unreadable}; changed meanwhile: ${result.skipped}`);
    io.stdout(`after: ${JSON.stringify(await cprMemoryRekey.countByKey(pool))}`);
    return result.unreadable > 0 ? 1 : 0;
  } finally {
    await pool.end();
    await database.close();
  }
}
