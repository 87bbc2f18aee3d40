/**
 * The import rules of ARCHITECTURE.md, as code: which package may depend on which, and the
 * invariants inside ops (events never call hook tools, the model never touches storage, …).
 * Imports are read with the TypeScript parser (static and type imports, `export … from`,
 * `import()`, `require()` and `import('x')` types), so strings in templates are never mistaken
 * for imports. `checkImportRules` works on an in-memory {@link Workspace}, so the rules can be
 * tested on planted violations without touching the repository.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix } from 'node:path';
import ts from 'typescript';

/** One import found in a file. */
export interface ImportRef {
  /** Repository-relative path of the importing file, `/`-separated. */
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  /** True when nothing of it exists at run time (`import type`, `export type`, `import('x').T`). */
  readonly typeOnly: boolean;
  /** The names taken from the module: `default`, `*` for a namespace or side-effect import. */
  readonly names: readonly string[];
}

/** A package (or example) of the workspace, as its package.json declares it. */
export interface PackageInfo {
  /** Repository-relative directory, e.g. `packages/ops`. */
  readonly dir: string;
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly devDependencies: readonly string[];
  /** Export subpaths of package.json, e.g. `.` and `./hook-tools`. */
  readonly exports: readonly string[];
}

/** What the rules look at. */
export interface Workspace {
  readonly packages: readonly PackageInfo[];
  readonly examples: readonly PackageInfo[];
  /** Root devDependencies (vitest and the like), which every test may import. */
  readonly rootDevDependencies: readonly string[];
  /** Every TypeScript file of packages/*\/{src,test} and examples/*\/{src,test}. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
}

/**
 * Which charmkit packages each package's `src` may import. ops depends on no charmkit package;
 * the libraries build on ops only (an edge between two libraries is a design change: add it here
 * and in ARCHITECTURE.md on purpose); the CLI may use everything.
 */
export const ALLOWED_PACKAGE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  '@charmkit/ops': [],
  '@charmkit/testing': ['@charmkit/ops'],
  '@charmkit/leadership': ['@charmkit/ops'],
  '@charmkit/coordinator': ['@charmkit/ops'],
  '@charmkit/reactive': ['@charmkit/ops'],
  '@charmkit/interfaces': ['@charmkit/ops'],
  '@charmkit/cli': [
    '@charmkit/ops',
    '@charmkit/testing',
    '@charmkit/leadership',
    '@charmkit/coordinator',
    '@charmkit/reactive',
  ],
};

/** The files of ops that make up events: the event classes, emitters and the emit machinery. */
export const EVENT_FILES =
  /^packages\/ops\/src\/(?:events\/.+|event-base|bound-event|object-events|charm-events|lifecycle-events|emit-task)\.ts$/;

/**
 * Value imports from hook-tools/ that event files may make: pure helpers that spawn nothing.
 * `flattenActionResults` checks action result keys exactly as `action-set` will, so
 * `setResults()` rejects a bad key at the call; the tool itself runs behind the model's backend.
 */
export const EVENT_HOOK_TOOL_HELPERS: Readonly<Record<string, readonly string[]>> = {
  'packages/ops/src/hook-tools/action.ts': ['flattenActionResults'],
};

/** Layers inside ops that must not reach into others (value or type imports). */
export const OPS_LAYERS: readonly { readonly from: RegExp; readonly not: RegExp; readonly why: string }[] = [
  {
    from: /^packages\/ops\/src\/model\//,
    not: /^packages\/ops\/src\/storage\//,
    why: 'the model never touches unit-state storage (the framework owns it)',
  },
  {
    from: /^packages\/ops\/src\/hook-tools\//,
    not: /^packages\/ops\/src\/(?:model|storage|pebble|events|debug)\/|^packages\/ops\/src\/[^/]*(?:framework|dispatch|charm-base|event)[^/]*\.ts$/,
    why: 'hook-tools/ is the bottom layer: typed wrappers over the processes, nothing above them',
  },
  {
    from: /^packages\/ops\/src\/storage\//,
    not: /^packages\/ops\/src\/(?:model|hook-tools|pebble)\//,
    why: 'storage knows nothing of Juju or the model (JujuStorage gets its two tools as an interface)',
  },
  {
    from: /^packages\/ops\/src\/pebble\//,
    not: /^packages\/ops\/src\/(?:model|hook-tools|storage|events)\/|^packages\/ops\/src\/(?:framework|dispatch)\.ts$/,
    why: 'the Pebble client stands alone: the model wraps it, not the reverse',
  },
];

/** Modules that start processes. */
const PROCESS_MODULES = new Set(['node:child_process', 'child_process', 'execa']);

