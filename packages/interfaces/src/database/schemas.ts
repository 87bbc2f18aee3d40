import { z } from 'zod';
import { jsonField } from '../shared/index.js';

// The database interfaces (postgresql_client, mysql_client, mongodb_client v0) as data_platform_libs'
// data_interfaces (v0) writes them: every value a bare string, except the JSON lists
// `requested-secrets` and `provided-secrets`. Each side's bag is its application's.

const secretUri = z.string().regex(/^secret:/, 'expected a Juju secret URI (secret:…)');
const text = z.string().min(1);

/** The requirer's application databag: what it asks for. */
export const DatabaseRequirerAppSchema = z.object({
  /** The database to create, or a prefix ending in `*`. */
  database: text,
  'extra-user-roles': text.optional(),
  'extra-group-roles': text.optional(),
  /** Fields the provider must send in Juju secrets rather than in the databag. */
  'requested-secrets': jsonField(z.array(z.string())).optional(),
  /** Fields the requirer itself sends in secrets (e.g. `mtls-cert`). */
  'provided-secrets': jsonField(z.array(z.string())).optional(),
  /** `"true"`: a subordinate provider should expose the database beyond its host. */
  'external-node-connectivity': z.enum(['true', 'false']).optional(),
  'entity-type': z.enum(['USER', 'GROUP']).optional(),
  'entity-permissions': text.optional(),
  'requested-entity-secret': secretUri.optional(),
});
/** A parsed requirer databag. */
export type DatabaseRequirerApp = z.output<typeof DatabaseRequirerAppSchema>;

/**
 * The provider's application databag. Every field is optional: the provider fills it in over
 * several hooks, and credentials are either plain fields or a `secret-<group>` URI.
 */
export const DatabaseProviderAppSchema = z.object({
  database: text.optional(),
  endpoints: text.optional(),
  'read-only-endpoints': text.optional(),
  version: text.optional(),
  /** Bare `true`/`false` (any case, as Python's `str(True)` gives `True`). */
  tls: z
    .string()
    .regex(/^(true|false)$/i, 'expected "true" or "false"')
    .optional(),
  'tls-ca': text.optional(),
  username: text.optional(),
  password: text.optional(),
  uris: text.optional(),
  'read-only-uris': text.optional(),
  replset: text.optional(),
  'prefix-databases': text.optional(),
  subordinated: z.enum(['true', 'false']).optional(),
  'entity-name': text.optional(),
  'entity-password': text.optional(),
  'secret-user': secretUri.optional(),
  'secret-tls': secretUri.optional(),
  'secret-extra': secretUri.optional(),
  'secret-entity': secretUri.optional(),
});
/** A parsed provider databag. */
export type DatabaseProviderApp = z.output<typeof DatabaseProviderAppSchema>;

/** Which secret each secret-able field goes to; any other requested field goes to `extra`. */
export const SECRET_GROUP_OF: Readonly<Record<string, SecretGroup>> = {
  username: 'user',
  password: 'user',
  uris: 'user',
  'read-only-uris': 'user',
  tls: 'tls',
  'tls-ca': 'tls',
  'entity-name': 'entity',
  'entity-password': 'entity',
};

/** The secrets a provider may send: databag key `secret-<group>`. */
export type SecretGroup = 'user' | 'tls' | 'extra' | 'entity';

/** What a requirer asks to receive in secrets by default (data_interfaces' requirer list). */
export const DEFAULT_REQUESTED_SECRETS: readonly string[] = [
  'username',
  'password',
  'tls',
  'tls-ca',
  'uris',
  'read-only-uris',
  'entity-name',
  'entity-password',
];

/** The label both sides give a relation's secret: `<endpoint>.<relation id>.<group>.secret`. */
export function secretLabel(endpoint: string, relationId: number, group: SecretGroup): string {
  return `${endpoint}.${relationId}.${group}.secret`;
}
