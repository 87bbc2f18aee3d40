import { createHash } from 'node:crypto';
import { OpsObject } from '@charmkit/ops';
import { checkFlagName } from './flag-name.js';
import type { FlagProvider } from './flag-provider.js';
import type { Reactive } from './reactive.js';

/**
 * The base layer's config flags, derived from the charm's config at every dispatch:
 * - `config.set.<option>`: the option has a value (not null, not the empty string);
 * - `config.default.<option>`: the value equals the default in config.yaml;
 * - `config.changed.<option>` and `config.changed`: the value differs from the one this unit saw
 *   in its previous dispatch (all options count as changed in the first one). They last this one
 *   dispatch; a failed dispatch sees them again when retried.
 *
 * Only hashes of values are stored, never the values (options can hold passwords).
 * `new ConfigFlags(reactive)` registers itself for the `config.` namespace.
 */
export class ConfigFlags extends OpsObject implements FlagProvider {
  static override readonly handleKind = 'ConfigFlags';

  readonly #snapshot: { values: Record<string, string> };
  #flags: ReadonlySet<string> | null = null;

  constructor(reactive: Reactive) {
    super(reactive, null);
    this.#snapshot = this.storedState('snapshot', { values: {} as Record<string, string> });
    reactive.addFlagProvider(this, { prefix: 'config.' });
  }

  /** The flags; computed once per dispatch (config does not change within one). */
  flags(): ReadonlySet<string> {
    if (this.#flags !== null) return this.#flags;
    const config = this.framework.model.config;
    const meta = this.framework.meta.config;
    const flags = new Set<string>();
    const hashes: Record<string, string> = {};
    const previous = this.#snapshot.values;
    for (const key of new Set([...meta.keys(), ...Object.keys(config)])) {
      if (!isFlagSafe(key)) continue;
      const value = config[key];
      const encoded = JSON.stringify(value ?? null);
      hashes[key] = createHash('sha256').update(encoded).digest('hex').slice(0, 32);
      if (value !== undefined && value !== null && value !== '') flags.add(`config.set.${key}`);
      const declared = meta.get(key)?.default;
      if (declared !== undefined && encoded === JSON.stringify(declared)) flags.add(`config.default.${key}`);
      if (previous[key] !== hashes[key]) flags.add(`config.changed.${key}`);
    }
    for (const key of Object.keys(previous)) if (!(key in hashes)) flags.add(`config.changed.${key}`);
    if ([...flags].some((f) => f.startsWith('config.changed.'))) flags.add('config.changed');
    this.#snapshot.values = hashes;
    this.#flags = flags;
    return flags;
  }
}

function isFlagSafe(key: string): boolean {
  try {
    checkFlagName(`config.set.${key}`);
    return true;
  } catch {
    return false;
  }
}