/** Names that reach Juju's hook tools directly, whichever entry point exports them. */
const HOOK_TOOL_NAMES = new Set(['HookTools', 'HookToolsBackend', 'ToolRunner']);

/**
 * Libraries talk to Juju only through the model: no hook-tools entry point, no hook-tool classes.
 * They may start processes only where listed, and never to reach Juju.
 */
export const LIBRARY_JUJU_ACCESS: Readonly<Record<string, { readonly processesIn: RegExp | null }>> = {
  // systemctl restarts the workload's services; it is not a way to Juju.
  '@charmkit/coordinator': { processesIn: /^packages\/coordinator\/src\/restarter\.ts$/ },
  '@charmkit/leadership': { processesIn: null },
  // Handlers in any language run as processes (they call hook tools themselves, as in charms.reactive).
  '@charmkit/reactive': { processesIn: /^packages\/reactive\/src\/external\// },
};

/** Every import of one file. */
export function importsOf(file: string, text: string): ImportRef[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean, names: readonly string[]): void => {
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ file, line, specifier, typeOnly, names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const names: string[] = [];
      let typeOnly = clause?.isTypeOnly ?? false;
      if (clause && !clause.isTypeOnly) {
        const bindings = clause.namedBindings;
        const elements = bindings && ts.isNamedImports(bindings) ? bindings.elements : [];
        if (clause.name) names.push('default');
        if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
        for (const element of elements) {
          if (!element.isTypeOnly) names.push((element.propertyName ?? element.name).text);
        }
        typeOnly = names.length === 0 && elements.length > 0;
      }
      add(node, node.moduleSpecifier.text, typeOnly, clause ? names : ['*']);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const names: string[] = [];
      if (!node.isTypeOnly) {
        if (!clause || ts.isNamespaceExport(clause)) names.push('*');
        else for (const e of clause.elements) if (!e.isTypeOnly) names.push((e.propertyName ?? e.name).text);
      }
      add(node, node.moduleSpecifier.text, names.length === 0, names);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      add(node, node.moduleReference.expression.text, node.isTypeOnly, ['*']);
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1) {
      const [first] = node.arguments;
      const literal = first && ts.isStringLiteralLike(first) ? first.text : null;
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      // require('x'), and createRequire(import.meta.url)('x').
      const isRequire =
        (ts.isIdentifier(callee) && callee.text === 'require') ||
        (ts.isCallExpression(callee) &&
          ts.isIdentifier(callee.expression) &&
          callee.expression.text === 'createRequire');
      if (literal !== null && (isImport || isRequire)) add(node, literal, false, ['*']);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal))
        add(node, arg.literal.text, true, ['*']);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/');
}

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || isBuiltin(specifier);
}

/** The repository path a relative specifier names: `./x.js` → `dir/x.ts`. */
export function resolveRelative(file: string, specifier: string, exists: (path: string) => boolean): string {
  const target = posix.normalize(posix.join(posix.dirname(file), specifier));
  const candidates = [
    target.replace(/\.(m|c)?js$/, '.$1ts'),
    target,
    `${target}.ts`,
    posix.join(target, 'index.ts'),
  ];
  return candidates.find(exists) ?? candidates[0] ?? target;
}

interface Located {
  readonly owner: PackageInfo;
  readonly kind: 'src' | 'test';
  readonly isExample: boolean;
}

/**
 * The packages whose sources may import `@charmkit/ops/internal`: they build, run and inspect charms.
 * Charm libraries (leadership, coordinator, reactive) and charms use the public entry points.
 */
const INTERNAL_USERS: ReadonlySet<string> = new Set(['@charmkit/testing', '@charmkit/cli']);

