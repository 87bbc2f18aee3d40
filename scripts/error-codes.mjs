#!/usr/bin/env node
// Writes docs/reference/errors.md from the error classes of packages/*/src: every code, its class and
// package, when it is thrown (the class's doc comment) and what to do about it (its `@remedy` tag).
// It also checks the rules of error classes (CONTRIBUTING.md): each extends CharmkitError, has its own
// code from its package's `<Package>ErrorCode` union, typed so a typo does not compile, a doc comment
// and a remedy, and something throws it. `--check` writes nothing and exits 1 when the page is out
// of date or a rule is broken; the test in packages/ops/test/architecture runs the same check.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Where the page goes, relative to the repository root. */
export const PAGE = 'docs/reference/errors.md';

/** Packages in the order the page lists them: the framework first, then what builds on it. */
const PACKAGE_ORDER = ['ops', 'testing', 'leadership', 'coordinator', 'reactive', 'interfaces', 'cli'];

/**
 * Known exceptions to the rules, each with its reason. An exception that no longer applies is
 * reported too, so this list only shrinks.
 */
export const EXCEPTIONS = {
  /** Classes that extend `Error` directly on purpose. */
  notCharmkitError: {
    // A control-flow signal inside the simulator (a `kill` fault fired): never reaches a user.
    HookKilledSignal: 'packages/testing/src/simulator/hook-session.ts',
  },
  /** Classes whose file another change owns; their `@remedy`, typed code or use is still to come. */
  pending: {},
};

/** `ops` → `OpsErrorCode`: the name of a package's union of codes. */
export function unionName(shortName) {
  return `${shortName.charAt(0).toUpperCase()}${shortName.slice(1)}ErrorCode`;
}

/**
 * Reads every source file of packages/*\/src: `{ shortName, name, dir, entries, files }` per
 * package, `entries` mapping export subpaths to their source file (the `@charmkit/source` condition).
 */
