import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { CharmMetaError } from './errors.js';
import { describeIssues } from './internal/describe-issues.js';
import { lazy } from './internal/lazy.js';
import type { ConfigValue } from './model/model-backend.js';

/** One relation endpoint from metadata. */
export interface RelationMeta {
  readonly name: string;
  readonly role: 'requires' | 'provides' | 'peers';
  readonly interface: string;
  readonly limit: number | null;
  readonly optional: boolean;
  readonly scope: 'global' | 'container';
}

/** One storage from metadata. */
export interface StorageMeta {
  readonly name: string;
  readonly type: 'filesystem' | 'block';
  readonly location: string | null;
  readonly description: string;
  readonly shared: boolean;
  readonly readOnly: boolean;
  readonly multiple: string | null;
}

/** One workload container (Kubernetes sidecar charms). */
export interface ContainerMeta {
  readonly name: string;
  readonly resource: string | null;
  readonly mounts: readonly { readonly storage: string; readonly location: string | null }[];
}

/** One resource. */
export interface ResourceMeta {
  readonly name: string;
  readonly type: 'file' | 'oci-image';
  readonly filename: string | null;
  readonly description: string;
}

/** The type of a config option. */
export type ConfigOptionType = 'string' | 'int' | 'float' | 'boolean' | 'secret';

/** One config option. */
export interface ConfigOptionMeta {
  readonly name: string;
  readonly type: ConfigOptionType;
  readonly default: ConfigValue | null;
  readonly description: string;
}

/** A JSON-schema fragment, as actions.yaml writes parameter schemas. */
export type ActionParamSchema = Readonly<Record<string, unknown>>;

/** One action. */
export interface ActionMeta {
  readonly name: string;
  readonly description: string;
  readonly params: Readonly<Record<string, ActionParamSchema>>;
  readonly required: readonly string[];
  /**
   * Whether parameters not in `params` are accepted; unset: Juju's default, true before Juju 4
   * and false from Juju 4 on.
   */
  readonly additionalProperties?: boolean;
}

/** Everything the framework needs from a charm's metadata, config and actions. */
export interface CharmMeta {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly subordinate: boolean;
  /** Every relation endpoint (requires, provides and peers). */
  readonly relations: ReadonlyMap<string, RelationMeta>;
  readonly requires: ReadonlyMap<string, RelationMeta>;
  readonly provides: ReadonlyMap<string, RelationMeta>;
  readonly peers: ReadonlyMap<string, RelationMeta>;
  readonly storages: ReadonlyMap<string, StorageMeta>;
  readonly containers: ReadonlyMap<string, ContainerMeta>;
  readonly resources: ReadonlyMap<string, ResourceMeta>;
  readonly config: ReadonlyMap<string, ConfigOptionMeta>;
  readonly actions: ReadonlyMap<string, ActionMeta>;
}