/** Checks every rule; returns one line per violation (`path:line: message`), empty when all hold. */
export function checkImportRules(ws: Workspace): string[] {
  const paths = new Set(ws.files.map((f) => f.path));
  const exists = (path: string): boolean => paths.has(path);
  const byName = new Map([...ws.packages, ...ws.examples].map((p) => [p.name, p]));
  const locate = (path: string): Located | null => {
    for (const [list, isExample] of [
      [ws.packages, false],
      [ws.examples, true],
    ] as const) {
      for (const owner of list) {
        if (path.startsWith(`${owner.dir}/src/`)) return { owner, kind: 'src', isExample };
        if (path.startsWith(`${owner.dir}/test/`)) return { owner, kind: 'test', isExample };
      }
    }
    return null;
  };

  const violations: string[] = [];
  const imports = new Map<string, ImportRef[]>();
  for (const file of ws.files) imports.set(file.path, importsOf(file.path, file.text));

  for (const file of ws.files) {
    const where = locate(file.path);
    if (!where) continue;
    const { owner, kind, isExample } = where;
    for (const ref of imports.get(file.path) ?? []) {
      const at = `${ref.file}:${ref.line}`;
      const bad = (message: string): void => {
        violations.push(`${at}: ${message}`);
      };
      if (isBareSpecifier(ref.specifier)) {
        if (isNodeBuiltin(ref.specifier)) {
          checkProcesses(owner, ref, bad);
          continue;
        }
        const pkg = packageNameOf(ref.specifier);
        const declared =
          kind === 'src'
            ? owner.dependencies.includes(pkg)
            : owner.dependencies.includes(pkg) ||
              owner.devDependencies.includes(pkg) ||
              (!pkg.startsWith('@charmkit/') && ws.rootDevDependencies.includes(pkg));
        if (pkg === owner.name) {
          bad(`${owner.name} imports itself by name (${ref.specifier}); use a relative path`);
        } else if (!declared) {
          bad(
            `${ref.specifier} is not declared in ${owner.dir}/package.json ${kind === 'src' ? 'dependencies' : 'dependencies or devDependencies'}`,
          );
        }
        if (pkg.startsWith('@charmkit/')) {
          const target = byName.get(pkg);
          const subpath = `.${ref.specifier.slice(pkg.length)}`;
          if (target && !target.exports.includes(subpath)) {
            bad(
              `${ref.specifier}: ${pkg} exports no ${subpath} (its package.json exports: ${target.exports.join(', ')})`,
            );
          }
          if (kind === 'src') checkPackageEdge(owner, isExample, pkg, ref, bad);
          if (
            ref.specifier === '@charmkit/ops/internal' &&
            (isExample || (kind === 'src' && !INTERNAL_USERS.has(owner.name)))
          ) {
            bad(
              `${ref.specifier} is unstable and only for ${[...INTERNAL_USERS].join(' and ')}; use @charmkit/ops (or its hook-tools and pebble subpaths)`,
            );
          }
        }
        checkProcesses(owner, ref, bad);
        checkLibraryJujuAccess(owner, ref, bad);
        if (owner.name === '@charmkit/ops' && kind === 'src' && ref.specifier === 'zod' && !ref.typeOnly) {
          bad('ops loads zod/mini, never full zod: every hook pays for what the framework imports');
        }
        if (/^packages\/ops\/src\/model\//.test(ref.file) && pkg === 'better-sqlite3') {
          bad('the model never touches SQLite');
        }
        continue;
      }
      const target = resolveRelative(ref.file, ref.specifier, exists);
      const home = kind === 'src' ? `${owner.dir}/src/` : `${owner.dir}/`;
      if (!target.startsWith(home)) {
        const other = locate(target);
        if (kind === 'src' || (other && other.owner !== owner && other.kind === 'src')) {
          bad(
            `${ref.specifier} reaches outside ${home} by relative path${other && other.owner !== owner ? ` into ${other.owner.name}; import ${other.owner.name} by name` : ''}`,
          );
        }
      }
      checkOpsLayers(ref, target, bad);
    }
  }
  violations.push(...checkModelClosure(ws, imports, exists));
  return violations;
}

function checkPackageEdge(
  owner: PackageInfo,
  isExample: boolean,
  pkg: string,
  ref: ImportRef,
  bad: (message: string) => void,
): void {
  if (isExample) {
    if (pkg === '@charmkit/testing' || pkg === '@charmkit/cli') {
      bad(`an example's charm code must not import ${pkg} (tests may)`);
    }
    return;
  }
  const allowed = ALLOWED_PACKAGE_DEPENDENCIES[owner.name];
  if (!allowed) {
    bad(`${owner.name} is not in ALLOWED_PACKAGE_DEPENDENCIES: add it with the packages it may use`);
  } else if (pkg !== owner.name && !allowed.includes(pkg)) {
    bad(
      `${owner.name} may not depend on ${pkg} (allowed: ${allowed.join(', ') || 'no charmkit package'}): ${ref.specifier}`,
    );
  }
}

function checkProcesses(owner: PackageInfo, ref: ImportRef, bad: (message: string) => void): void {
  const rule = LIBRARY_JUJU_ACCESS[owner.name];
  if (!rule || !ref.file.startsWith(`${owner.dir}/src/`) || !PROCESS_MODULES.has(ref.specifier)) return;
  if (!rule.processesIn?.test(ref.file)) {
    bad(
      `${owner.name} talks to Juju only through the model: it may not start processes here (${ref.specifier})`,
    );
  }
}

