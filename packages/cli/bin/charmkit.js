#!/usr/bin/env node
// The `charmkit` command. Installed from the registry or a tarball (its path runs through a
// node_modules directory) it runs the built dist/, which starts fast. In a checkout it runs the
// TypeScript sources through a small esbuild loader, so `npx charmkit` works right after `npm ci`
// with no build step and never runs stale output.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/main.ts', import.meta.url);
// Node gives the real path here, so a workspace link into a checkout still counts as a checkout.
const installed = fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules');
let entry;
if (!installed && existsSync(source)) {
  register('./source-loader.js', import.meta.url);
  entry = source.href;
} else {
  entry = new URL('../dist/main.js', import.meta.url).href;
}
const { runCli } = await import(entry);
process.exitCode = await runCli(process.argv.slice(2));
