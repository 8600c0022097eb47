// Compiles src/ to dist/ for `npm start` and the `incident-bot` binary.
// esbuild (already under tsx) rather than tsc: the sources import without file extensions
// (moduleResolution Bundler), which Node's ESM loader cannot resolve from tsc's one-to-one
// output; esbuild bundles our own code into one file per entry in well under a second and
// leaves node_modules as imports. Type checking stays with `tsc --noEmit` (npm test).
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(root, process.argv[2] ?? 'dist');

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', cli: 'src/adapters/inbound/cli/main.ts' },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  // Keeps function and class names in stack traces and logs.
  keepNames: true,
  logLevel: 'warning',
  write: false,
});

// Each file is written beside itself and renamed into place, so a process starting from
// dist/ while a build runs (a test, `npm pack`) never reads a half-written file.
mkdirSync(outdir, { recursive: true });
for (const file of result.outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  mkdirSync(dirname(file.path), { recursive: true });
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
console.log(`built ${result.outputFiles.map((f) => f.path.slice(root.length + 1)).join(', ')}`);
