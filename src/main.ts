import { buildApp } from './build-app';
import { loadConfig, missingSlackCredentials } from './config/load-config';

/**
 * On SIGTERM, work in flight (a running rollback above all) gets this long to finish before the
 * process exits: a rolling deploy of the bot then does not turn a short rollback's outcome into
 * "unknown". Keep the orchestrator's grace period above it (Kubernetes' default is 30 s).
 */
const SHUTDOWN_DRAIN_MS = 25_000;

/** Reads env + config once; a problem is printed with every bad key, and the process exits non-zero. */
async function main(): Promise<void> {
  const loaded = loadConfig();
  if (!loaded.ok) {
    console.error(`incident-bot: the configuration is invalid:\n${loaded.errors.map((e) => `  - ${e}`).join('\n')}`);
    process.exit(1);
  }
  const missing = missingSlackCredentials(loaded.config.env);
  if (missing.length) {
    console.error(
      `incident-bot: cannot talk to Slack; set these environment variables:\n${missing.map((m) => `  - ${m}`).join('\n')}\nSee README.md, "Create the Slack app".`,
    );
    process.exit(1);
  }
  const bot = await buildApp({ config: loaded.config });
  // Listening with `on`, not `once`: a process group signal reaches node twice when a parent
  // (npm, a shell, an init) forwards it too, and with `once` that second one killed the bot
  // mid-rollback. Every later signal is noted and the drain goes on.
  let stopping: Promise<void> | undefined;
  const shutdown = (signal: string) => {
    if (stopping) {
      bot.log.info({ signal }, 'already shutting down; still waiting for work in flight');
      return;
    }
    bot.log.info({ signal, drainMs: SHUTDOWN_DRAIN_MS }, 'shutting down; waiting for work in flight (a running rollback) first');
    stopping = bot.stop({ drainMs: SHUTDOWN_DRAIN_MS }).finally(() => {
      bot.log.info('drained; exiting');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await bot.start();
}

main().catch((error) => {
  console.error('incident-bot: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
