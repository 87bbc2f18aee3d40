import type { CharmMeta, RelationMeta } from '@charmkit/ops';
import { RelationMismatchError, UnknownApplicationError, UnknownEndpointError } from './model-errors.js';

/**
 * A relation between two applications of a model: `['webapp:database', 'db:database']` or
 * `{ a: 'webapp:database', b: 'db:database' }`. An endpoint may be left out (`'db'`) when exactly
 * one endpoint of that application fits the other side, as `juju integrate` allows.
 */
export type ModelRelationSpec = readonly [string, string] | { readonly a: string; readonly b: string };

/** One side of a relation, checked against the charm's metadata. */
export interface ModelRelationEnd {
  readonly app: string;
  readonly endpoint: string;
  readonly role: 'requires' | 'provides';
  readonly interface: string;
}

/** A checked relation: the two ends as `juju integrate` would connect them. */
export interface ResolvedModelRelation {
  readonly a: ModelRelationEnd;
  readonly b: ModelRelationEnd;
}

/** `app:endpoint` of an end. */
export function endName(end: Pick<ModelRelationEnd, 'app' | 'endpoint'>): string {
  return `${end.app}:${end.endpoint}`;
}

/**
 * Checks a relation against the applications' metadata, the way Juju checks `juju integrate`.
 *
 * @throws {UnknownApplicationError} an application the model does not have.
 * @throws {UnknownEndpointError} an endpoint the charm does not declare, a peer endpoint, or a
 * missing endpoint that is ambiguous.
 * @throws {RelationMismatchError} different interfaces, two requirers or two providers, or a
 * relation that already exists.
 */
export function resolveModelRelation(
  spec: ModelRelationSpec,
  metas: ReadonlyMap<string, CharmMeta>,
  existing: readonly ResolvedModelRelation[],
): ResolvedModelRelation {
  const [textA, textB] = Array.isArray(spec) ? spec : [(spec as { a: string }).a, (spec as { b: string }).b];
  const [appA, endpointA] = splitEnd(textA as string, metas);
  const [appB, endpointB] = splitEnd(textB as string, metas);
  const metaA = metas.get(appA) as CharmMeta;
  const metaB = metas.get(appB) as CharmMeta;
  const relA = endpointA === null ? null : regularEndpoint(appA, endpointA, metaA);
  const relB = endpointB === null ? null : regularEndpoint(appB, endpointB, metaB);
  let a: RelationMeta;
  let b: RelationMeta;
  if (relA && relB) {
    [a, b] = [relA, relB];
  } else {
    const pairs = regular(metaA)
      .flatMap((x) => regular(metaB).map((y) => [x, y] as const))
      .filter(([x, y]) => (!relA || x === relA) && (!relB || y === relB) && fits(x, y));
    const only = pairs[0];
    if (pairs.length !== 1 || !only) {
      const what = pairs.length === 0 ? 'no endpoints fit' : `${pairs.length} endpoint pairs fit`;
      throw new UnknownEndpointError(
        `cannot relate ${textA} and ${textB}: ${what}; name the endpoints (${appA}: ${listEndpoints(metaA)}; ${appB}: ${listEndpoints(metaB)})`,
      );
    }
    [a, b] = only;
  }
  const endA = { app: appA, endpoint: a.name, role: a.role, interface: a.interface } as ModelRelationEnd;
  const endB = { app: appB, endpoint: b.name, role: b.role, interface: b.interface } as ModelRelationEnd;
  if (a.interface !== b.interface) {
    throw new RelationMismatchError(
      `cannot relate ${endName(endA)} (interface ${a.interface}) to ${endName(endB)} (interface ${b.interface}): expected an endpoint of interface ${a.interface} on ${appB}`,
    );
  }
  if (a.role === b.role) {
    const other = a.role === 'requires' ? 'provides' : 'requires';
    throw new RelationMismatchError(
      `cannot relate ${endName(endA)} to ${endName(endB)}: both ${a.role === 'requires' ? 'require' : 'provide'} ${a.interface}; expected one side to ${other === 'requires' ? 'require' : 'provide'} it`,
    );
  }
  if (appA === appB) {
    throw new RelationMismatchError(
      `cannot relate ${endName(endA)} to ${endName(endB)}: an application relates to itself through a peer endpoint, not a regular one`,
    );
  }
  const key = relationKey(endA, endB);
  if (existing.some((r) => relationKey(r.a, r.b) === key)) {
    throw new RelationMismatchError(`relation ${endName(endA)} ${endName(endB)} already exists`);
  }
  return { a: endA, b: endB };
}

function splitEnd(text: string, metas: ReadonlyMap<string, CharmMeta>): [string, string | null] {
  const colon = text.indexOf(':');
  const app = colon < 0 ? text : text.slice(0, colon);
  if (!metas.has(app)) {
    throw new UnknownApplicationError(
      `no application ${JSON.stringify(app)} in the model (applications: ${[...metas.keys()].join(', ')})`,
    );
  }
  return [app, colon < 0 ? null : text.slice(colon + 1)];
}

function regularEndpoint(app: string, endpoint: string, meta: CharmMeta): RelationMeta {
  const relation = meta.relations.get(endpoint);
  if (!relation) {
    throw new UnknownEndpointError(
      `${app} (charm ${meta.name}) has no endpoint ${JSON.stringify(endpoint)}; expected one of: ${listEndpoints(meta)}`,
    );
  }
  if (relation.role === 'peers') {
    throw new UnknownEndpointError(
      `${app}:${endpoint} is a peer endpoint (it exists from deploy); expected one of: ${listEndpoints(meta)}`,
    );
  }
  return relation;
}

function regular(meta: CharmMeta): RelationMeta[] {
  return [...meta.relations.values()].filter((r) => r.role !== 'peers');
}

function fits(a: RelationMeta, b: RelationMeta): boolean {
  return a.interface === b.interface && a.role !== b.role;
}

function listEndpoints(meta: CharmMeta): string {
  const list = regular(meta).map((r) => `${r.name} (${r.role} ${r.interface})`);
  return list.length ? list.join(', ') : 'none';
}

function relationKey(a: ModelRelationEnd, b: ModelRelationEnd): string {
  return [endName(a), endName(b)].sort().join(' ');
}
