import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCharmMeta } from '@charmkit/ops';
import { afterAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { generateTypes, typegenCommand, UsageError } from '../src/index.js';
import { actionParamsSchemas, configSchema } from './fixtures/web/src/charm-types.js';
import { captureIo, cliDir, removeTempDirs, repoDir, repoTempDir } from './helpers.js';

afterAll(removeTempDirs);

const fixture = join(cliDir, 'test', 'fixtures', 'web');

describe('charmkit typegen', () => {
  it('the committed fixture is exactly what typegen writes (so the type tests test typegen)', () => {
    const io = captureIo(repoDir);
    expect(() => typegenCommand(fixture, { check: true }, io)).not.toThrow();
    expect(io.out.join('')).toMatch(/up to date/);
  });

  it('the examples with generated types are up to date', () => {
    expect(() =>
      typegenCommand(join(repoDir, 'examples', 'redis-k8s'), { check: true }, captureIo(repoDir)),
    ).not.toThrow();
  });

  it('--check fails on a stale file, naming the command to run', () => {
    const dir = repoTempDir('typegen-');
    for (const f of ['metadata.yaml', 'config.yaml', 'actions.yaml'])
      writeFileSync(join(dir, f), readFileSync(join(fixture, f)));
    expect(() => typegenCommand(dir, { check: true }, captureIo(dir))).toThrow(
      /missing: run `charmkit typegen/,
    );
    typegenCommand(dir, {}, captureIo(dir));
    writeFileSync(join(dir, 'config.yaml'), 'options: {}\n');
    expect(() => typegenCommand(dir, { check: true }, captureIo(dir))).toThrow(UsageError);
  });

  it('writes schemas that validate like the model: defaults, bounds, strictness', () => {
    expect(configSchema.parse({})).toEqual({ port: 8080, name: 'web', ratio: 0.5, debug: false });
    expect(configSchema.safeParse({ port: 1.5 }).success).toBe(false);
    expect(actionParamsSchemas.backup.parse({ to: 's3' })).toEqual({ to: 's3', compress: true });
    expect(actionParamsSchemas.backup.safeParse({ to: 's3', level: 10 }).success).toBe(false);
    expect(actionParamsSchemas.backup.safeParse({ to: 's3', extra: 1 }).success).toBe(false);
    expect(actionParamsSchemas.backup.safeParse({ to: '' }).success).toBe(false);
    expect(z.safeParse(actionParamsSchemas.restart, { anything: 1 }).success).toBe(true);
  });

  it('a charm with no actions or relations gets types that accept no name', () => {
    const text = generateTypes(loadCharmMeta(join(repoDir, 'examples', 'rolling-restart')), [
      'metadata.yaml',
    ]);
    expect(text).toContain('export type ActionParams = {};');
    expect(text).toContain("export const relationNames = ['cluster'] as const;");
    expect(text).toContain('export const containerNames = [] as const;');
    expect(text).toContain('export interface RollingRestartTypes extends CharmTypes {');
  });
});
