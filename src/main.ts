#!/usr/bin/env node
import { runCommand } from './cli/commands.js';

// CLI entry. Every command returns an exit code; only `serve` keeps running until SIGTERM/SIGINT.
const exitCode = await runCommand(process.argv.slice(2), {
  env: process.env,
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
});
if (exitCode !== null) process.exitCode = exitCode;