export function readPackages(root) {
  const packages = [];
  for (const shortName of readdirSync(join(root, 'packages'))) {
    const dir = `packages/${shortName}`;
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = JSON.parse(readFileSync(manifest, 'utf8'));
    const entries = {};
    for (const [subpath, target] of Object.entries(json.exports ?? {})) {
      const source = typeof target === 'object' && target !== null ? target['@charmkit/source'] : null;
      if (typeof source === 'string') entries[subpath] = posix.join(dir, source);
    }
    const files = [];
    const walk = (rel) => {
      for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
        const path = `${rel}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
          files.push({ path, text: readFileSync(join(root, path), 'utf8') });
        }
      }
    };
    if (existsSync(join(root, dir, 'src'))) walk(`${dir}/src`);
    files.sort((a, b) => compare(a.path, b.path));
    packages.push({ shortName, name: json.name, dir, entries, files });
  }
  const rank = (p) => (PACKAGE_ORDER.includes(p.shortName) ? PACKAGE_ORDER.indexOf(p.shortName) : 99);
  return packages.sort((a, b) => rank(a) - rank(b) || compare(a.shortName, b.shortName));
}

/** Code-unit order: the same on every machine, whatever its locale (the page is compared byte for byte). */
function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parse(file) {
  return ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** `{@link X}` and `{@link X | text}` as code, whitespace folded. */
function plainText(text) {
  return (text ?? '')
    .replace(/\{@link(?:code|plain)?\s+([^}|\s]+)\s*(?:\|\s*([^}]*))?\}/g, (_, target, label) =>
      label ? label.trim() : `\`${target}\``,
    )
    .replace(/\s+/g, ' ')
    .trim();
}

function unwrapString(expression) {
  let node = expression;
  while (
    node &&
    (ts.isSatisfiesExpression(node) || ts.isAsExpression(node) || ts.isParenthesizedExpression(node))
  ) {
    node = node.expression;
  }
  return node && ts.isStringLiteralLike(node) ? node.text : null;
}

function isUnionReference(type) {
  return type !== undefined && ts.isTypeReferenceNode(type) && /ErrorCode$/.test(type.typeName.getText());
}

/** `union` (annotated or `satisfies` a `…ErrorCode`), `override` (checked by the base's type), or null. */
function codeCheckOf(member, initializer) {
  if (!member) return null;
  if (isUnionReference(member.type)) return 'union';
  if (member.type !== undefined) return null;
  if (initializer && ts.isSatisfiesExpression(initializer) && isUnionReference(initializer.type))
    return 'union';
  return member.modifiers?.some((m) => m.kind === ts.SyntaxKind.OverrideKeyword) ? 'override' : null;
}

/** Every class declared in the packages, with what the rules need to know about it. */
export function collectClasses(packages) {
  const classes = [];
  for (const pkg of packages) {
    for (const file of pkg.files) {
      const source = parse(file);
      for (const statement of source.statements) {
        if (!ts.isClassDeclaration(statement) || !statement.name) continue;
        const heritage = statement.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
        const base = heritage?.types[0]?.expression;
        const codeMember = statement.members.find(
          (m) => ts.isPropertyDeclaration(m) && m.name && ts.isIdentifier(m.name) && m.name.text === 'code',
        );
        const initializer = codeMember?.initializer;
        const docs = ts.getJSDocCommentsAndTags(statement).filter(ts.isJSDoc);
        const doc = docs.at(-1);
        const remedyTag = doc?.tags?.find((t) => t.tagName.text === 'remedy');
        classes.push({
          name: statement.name.text,
          package: pkg,
          file: file.path,
          line: source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1,
          extends: base ? base.getText(source).split('.').at(-1) : null,
          exported: statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false,
          code: codeMember && initializer ? unwrapString(initializer) : null,
          // How the code is checked against a union of codes (see errorClasses).
          codeCheck: codeCheckOf(codeMember, initializer),
          summary: plainText(doc ? ts.getTextOfJSDocComment(doc.comment) : ''),
          remedy: plainText(remedyTag ? ts.getTextOfJSDocComment(remedyTag.comment) : ''),
        });
      }
    }
  }
  return classes;
}

/** The classes whose chain of `extends` reaches `Error`, each with its chain. */
export function errorClasses(classes) {
  const byName = new Map(classes.map((c) => [c.name, c]));
  const result = [];
  for (const cls of classes) {
    const chain = [];
    let current = cls.extends;
    while (current && !chain.includes(current)) {
      chain.push(current);
      if (current === 'CharmkitError' || current === 'Error') break;
      current = byName.get(current)?.extends ?? null;
    }
    const root = chain.at(-1);
    if (cls.name === 'CharmkitError' || (root !== 'CharmkitError' && root !== 'Error')) continue;
    // A typo fails to compile when the code meets a union: its own, or that of the nearest base
    // whose `code` it overrides.
    let typed = cls.codeCheck === 'union';
    if (cls.codeCheck === 'override') {
      let base = byName.get(cls.extends ?? '');
      while (base && base.codeCheck === 'override') base = byName.get(base.extends ?? '');
      typed = base?.codeCheck === 'union';
    }
    result.push({ ...cls, chain, typed, charmkit: root === 'CharmkitError' });
  }
  return result;
}

/** Every `<X>ErrorCode` union of a package, its string members resolved through the others. */
export function codeUnions(pkg) {
  const aliases = new Map();
  for (const file of pkg.files) {
    for (const statement of parse(file).statements) {
      if (ts.isTypeAliasDeclaration(statement) && /ErrorCode$/.test(statement.name.text)) {
        aliases.set(statement.name.text, statement.type);
      }
    }
  }
  const resolveType = (node, seen) => {
    if (ts.isUnionTypeNode(node)) return node.types.flatMap((t) => resolveType(t, seen));
    if (ts.isParenthesizedTypeNode(node)) return resolveType(node.type, seen);
    if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return [node.literal.text];
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
      const name = node.typeName.text;
      const target = aliases.get(name);
      if (target && !seen.has(name)) return resolveType(target, new Set([...seen, name]));
    }
    return [];
  };
  return new Map([...aliases].map(([name, node]) => [name, new Set(resolveType(node, new Set([name])))]));
}

