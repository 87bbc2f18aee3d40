import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** A fixture under test/fixtures/<dir>/, parsed. */
export function fixture<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(join(here, '..', 'fixtures', dir, name), 'utf8')) as T;
}
