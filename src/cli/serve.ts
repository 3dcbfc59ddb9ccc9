import { startService } from '../app.js';
import { ConfigError } from '../config/index.js';
import type { CommandIo } from './io.js';

export const SERVE_HELP = `Usage: nemid-idp serve

Starts the IdP (and, in the simulator environment, the NemID simulator on its own port). Configuration comes from
environment variables (see README). On SIGTERM it drains first: /readyz turns 503 at once while requests are still
served for SHUTDOWN_DRAIN_MS (so the balancer takes the instance out), every response closing its connection; then
it stops accepting, finishes requests in flight, stops jobs, closes the database pool and stops an embedded
PostgreSQL. SIGINT (Ctrl-C) skips the drain. SIGHUP re-reads the SP metadata folder.`;

export async function serveCommand(args: string[], io: CommandIo): Promise<number | null> {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(SERVE_HELP);
    return 0;
  }
  let service;
  try {
    service = await startService({ env: io.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(error.message);
      return 78; // EX_CONFIG
    }
    io.stderr(`start-up failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  let stopping = false;
  const stop = async (signal: string, drainMs: number) => {
    if (stopping) return;
    stopping = true;
    if (drainMs > 0) {
      service.startDrain();
      service.log.info({ signal, drainMs }, 'draining: /readyz is 503, still serving until the balancer has noticed');
      await new Promise((resolve) => setTimeout(resolve, drainMs));
    }
    service.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      service.log.error({ timeoutMs: service.config.http.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, service.config.http.shutdownTimeoutMs);
    timer.unref();
    await service
      .close()
      .then(() => {
        service.log.info({}, 'stopped');
        service.log.flush?.();
        process.exitCode = 0;
      })
      .catch(() => {
        process.exitCode = 1;
      });
  };
  // The embedded PostgreSQL library hooks SIGINT/SIGTERM to exit at once; serve owns these signals so that requests
  // in flight finish first (the embedded server is stopped last, by close()).
  process.removeAllListeners('SIGTERM');
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGHUP');
  process.on('SIGTERM', () => void stop('SIGTERM', service.config.http.shutdownDrainMs));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  // SIGHUP re-reads the SP metadata folder, all or nothing; logins in flight keep going.
  process.on('SIGHUP', () => {
    void service.registry.reload();
  });
  return null;
}