function checkLibraryJujuAccess(owner: PackageInfo, ref: ImportRef, bad: (message: string) => void): void {
  if (!LIBRARY_JUJU_ACCESS[owner.name] || !ref.file.startsWith(`${owner.dir}/src/`)) return;
  if (ref.specifier.startsWith('@charmkit/ops/hook-tools')) {
    bad(`${owner.name} talks to Juju only through the model, not ${ref.specifier}`);
    return;
  }
  if (packageNameOf(ref.specifier) !== '@charmkit/ops') return;
  const direct = ref.names.filter((name) => HOOK_TOOL_NAMES.has(name));
  if (direct.length > 0) {
    bad(`${owner.name} talks to Juju only through the model, not ${direct.join(', ')}`);
  }
}

function checkOpsLayers(ref: ImportRef, target: string, bad: (message: string) => void): void {
  if (EVENT_FILES.test(ref.file) && target.startsWith('packages/ops/src/hook-tools/') && !ref.typeOnly) {
    const allowed = EVENT_HOOK_TOOL_HELPERS[target] ?? [];
    const extra = ref.names.filter((name) => !allowed.includes(name));
    if (extra.length > 0) {
      bad(
        `events never call hook tools (they go through the model): ${extra.join(', ')} from ${ref.specifier}`,
      );
    }
  }
  for (const layer of OPS_LAYERS) {
    if (layer.from.test(ref.file) && layer.not.test(target)) bad(`${layer.why}: ${ref.specifier}`);
  }
}

/**
 * What the model loads at run time, followed through ops: no path from a model file may reach
 * storage/ or better-sqlite3, even through a helper.
 */
function checkModelClosure(
  ws: Workspace,
  imports: ReadonlyMap<string, readonly ImportRef[]>,
  exists: (path: string) => boolean,
): string[] {
  const violations: string[] = [];
  const modelFiles = ws.files.map((f) => f.path).filter((p) => p.startsWith('packages/ops/src/model/'));
  for (const start of modelFiles) {
    // Each file reached, with the chain that reached it and the line of the model's first import.
    const seen = new Map<string, { chain: string[]; line: number }>([[start, { chain: [start], line: 0 }]]);
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.shift() as string;
      const { chain, line } = seen.get(file) ?? { chain: [file], line: 0 };
      for (const ref of imports.get(file) ?? []) {
        if (ref.typeOnly) continue;
        if (packageNameOf(ref.specifier) === 'better-sqlite3' || isStorage(ref, file, exists)) {
          if (file !== start) {
            violations.push(
              `${start}:${line}: the model never touches storage, but at run time it loads ${[...chain, ref.specifier].join(' → ')}`,
            );
          }
          continue;
        }
        if (isBareSpecifier(ref.specifier)) continue;
        const target = resolveRelative(file, ref.specifier, exists);
        if (!target.startsWith('packages/ops/src/') || seen.has(target)) continue;
        seen.set(target, { chain: [...chain, target], line: file === start ? ref.line : line });
        queue.push(target);
      }
    }
  }
  return violations;
}

function isStorage(ref: ImportRef, file: string, exists: (path: string) => boolean): boolean {
  return (
    !isBareSpecifier(ref.specifier) &&
    resolveRelative(file, ref.specifier, exists).startsWith('packages/ops/src/storage/')
  );
}

/** Reads the workspace from disk. */
export function loadWorkspace(root: string): Workspace {
  const readPackage = (dir: string): PackageInfo => {
    const json = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      peerDependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
      exports?: Record<string, unknown>;
    };
    return {
      dir,
      name: json.name,
      dependencies: Object.keys({
        ...json.dependencies,
        ...json.peerDependencies,
        ...json.optionalDependencies,
      }),
      devDependencies: Object.keys(json.devDependencies ?? {}),
      exports: Object.keys(json.exports ?? { '.': null }),
    };
  };
  const listPackages = (group: string): PackageInfo[] =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, group, d.name, 'package.json')))
      .map((d) => readPackage(`${group}/${d.name}`));
  const packages = listPackages('packages');
  const examples = listPackages('examples');
  const files: { path: string; text: string }[] = [];
  const walk = (dir: string): void => {
    if (!existsSync(join(root, dir))) return;
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist' && entry.name !== 'build') walk(path);
      } else if (/\.(?:m|c)?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push({ path, text: readFileSync(join(root, path), 'utf8') });
      }
    }
  };
  for (const p of [...packages, ...examples]) {
    walk(`${p.dir}/src`);
    walk(`${p.dir}/test`);
  }
  const rootJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
  };
  return { packages, examples, rootDevDependencies: Object.keys(rootJson.devDependencies ?? {}), files };
}
