import { execFileSync } from 'node:child_process';

// Vitest global setup: tests that run the compiled bot or the packaged CLI need dist/, and a
// fresh clone has none. Built once here, before any test file starts, so no two files build
// at the same time (the build also renames each file into place, see scripts/build.mjs).
export default function buildDist(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
}