/** Names each export subpath of a package offers, following `export … from` and `export *`. */
export function exportedNames(pkg) {
  const files = new Map(pkg.files.map((f) => [f.path, f]));
  const cache = new Map();
  const namesOf = (path) => {
    if (cache.has(path)) return cache.get(path);
    const names = new Set();
    cache.set(path, names);
    const file = files.get(path);
    if (!file) return names;
    for (const statement of parse(file).statements) {
      if (ts.isExportDeclaration(statement)) {
        const target =
          statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)
            ? posix.normalize(
                posix.join(posix.dirname(path), statement.moduleSpecifier.text.replace(/\.js$/, '.ts')),
              )
            : null;
        const clause = statement.exportClause;
        if (!clause && target) for (const name of namesOf(target)) names.add(name);
        else if (clause && ts.isNamedExports(clause)) for (const e of clause.elements) names.add(e.name.text);
      } else if (
        (ts.isClassDeclaration(statement) || ts.isFunctionDeclaration(statement)) &&
        statement.name &&
        statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      ) {
        names.add(statement.name.text);
      }
    }
    return names;
  };
  return Object.entries(pkg.entries).map(([subpath, path]) => ({
    specifier: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`,
    names: namesOf(path),
  }));
}

/**
 * Names of classes something throws, extends or hands on as a value (a table of classes to
 * construct), in any package's src; `instanceof`, imports, exports and types do not count.
 */
export function usedClassNames(packages) {
  const used = new Set();
  for (const pkg of packages) {
    for (const file of pkg.files) {
      const visit = (node) => {
        if (ts.isIdentifier(node) && node.parent) {
          const parent = node.parent;
          const notAUse =
            (ts.isClassDeclaration(parent) && parent.name === node) ||
            ts.isImportSpecifier(parent) ||
            ts.isImportClause(parent) ||
            ts.isExportSpecifier(parent) ||
            ts.isTypeReferenceNode(parent) ||
            ts.isTypeQueryNode(parent) ||
            ts.isQualifiedName(parent) ||
            (ts.isBinaryExpression(parent) &&
              parent.operatorToken.kind === ts.SyntaxKind.InstanceOfKeyword &&
              parent.right === node) ||
            (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
            ts.isPropertyDeclaration(parent) ||
            ts.isMethodDeclaration(parent) ||
            (ts.isPropertyAssignment(parent) && parent.name === node);
          if (!notAUse) used.add(node.text);
        }
        ts.forEachChild(node, visit);
      };
      visit(parse(file));
    }
  }
  return used;
}

/** Everything the page says, and every broken rule (`exceptions` defaults to {@link EXCEPTIONS}). */
export function buildModel(packages, exceptions = EXCEPTIONS) {
  const classes = errorClasses(collectClasses(packages));
  const used = usedClassNames(packages);
  const problems = [];
  const where = (c) => `${c.file}:${c.line}: ${c.name}`;
  const pending = (c, rule) => (exceptions.pending[c.name] ?? []).includes(rule);
  const sections = [];
  for (const pkg of packages) {
    const own = classes.filter((c) => c.package === pkg);
    const unions = codeUnions(pkg);
    const union = unions.get(unionName(pkg.shortName));
    const exports = exportedNames(pkg);
    const entries = [];
    for (const cls of own) {
      if (!cls.charmkit) {
        if (exceptions.notCharmkitError[cls.name] !== cls.file) {
          problems.push(
            `${where(cls)} extends Error, not CharmkitError: give it a code and extend CharmkitError`,
          );
        }
        continue;
      }
      const checks = [
        ['remedy', cls.remedy !== '', 'has no @remedy tag: say what to do about it'],
        [
          'typed',
          cls.typed,
          `declares its code without \`satisfies ${unionName(pkg.shortName)}\` (a typo would compile)`,
        ],
        ['thrown', used.has(cls.name), 'is never thrown, extended or handed on: remove it'],
      ];
      for (const [rule, ok, message] of checks) {
        if (!ok && !pending(cls, rule)) problems.push(`${where(cls)} ${message}`);
        if (ok && pending(cls, rule)) {
          problems.push(
            `${where(cls)} now meets "${rule}": remove it from EXCEPTIONS.pending in scripts/error-codes.mjs`,
          );
        }
      }
      if (cls.code === null) {
        problems.push(`${where(cls)} has no code of its own: add \`readonly code = 'CHARMKIT_…'\``);
        continue;
      }
      if (cls.summary === '') problems.push(`${where(cls)} has no doc comment: say when it is thrown`);
      if (union && !union.has(cls.code)) {
        problems.push(`${where(cls)}: ${cls.code} is not in ${unionName(pkg.shortName)}`);
      }
      const twin = entries.find((e) => e.code === cls.code);
      if (twin) problems.push(`${where(cls)}: ${cls.code} is already the code of ${twin.name}`);
      const importFrom = exports.find((e) => e.names.has(cls.name))?.specifier ?? null;
      entries.push({ ...cls, importFrom });
    }
    if (entries.length === 0) continue;
    if (!union) {
      problems.push(`${pkg.dir}: no ${unionName(pkg.shortName)} union of its error codes`);
    } else {
      for (const code of union) {
        if (!entries.some((e) => e.code === code)) {
          problems.push(`${pkg.dir}: ${unionName(pkg.shortName)} lists ${code}, which no class carries`);
        }
      }
    }
    sections.push({ package: pkg, union: union ? unionName(pkg.shortName) : null, entries });
  }
  for (const [name, file] of Object.entries(exceptions.notCharmkitError)) {
    if (!classes.some((c) => c.name === name && c.file === file && !c.charmkit)) {
      problems.push(
        `${file}: ${name} is no longer a plain Error: remove it from EXCEPTIONS.notCharmkitError`,
      );
    }
  }
  for (const name of Object.keys(exceptions.pending)) {
    if (!classes.some((c) => c.name === name)) {
      problems.push(`${name} no longer exists: remove it from EXCEPTIONS.pending in scripts/error-codes.mjs`);
    }
  }
  return { sections, problems };
}

