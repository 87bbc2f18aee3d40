import { pascalCase } from '../typegen/names.js';

/**
 * The files of a new charm, path → content (the types module is generated separately).
 * `localPackages` (package name → npm spec) points the @charmkit/* dependencies at local tarballs
 * or a checkout instead of the registry; any it names beyond the direct ones go to devDependencies
 * so that npm finds them there too.
 */
export function charmTemplate(
  name: string,
  cliVersion: string,
  localPackages: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const pascal = pascalCase(name);
  const className = `${pascal}Charm`;
  const types = `${pascal}Types`;
  const charmFile = `${name}-charm`;
  const range = `^${cliVersion}`;
  const spec = (pkg: string): string => localPackages[pkg] ?? range;
  const direct = ['@charmkit/ops', '@charmkit/cli', '@charmkit/testing'];
  const indirect = Object.fromEntries(Object.entries(localPackages).filter(([pkg]) => !direct.includes(pkg)));
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        private: true,
        description: `The ${name} charm, written with charmkit.`,
        type: 'module',
        engines: { node: '>=20.19' },
        scripts: {
          typegen: 'charmkit typegen',
          test: 'vitest run',
          build: 'charmkit build',
          pack: 'charmkit pack',
          simulate: 'charmkit simulate --units 3',
        },
        dependencies: { '@charmkit/ops': spec('@charmkit/ops'), zod: '^4.6.7' },
        devDependencies: {
          '@charmkit/cli': spec('@charmkit/cli'),
          '@charmkit/testing': spec('@charmkit/testing'),
          ...indirect,
          '@types/node': '^20.19.0',
          typescript: '~6.0.3',
          vitest: '^4.1.12',
        },
        // Install scripts npm may run: the SQLite addon is native; esbuild fetches its binary.
        allowScripts: { 'better-sqlite3': true, esbuild: true },
      },
      null,
      2,
    )}\n`,
    'metadata.yaml': `name: ${name}
summary: A charm written with charmkit.
description: |
  ${name} greets on a port. Change \`greeting\` and every unit says the new greeting;
  run the \`greet\` action to get one greeting.
peers:
  cluster:
    interface: ${name}-peers
`,
    'config.yaml': `options:
  greeting:
    type: string
    default: hello
    description: What the charm says.
  port:
    type: int
    default: 8080
    description: The port it says it on (1024 or above).
`,
    'actions.yaml': `greet:
  description: Returns one greeting.
  params:
    name:
      type: string
      description: Who to greet.
      default: world
`,
    'src/charm.ts': `import { main } from '@charmkit/ops';
import { ${className} } from './${charmFile}.js';

// The entry \`charmkit build\` bundles: Juju runs it (through ./dispatch) for every hook.
await main(${className});
`,
    [`src/${charmFile}.ts`]: `import {
  type ActionEvent,
  ActiveStatus,
  BlockedStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
} from '@charmkit/ops';
import type { ${[types, 'GreetParams'].sort().join(', ')} } from './charm-types.js';

/** ${name}: says its greeting on a port, and greets on demand. */
export class ${className} extends CharmBase<${types}> {
  static override readonly handleKind = '${className}';

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.collectUnitStatus, this.onCollectUnitStatus);
    framework.observe(this.on.action('greet'), this.onGreet);
  }

  /** Runs after every hook: the unit's status follows its config. */
  onCollectUnitStatus(event: CollectStatusEvent): void {
    const { greeting, port } = this.config; // typed from config.yaml by \`charmkit typegen\`
    if (port < 1024) event.addStatus(new BlockedStatus(\`port \${port} is privileged; use 1024 or above\`));
    else event.addStatus(new ActiveStatus(\`\${greeting} on :\${port}\`));
  }

  onGreet(event: ActionEvent<GreetParams>): void {
    event.setResults({ message: \`\${this.config.greeting}, \${event.params.name}!\` });
  }
}
`,
    [`test/${name}.test.ts`]: `import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Context, Simulator, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { ${className} } from '../src/${charmFile}.js';

const charmDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('${name}', () => {
  const ctx = new Context(${className}, { charmDir });

  it('is active with its greeting', async () => {
    const out = await ctx.run(ctx.on.configChanged(), new State({ config: { greeting: 'hi', port: 9000 } }));
    expect(out.unitStatus).toEqual({ name: 'active', message: 'hi on :9000' });
  });

  it('is blocked on a privileged port', async () => {
    const out = await ctx.run(ctx.on.configChanged(), new State({ config: { port: 80 } }));
    expect(out.unitStatus.name).toBe('blocked');
  });

  it('greets', async () => {
    const out = await ctx.runAction(ctx.on.action('greet', { name: 'Juju' }), new State());
    expect(out.results).toEqual({ message: 'hello, Juju!' });
  });

  it('deploys three units on the simulator', async () => {
    const sim = await Simulator.create({ mode: 'in-process', charm: ${className}, charmDir, units: 3 });
    expect((await sim.settle()).settled).toBe(true);
    for (const unit of Object.values(sim.snapshot().units)) expect(unit.status.status).toBe('active');
    await sim.close();
  });
});
`,
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

// Tests run the charm's TypeScript and the installed (built) charmkit packages.
export default defineConfig({});
`,
    // Written as Biome formats it, so a charm created inside a checkout passes its lint.
    'tsconfig.json': `{
  "compilerOptions": {
    "target": "es2023",
    "lib": ["es2023"],
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "types": ["node"],
    "strict": true,
    "verbatimModuleSyntax": true,
    "noUncheckedIndexedAccess": true,
    "noImplicitOverride": true,
    "exactOptionalPropertyTypes": true,
    "skipLibCheck": true,
    "noEmit": true
  },
  "include": ["src", "test"]
}
`,
    '.gitignore': 'node_modules/\nbuild/\n*.charm\n.unit-state.db\n',
    'README.md': `# ${name}

A Juju charm written in TypeScript with charmkit.

\`\`\`sh
npm install
npm test                  # Context tests and a 3-unit simulation
npx charmkit typegen      # after changing metadata.yaml, config.yaml or actions.yaml
npx charmkit simulate --units 3 --scenario config-change
npx charmkit pack         # ${name}_<base>-<arch>.charm, with its own Node: charmcraft upload it
\`\`\`
`,
  };
}
