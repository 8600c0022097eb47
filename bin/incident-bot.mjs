#!/usr/bin/env node
// Launcher for the compiled CLI (dist/cli.js, made by `npm run build`, shipped in the package).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  // A git checkout without a build: say what to do rather than fail on a missing module.
  process.stderr.write(
    'incident-bot: dist/cli.js is missing; run `npm run build` first (or `npx tsx src/adapters/inbound/cli/main.ts`).\n',
  );
  process.exit(1);
}
await import(cli.href);
