import { type Model, PermissionDeniedError, type Relation, SecretNotFoundError } from '@charmkit/ops';
import { type DatabaseProviderApp, type SecretGroup, secretLabel } from './schemas.js';

const GROUPS: readonly SecretGroup[] = ['user', 'tls', 'extra', 'entity'];

/**
 * The provider's fields as the requirer sees them: the plain databag fields, overlaid with the
 * content of each `secret-<group>` secret the bag points to. A secret that is not (yet) granted to
 * this unit leaves its fields out: the caller then sees no credentials, not an error.
 */
export function resolveSecretFields(
  model: Model,
  relation: Relation,
  bag: DatabaseProviderApp,
  raw: Readonly<Record<string, string>>,
): { fields: Record<string, string>; unavailable: SecretGroup[] } {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!key.startsWith('secret-')) fields[key] = value;
  }
  const unavailable: SecretGroup[] = [];
  for (const group of GROUPS) {
    const uri = bag[`secret-${group}`];
    if (uri === undefined) continue;
    try {
      const secret = model.getSecret({ id: uri, label: secretLabel(relation.name, relation.id, group) });
      Object.assign(fields, secret.getContent({ refresh: true }));
    } catch (error) {
      // Juju grants the secret in the same hook that writes its URI; until it is visible here,
      // the relation is simply not ready.
      if (error instanceof SecretNotFoundError || error instanceof PermissionDeniedError) {
        unavailable.push(group);
      } else throw error;
    }
  }
  return { fields, unavailable };
}

/** The relation and group a data_interfaces secret label names, or null for other labels. */
export function parseSecretLabel(
  label: string | null,
): { endpoint: string; relationId: number; group: SecretGroup } | null {
  const match = label === null ? null : /^(.+)\.(\d+)\.(user|tls|extra|entity)\.secret$/.exec(label);
  if (!match) return null;
  return { endpoint: match[1] as string, relationId: Number(match[2]), group: match[3] as SecretGroup };
}
