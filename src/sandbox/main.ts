// `npm run sandbox`: the real bot against a built-in Slack emulator, with a workspace in the browser.
import { readSandboxEnv } from '../config/sandbox-env';
import { SandboxError } from './sandbox-error';
import { startSandbox } from './start-sandbox';

async function main(): Promise<void> {
  // Until the sandbox is up, a signal just exits: start-sandbox's exit hooks stop what it started.
  const early = () => process.exit(130);
  process.once('SIGINT', early);
  process.once('SIGTERM', early);
  const read = readSandboxEnv();
  if (!read.ok) {
    console.error(`sandbox: bad environment:\n${read.errors.map((e) => `  - ${e}`).join('\n')}`);
    process.exit(1);
  }
  const sandbox = await startSandbox({ port: read.env.SANDBOX_PORT, redisUrl: read.env.REDIS_URL });
  if (sandbox.redis.started)
    console.log(`Nothing answered at ${read.env.REDIS_URL}: started a private redis-server at ${sandbox.redis.url} (stopped on exit).`);
  console.log(`Sandbox workspace: ${sandbox.url}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Never hang on the way out: after 30 s exit anyway (the exit hooks kill the bot and a private Redis).
    setTimeout(() => process.exit(1), 30_000).unref();
    await sandbox.stop();
    process.exit(0);
  };
  process.off('SIGINT', early);
  process.off('SIGTERM', early);
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error) => {
  console.error(
    error instanceof SandboxError
      ? `sandbox: ${error.message}`
      : `sandbox: failed to start: ${error instanceof Error ? error.stack : error}`,
  );
  process.exit(1);
});
