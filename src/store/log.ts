/** The subset of a pino logger the store and jobs write to (pino's Logger satisfies it). */
export interface StoreLog {
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

export const silentLog: StoreLog = { info: () => {}, warn: () => {}, error: () => {} };
