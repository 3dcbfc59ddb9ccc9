export interface CommandIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A command: gets its own arguments, returns the exit code (null while it keeps running, as `serve` does). */
export type Command = (args: string[], io: CommandIo) => Promise<number | null>;
