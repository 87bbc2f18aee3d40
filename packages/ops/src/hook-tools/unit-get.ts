import * as z from 'zod/mini';
import { invalidArgument } from './errors.js';
import type { ToolRunner } from './run-tool.js';
import { describe } from './validate.js';

/** What `unit-get` can report. */
export type UnitSetting = 'private-address' | 'public-address';

/**
 * This unit's private or public address: `unit-get --format=json -- <setting>`. Legacy: prefer
 * `networkGet`, which knows about spaces and relations.
 */
export function unitGet(runner: ToolRunner, setting: UnitSetting): string {
  if (setting !== 'private-address' && setting !== 'public-address') {
    throw invalidArgument(
      'unit-get',
      `setting must be "private-address" or "public-address", got ${describe(setting)}`,
    );
  }
  return runner.runJson('unit-get', ['--', setting], z.string());
}
