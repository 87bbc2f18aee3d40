// Module hooks that run charmkit's TypeScript sources on Node 20, which cannot strip types: `.ts`
// files are transformed by esbuild (already a dependency, for bundling charms), `.js` specifiers
// that name a `.ts` file are mapped to it (the sources use `.js` specifiers, as tsc wants), and
// workspace packages resolve through their `@charmkit/source` export condition.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const CONDITION = '@charmkit/source';

export async function resolve(specifier, context, nextResolve) {
  const conditions = context.conditions.includes(CONDITION)
    ? context.conditions
    : [...context.conditions, CONDITION];
  const next = { ...context, conditions };
  try {
    return await nextResolve(specifier, next);
  } catch (error) {
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && relative && specifier.endsWith('.js')) {
      return nextResolve(`${specifier.slice(0, -3)}.ts`, next);
    }
    throw error;
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
    // What tsc does for target es2023; esbuild cannot read it from tsconfig.json here.
    tsconfigRaw: { compilerOptions: { useDefineForClassFields: true, verbatimModuleSyntax: true } },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
