#!/usr/bin/env node
// Writes (or, with --check, verifies) one API report per published entry point of every package:
// api/<package>[-<subpath>].api.md, made by API Extractor from the declarations `tsc -b` emits.
// A change to a public signature then shows up as a diff to review, and CI fails until the report
// is updated on purpose (`npm run api`).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Extractor, ExtractorConfig, ExtractorLogLevel } from '@microsoft/api-extractor';

const root = resolve(import.meta.dirname, '..');
const check = process.argv.includes('--check');
const reportFolder = join(root, 'api');
const tempFolder = mkdtempSync(join(tmpdir(), 'charmkit-api-'));
mkdirSync(reportFolder, { recursive: true });

/** Every `exports` entry with declarations: [report name, absolute .d.ts path]. */
function entryPoints(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const base = pkg.name.replace(/^@/, '').replace('/', '-');
  return Object.entries(pkg.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && target !== null && 'types' in target)
    .map(([subpath, target]) => {
      const suffix = subpath === '.' ? '' : `-${subpath.replace(/^\.\//, '').replaceAll('/', '-')}`;
      return { name: `${base}${suffix}`, dts: join(pkgDir, target.types), pkgDir };
    });
}

const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')));

let failed = 0;
try {
  for (const entry of packages.flatMap(entryPoints)) {
    if (!existsSync(entry.dts)) {
      console.error(`api: ${entry.dts} is missing; run \`tsc -b\` first`);
      failed++;
      continue;
    }
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: entry.pkgDir,
        mainEntryPointFilePath: entry.dts,
        compiler: { tsconfigFilePath: join(entry.pkgDir, 'tsconfig.json') },
        apiReport: {
          enabled: true,
          reportFileName: entry.name,
          reportFolder,
          reportTempFolder: tempFolder,
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          // Release tags (@beta, @alpha) are not how charmkit marks stability: subpaths are.
          extractorMessageReporting: {
            default: { logLevel: ExtractorLogLevel.None },
            'ae-forgotten-export': { logLevel: ExtractorLogLevel.None, addToApiReportFile: false },
          },
          tsdocMessageReporting: { default: { logLevel: ExtractorLogLevel.None } },
          compilerMessageReporting: { default: { logLevel: ExtractorLogLevel.Warning } },
        },
      },
      configObjectFullPath: undefined,
      packageJsonFullPath: join(entry.pkgDir, 'package.json'),
    });
    const result = Extractor.invoke(config, { localBuild: !check, showVerboseMessages: false });
    if (check && result.apiReportChanged) {
      console.error(
        `api: the public API of ${entry.name} differs from api/${entry.name}.api.md; if that is on purpose, run \`npm run api\` and commit the report`,
      );
      failed++;
    } else if (!result.succeeded) {
      failed++;
    } else {
      console.log(`api: ${entry.name}${result.apiReportChanged ? ' (report updated)' : ''}`);
    }
  }
} finally {
  rmSync(tempFolder, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
