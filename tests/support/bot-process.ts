// Runs the real bot (the composition root, as src/main.ts does) in its own process for
// benchmarks and multi-process tests. Config file comes as JSON in BOT_FILE_CONFIG; env as
// usual. Prints "READY <port>" once listening; exits on SIGTERM, dies on SIGKILL.
import { buildApp } from '../../src/build-app';
import { loadConfig } from '../../src/config/load-config';

const file = process.env.BOT_FILE_CONFIG ? JSON.parse(process.env.BOT_FILE_CONFIG) : undefined;
const loaded = loadConfig({ env: process.env, ...(file ? { file } : {}) });
if (!loaded.ok) {
  console.error(loaded.errors.join('\n'));
  process.exit(1);
}
const bot = await buildApp({ config: loaded.config });
const port = await bot.start(loaded.config.env.PORT);
console.log(`READY ${port}`);
// As src/main.ts does (its SHUTDOWN_DRAIN_MS), unless a test asks for less.
let stopping = false;
process.on('SIGTERM', () => {
  if (stopping) return;
  stopping = true;
  void bot.stop({ drainMs: Number(process.env.SHUTDOWN_DRAIN_MS ?? 25_000) }).then(() => process.exit(0));
});