// Juju's YAML is permissive: unknown keys are allowed (charmcraft adds its own), known keys are checked.
// Built on first use: a built charm's metadata was checked at build time and is not checked again.
const schemas = lazy(() => {
  const relationSchema = z.looseObject({
    interface: z.string(),
    limit: z.optional(z.nullable(z.int())),
    optional: z.optional(z.boolean()),
    scope: z.optional(z.enum(['global', 'container'])),
  });
  const relationsSchema = z.optional(z.nullable(z.record(z.string(), relationSchema)));
  const metadataSchema = z.looseObject({
    name: z.string(),
    summary: z.optional(z.string()),
    description: z.optional(z.string()),
    subordinate: z.optional(z.boolean()),
    requires: relationsSchema,
    provides: relationsSchema,
    peers: relationsSchema,
    storage: z.optional(
      z.nullable(
        z.record(
          z.string(),
          z.looseObject({
            type: z.enum(['filesystem', 'block']),
            location: z.optional(z.string()),
            description: z.optional(z.string()),
            shared: z.optional(z.boolean()),
            'read-only': z.optional(z.boolean()),
            multiple: z.optional(z.looseObject({ range: z.optional(z.union([z.string(), z.int()])) })),
          }),
        ),
      ),
    ),
    containers: z.optional(
      z.nullable(
        z.record(
          z.string(),
          z.looseObject({
            resource: z.optional(z.string()),
            mounts: z.optional(
              z.array(z.looseObject({ storage: z.string(), location: z.optional(z.string()) })),
            ),
          }),
        ),
      ),
    ),
    resources: z.optional(
      z.nullable(
        z.record(
          z.string(),
          z.looseObject({
            type: z.enum(['file', 'oci-image']),
            filename: z.optional(z.string()),
            description: z.optional(z.string()),
          }),
        ),
      ),
    ),
  });
  const configSchema = z.looseObject({
    options: z.optional(
      z.nullable(
        z.record(
          z.string(),
          z.looseObject({
            type: z.enum(['string', 'int', 'float', 'boolean', 'secret']),
            default: z.optional(z.nullable(z.union([z.string(), z.number(), z.boolean()]))),
            description: z.optional(z.string()),
          }),
        ),
      ),
    ),
  });
  const actionsSchema = z.record(
    z.string(),
    z.nullable(
      z.looseObject({
        description: z.optional(z.string()),
        params: z.optional(z.nullable(z.record(z.string(), z.record(z.string(), z.unknown())))),
        required: z.optional(z.array(z.string())),
        additionalProperties: z.optional(z.boolean()),
      }),
    ),
  );
  return { metadataSchema, configSchema, actionsSchema };
});

/** The YAML documents a charm's metadata comes from, already parsed. */
export interface CharmMetaSources {
  /** metadata.yaml, or the unified charmcraft.yaml. */
  readonly metadata: unknown;
  /** config.yaml, or charmcraft.yaml's `config`. */
  readonly config?: unknown;
  /** actions.yaml, or charmcraft.yaml's `actions`. */
  readonly actions?: unknown;
  /** File names for messages. */
  readonly names?: { readonly metadata?: string; readonly config?: string; readonly actions?: string };
}

type Schemas = ReturnType<typeof schemas>;
type Metadata = z.output<Schemas['metadataSchema']>;
type Config = z.output<Schemas['configSchema']>;
type Actions = z.output<Schemas['actionsSchema']>;

function check<T>(schema: z.ZodMiniType<T>, data: unknown, file: string): T {
  const result = schema.safeParse(data);
  if (!result.success)
    throw new CharmMetaError(`${file} is invalid: ${describeIssues(result.error.issues, data)}`);
  return result.data;
}

/** Options of {@link parseCharmMeta}. */
export interface ParseCharmMetaOptions {
  /**
   * The documents were checked already (a build checked them and wrote them as JSON): skip the
   * schema check, which costs a few milliseconds of every hook.
   */
  readonly checked?: boolean;
}

