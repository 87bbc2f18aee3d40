import { CharmBase, type Framework, type JsonObject } from '@charmkit/ops';
import { Context, type State } from '@charmkit/testing';
import { Reactive, type ReactiveOptions } from '../../src/index.js';

/** Metadata of the test charm: one endpoint of each role, two config options. */
export const testMeta = {
  metadata: {
    name: 'test-charm',
    requires: { db: { interface: 'pgsql' } },
    provides: {
      website: { interface: 'http' },
      admin: { interface: 'http' },
      database: { interface: 'pgsql' },
    },
    peers: { cluster: { interface: 'test-peers' } },
  },
  config: {
    options: {
      'admin-pass': { type: 'string', description: 'the admin password' },
      port: { type: 'int', default: 80, description: 'the port' },
    },
  },
  actions: { backup: { description: 'back up' } },
};

/** The charm every package test runs: a Reactive set up by the test. */
export class TestCharm extends CharmBase {
  static override readonly handleKind = 'TestCharm';
  readonly reactive: Reactive;

  constructor(framework: Framework, options: ReactiveOptions = {}) {
    super(framework);
    // Discovery only where a test gives a charm directory: the repository's cwd has no reactive/.
    this.reactive = new Reactive(this, { externalDir: options.charmDir ? 'reactive' : null, ...options });
  }
}

/** A Context for a charm whose constructor calls `setup`. */
export function contextFor(
  setup: (charm: TestCharm, reactive: Reactive) => void,
  options: ReactiveOptions = {},
): Context<TestCharm> {
  class Charm extends TestCharm {
    constructor(framework: Framework) {
      super(framework, options);
      setup(this, this.reactive);
    }
  }
  return new Context(Charm, { meta: testMeta });
}

/** The stored flags in a state. */
export function flagsOf(state: State): string[] {
  return ((state.getStoredState('TestCharm/Reactive', 'state') as JsonObject | undefined)?.flags ??
    []) as string[];
}

/** A state's stored reactive record with `flags` set. */
export function withFlags(state: State, flags: readonly string[]): State {
  const others = state.storedStates.filter(
    (s) => !(s.ownerPath === 'TestCharm/Reactive' && s.name === 'state'),
  );
  const current = state.getStoredState('TestCharm/Reactive', 'state') ?? {};
  return state.with({
    storedStates: [
      ...others,
      { ownerPath: 'TestCharm/Reactive', name: 'state', content: { ...current, flags: [...flags].sort() } },
    ],
  });
}
