#!/usr/bin/env node
// The `charmkit` command. In a checkout (and in the published package, which ships src/) it runs
// from the TypeScript sources through a small esbuild loader, so `npx charmkit` works right after
// `npm ci` with no build step and never runs stale output. Without src/ it runs dist/.
import { existsSync } from 'node:fs';
import { register } from 'node:module';

const source = new URL('../src/main.ts', import.meta.url);
let entry;
if (existsSync(source)) {
  register('./source-loader.js', import.meta.url);
  entry = source.href;
} else {
  entry = new URL('../dist/main.js', import.meta.url).href;
}
const { runCli } = await import(entry);
process.exitCode = await runCli(process.argv.slice(2));
