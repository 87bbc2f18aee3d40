import { stringify } from 'yaml';
import { layer } from './layer-tables.js';
import type { Layer } from './types.js';

/**
 * Converts a camelCase {@link Layer} into the kebab-case document Pebble reads. Only the fields
 * of the layer tables are renamed: keys inside `environment`, `labels`, `headers` and
 * `onCheckFailure` are user data and keep their spelling, and unknown keys pass through.
 */
export function layerToWire(value: Layer): Record<string, unknown> {
  return layer.as<Layer>().toWire(value);
}

/** Serialises a layer for `POST /v1/layers`; a string is taken to be YAML already. */
export function layerToYaml(layer: Layer | string): string {
  return typeof layer === 'string' ? layer : stringify(layerToWire(layer));
}
