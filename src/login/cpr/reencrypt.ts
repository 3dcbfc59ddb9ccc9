import { cprMemoryRekey, type Queryable, type StoreLog } from '../../store/index.js';
import type { CprKeyRing } from './vault.js';

// Moves every remembered CPR onto the newest key (the first of CPR_ENCRYPTION_KEYS), so an old key can then be
// retired. Rows no configured key opens are counted and left for the purge (or for the step, which deletes them).

export interface ReencryptResult {
  reencrypted: number;
  unreadable: number;
  /** Rows changed by someone else between read and write (used or forgotten meanwhile); the next run retries. */
  skipped: number;
}

export async function reencryptCprMemory(db: Queryable, vault: CprKeyRing, log: StoreLog, batchSize = 500): Promise<ReencryptResult> {
  const result: ReencryptResult = { reencrypted: 0, unreadable: 0, skipped: 0 };
  const passedOver = new Set<string>();
  for (;;) {
    const rows = (await cprMemoryRekey.listNotUnderKey(db, vault.currentKeyId, batchSize + passedOver.size)).filter(
      (row) => !passedOver.has(`${row.pidHmac.toString('hex')} ${row.spEntityId}`),
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      let cpr: string;
      try {
        cpr = vault.open(row.ciphertext, row.keyId);
      } catch {
        passedOver.add(`${row.pidHmac.toString('hex')} ${row.spEntityId}`);
        result.unreadable += 1;
        log.warn({ keyId: row.keyId }, 'remembered CPR cannot be opened with any configured key');
        continue;
      }
      const replaced = await cprMemoryRekey.replaceSealed(db, row, vault.seal(cpr));
      if (replaced) result.reencrypted += 1;
      else {
        passedOver.add(`${row.pidHmac.toString('hex')} ${row.spEntityId}`);
        result.skipped += 1;
      }
    }
  }
  return result;
}
