import { existsSync, readFileSync } from 'node:fs';
import { Document, isMap, parseDocument, type YAMLMap } from 'yaml';
import { PackError } from '../errors.js';
import type { CharmBaseSpec } from './manifest.js';

const HEADER = ` Written by \`charmkit pack\`: \`charmcraft pack\` builds the same charm with charmcraft's
 npm plugin. charmkit pack rewrites only type, base, platforms and parts; edit the rest freely.`;

// charmcraft's npm plugin downloads Node into the part and installs the project; the override
// then builds the charm with charmkit into the part's install dir (what ends up in the .charm)
// and points dispatch at the bundled node, since Juju's hook PATH has none.
function buildScript(): string {
  return [
    'craftctl default',
    'export PATH="$CRAFT_PART_INSTALL/bin:$PATH"',
    'npm ci',
    'npx charmkit build . --out "$CRAFT_PART_BUILD/charmkit-out"',
    '# Keep node itself; drop the globally installed copy of the project and npm.',
    'rm -rf "$CRAFT_PART_INSTALL/lib" "$CRAFT_PART_INSTALL/include" "$CRAFT_PART_INSTALL/share"',
    'cp -a "$CRAFT_PART_BUILD/charmkit-out/." "$CRAFT_PART_INSTALL/"',
    'sed -i \'s|^exec node |exec "$JUJU_CHARM_DIR/bin/node" |\' "$CRAFT_PART_INSTALL/dispatch"',
    '',
  ].join('\n');
}

/**
 * The charmcraft.yaml for `charmDir`: the existing one with its build keys replaced (comments and
 * every other key kept), or a new one. Declared `platforms` are kept as written; without them the
 * charm gets `architectures` (charmcraft 2's `bases` architectures, or the one being packed).
 */
export function charmcraftYaml(
  path: string,
  base: CharmBaseSpec,
  architectures: readonly string[],
  nodeVersion: string,
): string {
  const exists = existsSync(path);
  const doc = exists ? parseDocument(readFileSync(path, 'utf8')) : new Document({});
  if (doc.errors.length > 0)
    throw new PackError(`${path} is not valid YAML: ${doc.errors[0]?.message ?? ''}`);
  if (!isMap(doc.contents)) throw new PackError(`${path} must be a mapping`);
  const map = doc.contents as YAMLMap;
  if (!exists) doc.commentBefore = HEADER;
  map.set('type', 'charm');
  map.delete('bases');
  map.set('base', `${base.name}@${base.channel}`);
  if (!map.has('platforms')) {
    map.set('platforms', doc.createNode(Object.fromEntries(architectures.map((arch) => [arch, null]))));
  }
  map.set(
    'parts',
    doc.createNode({
      charm: {
        plugin: 'npm',
        source: '.',
        'npm-include-node': true,
        'npm-node-version': nodeVersion,
        // node-gyp builds better-sqlite3 from source when no prebuilt addon can be fetched.
        'build-packages': ['python3', 'make', 'g++'],
        'override-build': buildScript(),
      },
    }),
  );
  return doc.toString({ lineWidth: 0 });
}
