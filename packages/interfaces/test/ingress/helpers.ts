import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ingress');

/** An application databag and unit databags by unit number, as a fixture holds them. */
export interface Bags {
  readonly app: Record<string, string>;
  readonly units: Record<number, Record<string, string>>;
}

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(fixtures, name), 'utf8')) as T;
}
