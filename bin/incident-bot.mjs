#!/usr/bin/env node
// Launcher for the TypeScript CLI: runs src/adapters/inbound/cli/main.ts through tsx in this process,
// so `npx incident-bot classify file.json` works without a build step.
import { tsImport } from 'tsx/esm/api';

await tsImport('../src/adapters/inbound/cli/main.ts', import.meta.url);
