import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'database');

/** A fixture: a databag and, for secrets it points to, their content. */
export interface BagFixture {
  readonly databag: Record<string, string>;
  readonly secrets?: Record<string, Record<string, string>>;
}

export function fixture(name: string): BagFixture {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as BagFixture;
}