/** Builds a {@link CharmMeta} from parsed YAML; errors name the file and the bad field. */
export function parseCharmMeta(sources: CharmMetaSources, options: ParseCharmMetaOptions = {}): CharmMeta {
  const names = sources.names ?? {};
  let md: Metadata;
  let cfg: Config;
  let acts: Actions;
  if (options.checked) {
    md = sources.metadata as Metadata;
    cfg = (sources.config ?? {}) as Config;
    acts = (sources.actions ?? {}) as Actions;
  } else {
    const { metadataSchema, configSchema, actionsSchema } = schemas();
    md = check(metadataSchema, sources.metadata, names.metadata ?? 'metadata.yaml');
    cfg = sources.config == null ? {} : check(configSchema, sources.config, names.config ?? 'config.yaml');
    acts =
      sources.actions == null ? {} : check(actionsSchema, sources.actions, names.actions ?? 'actions.yaml');
  }

  const relations = new Map<string, RelationMeta>();
  const byRole = {
    requires: new Map<string, RelationMeta>(),
    provides: new Map<string, RelationMeta>(),
    peers: new Map<string, RelationMeta>(),
  };
  for (const role of ['requires', 'provides', 'peers'] as const) {
    for (const [name, r] of Object.entries(md[role] ?? {})) {
      if (relations.has(name)) {
        throw new CharmMetaError(
          `${names.metadata ?? 'metadata.yaml'}: relation endpoint ${JSON.stringify(name)} is declared more than once`,
        );
      }
      const meta: RelationMeta = {
        name,
        role,
        interface: r.interface,
        limit: r.limit ?? null,
        optional: r.optional ?? false,
        scope: r.scope ?? 'global',
      };
      relations.set(name, meta);
      byRole[role].set(name, meta);
    }
  }
  const storages = new Map<string, StorageMeta>(
    Object.entries(md.storage ?? {}).map(([name, s]) => [
      name,
      {
        name,
        type: s.type,
        location: s.location ?? null,
        description: s.description ?? '',
        shared: s.shared ?? false,
        readOnly: s['read-only'] ?? false,
        multiple: s.multiple?.range === undefined ? null : String(s.multiple.range),
      },
    ]),
  );
  const containers = new Map<string, ContainerMeta>(
    Object.entries(md.containers ?? {}).map(([name, c]) => [
      name,
      {
        name,
        resource: c.resource ?? null,
        mounts: (c.mounts ?? []).map((m) => ({ storage: m.storage, location: m.location ?? null })),
      },
    ]),
  );
  const resources = new Map<string, ResourceMeta>(
    Object.entries(md.resources ?? {}).map(([name, r]) => [
      name,
      { name, type: r.type, filename: r.filename ?? null, description: r.description ?? '' },
    ]),
  );
  const config = new Map<string, ConfigOptionMeta>(
    Object.entries(cfg.options ?? {}).map(([name, o]) => {
      const fallback = o.default ?? null;
      if (fallback !== null && !defaultMatches(o.type, fallback)) {
        throw new CharmMetaError(
          `${names.config ?? 'config.yaml'}: options.${name}.default is ${JSON.stringify(fallback)}, which is not a valid ${o.type}`,
        );
      }
      return [name, { name, type: o.type, default: fallback, description: o.description ?? '' }];
    }),
  );
  const actions = new Map<string, ActionMeta>(
    Object.entries(acts).map(([name, a]) => [
      name,
      {
        name,
        description: a?.description ?? '',
        params: a?.params ?? {},
        required: a?.required ?? [],
        ...(a?.additionalProperties === undefined ? {} : { additionalProperties: a.additionalProperties }),
      },
    ]),
  );
  return {
    name: md.name,
    summary: md.summary ?? '',
    description: md.description ?? '',
    subordinate: md.subordinate ?? false,
    relations,
    ...byRole,
    storages,
    containers,
    resources,
    config,
    actions,
  };
}

function defaultMatches(type: ConfigOptionType, value: ConfigValue): boolean {
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'float':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return typeof value === 'string';
  }
}