function cell(text) {
  return text.replace(/\|/g, '\\|');
}

/** The page, as Markdown. */
export function renderErrorReference(model) {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated by `npm run docs:errors` (scripts/error-codes.mjs) from the doc comments of the',
    '     error classes. Do not edit: change the comment and run it again. -->',
    '',
    'Every error charmkit throws is a `CharmkitError` with a stable `code`. Match on the code (or',
    'on the class with `instanceof`), never on the message: messages may change between releases, codes',
    'do not. Each package lists its codes as a union type, so a `switch` over them is checked by the',
    'compiler.',
    '',
    '```ts',
    "import { CharmkitError, type OpsErrorCode } from '@charmkit/ops';",
    '',
    'try {',
    '  relation.appData.set(key, value);',
    '} catch (error) {',
    "  if (error instanceof CharmkitError && error.code === 'CHARMKIT_RELATION_DATA_ACCESS') {",
    '    // …',
    '  }',
    '  throw error;',
    '}',
    '```',
    '',
    '| code | class | package |',
    '| --- | --- | --- |',
  ];
  const all = model.sections.flatMap((s) => s.entries.map((e) => ({ ...e, section: s })));
  for (const e of [...all].sort((a, b) => compare(a.code, b.code) || compare(a.name, b.name))) {
    lines.push(`| \`${e.code}\` | \`${e.name}\` | \`${e.section.package.name}\` |`);
  }
  for (const section of model.sections) {
    lines.push('', `## ${section.package.name}`, '');
    lines.push(section.union ? `Its codes: \`${section.union}\`.` : 'Its codes have no union type yet.');
    for (const e of section.entries) {
      const base = e.chain[0] === 'CharmkitError' ? '' : ` (a \`${e.chain.slice(0, -1).join('` → `')}\`)`;
      const from = e.importFrom ? `, from \`${e.importFrom}\`` : ', not exported (internal)';
      lines.push('', `### \`${e.code}\``, '', `\`${e.name}\`${base}${from}.`, '');
      lines.push(`**When:** ${cell(e.summary)}`, '');
      lines.push(`**What to do:** ${e.remedy ? cell(e.remedy) : '_not documented yet._'}`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** Runs the generator: writes the page, or with `check` only compares. Returns the exit code. */
export function run(root, { check = false, log = console.log, error = console.error } = {}) {
  const model = buildModel(readPackages(root));
  const page = renderErrorReference(model);
  const path = join(root, PAGE);
  const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
  for (const problem of model.problems) error(`error-codes: ${problem}`);
  if (check) {
    if (current !== page) error(`error-codes: ${PAGE} is out of date: run \`npm run docs:errors\``);
    return current === page && model.problems.length === 0 ? 0 : 1;
  }
  if (current !== page) writeFileSync(path, page);
  log(`error-codes: ${PAGE} ${current === page ? 'is up to date' : 'written'}`);
  return model.problems.length === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = run(resolve(import.meta.dirname, '..'), { check: process.argv.includes('--check') });
}