function readYaml(path: string, parseYaml: (text: string) => unknown): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CharmMetaError(
      `cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  try {
    return parseYaml(text);
  } catch (cause) {
    throw new CharmMetaError(
      `${path} is not valid YAML: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

/**
 * The parsed YAML documents `loadCharmMeta` builds the metadata from, not yet checked. The YAML
 * parser is passed in, so that this module does not load one.
 *
 * @throws {CharmMetaError} no metadata file, or one that cannot be read or parsed.
 */
export function readCharmMetaSources(
  charmDir: string,
  parseYaml: (text: string) => unknown,
): CharmMetaSources {
  const metadataPath = join(charmDir, 'metadata.yaml');
  const charmcraftPath = join(charmDir, 'charmcraft.yaml');
  if (!existsSync(metadataPath) && existsSync(charmcraftPath)) {
    const unified = readYaml(charmcraftPath, parseYaml);
    const doc = (unified ?? {}) as Record<string, unknown>;
    return {
      metadata: unified,
      config: doc.config,
      actions: doc.actions,
      names: {
        metadata: charmcraftPath,
        config: `${charmcraftPath} (config)`,
        actions: `${charmcraftPath} (actions)`,
      },
    };
  }
  if (!existsSync(metadataPath)) {
    throw new CharmMetaError(`no metadata.yaml or charmcraft.yaml in the charm directory ${charmDir}`);
  }
  const configPath = join(charmDir, 'config.yaml');
  const actionsPath = join(charmDir, 'actions.yaml');
  return {
    metadata: readYaml(metadataPath, parseYaml),
    ...(existsSync(configPath) ? { config: readYaml(configPath, parseYaml) } : {}),
    ...(existsSync(actionsPath) ? { actions: readYaml(actionsPath, parseYaml) } : {}),
    names: { metadata: metadataPath, config: configPath, actions: actionsPath },
  };
}

/** The metadata files a charm directory can hold, in the order they are looked for. */
export const CHARM_META_FILES = ['metadata.yaml', 'config.yaml', 'actions.yaml', 'charmcraft.yaml'] as const;

/** charmkit's own options file in the charm directory (the coordinator's policy, …). */
export const CHARMKIT_FILE = 'charmkit.yaml';

/** What the JSON built from the charm's files records the size of. */
const BUILT_FILES = [...CHARM_META_FILES, CHARMKIT_FILE];

/** The file a build writes beside the bundle: the charm's metadata as JSON (`dist/charm-meta.json`). */
export const BUILT_CHARM_META_FILE = 'charm-meta.json';

/**
 * The metadata of a built charm, already out of YAML: the parsed documents, and the size of each
 * metadata file at build time (null: absent), so a file changed since cannot go unnoticed.
 */
export interface BuiltCharmMeta {
  readonly format: 'charmkit-meta/1';
  readonly sources: CharmMetaSources;
  /** The parsed `charmkit.yaml`, or null when the charm has none. */
  readonly charmkit: unknown;
  readonly files: Readonly<Record<string, number | null>>;
}

/**
 * Reads the metadata a build left beside the bundle (`dist/charm-meta.json`), when it is there and
 * every metadata file in `charmDir` still has the size it had at build time; null otherwise (the
 * caller then reads the YAML). No YAML parser is loaded on this path.
 */
export function readBuiltCharmMeta(jsonPath: string, charmDir: string): CharmMeta | null {
  return readBuiltCharmFiles(jsonPath, charmDir)?.meta ?? null;
}

/**
 * {@link readBuiltCharmMeta}, with the parsed `charmkit.yaml` (null: none) as well.
 *
 * @internal For `main()`.
 */
export function readBuiltCharmFiles(
  jsonPath: string,
  charmDir: string,
): { meta: CharmMeta; charmkit: unknown } | null {
  let built: BuiltCharmMeta;
  try {
    built = JSON.parse(readFileSync(jsonPath, 'utf8')) as BuiltCharmMeta;
  } catch {
    return null;
  }
  if (built?.format !== 'charmkit-meta/1' || typeof built.files !== 'object' || built.files === null)
    return null;
  for (const name of BUILT_FILES) {
    const size = statSync(join(charmDir, name), { throwIfNoEntry: false })?.size ?? null;
    if ((built.files[name] ?? null) !== size) return null;
  }
  return { meta: parseCharmMeta(built.sources, { checked: true }), charmkit: built.charmkit ?? null };
}

/**
 * Reads `charmkit.yaml` with the given parser: null when there is none.
 *
 * @throws {CharmMetaError} it cannot be read or is not valid YAML.
 */
export function readCharmkitFile(charmDir: string, parseYaml: (text: string) => unknown): unknown {
  const path = join(charmDir, CHARMKIT_FILE);
  return existsSync(path) ? (readYaml(path, parseYaml) ?? null) : null;
}
