import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
  type PebbleReadyEvent,
  parseCharmMeta,
  WaitingStatus,
} from '@charmkit/ops';
import { Container, Context, State } from '@charmkit/testing';
import { type Summary, summarise } from './stats.js';

// What a state-in/state-out test of a Kubernetes charm costs per run: the Context builds the
// charm, serves its container from the in-memory Pebble (no socket, no server), runs the hook and
// collect-status, and hands back the output state. Issue 15's goal: well under 1 ms.

const meta = parseCharmMeta({
  metadata: { name: 'bench-web', containers: { web: { resource: 'web-image' } } },
  config: { options: { port: { type: 'int', default: 8080 } } },
});

class BenchWebCharm extends CharmBase {
  static override readonly handleKind = 'BenchWebCharm';

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.container('web').pebbleReady, this.onPebbleReady);
    framework.observe(this.on.collectUnitStatus, this.onCollectStatus);
  }

  async onPebbleReady(event: PebbleReadyEvent): Promise<void> {
    const port = Number(this.config.port);
    await event.workload.addLayer(
      'web',
      {
        summary: 'web',
        services: { web: { override: 'replace', command: `web --port ${port}`, startup: 'enabled' } },
        checks: { up: { override: 'replace', level: 'ready', http: { url: `http://localhost:${port}/` } } },
      },
      { combine: true },
    );
    await event.workload.replan();
  }

  async onCollectStatus(event: CollectStatusEvent): Promise<void> {
    const container = this.unit.container('web');
    if (!(await container.canConnect())) {
      event.addStatus(new WaitingStatus('waiting for Pebble'));
      return;
    }
    const [service] = await container.getServices(['web']);
    event.addStatus(service?.current === 'active' ? new ActiveStatus('') : new WaitingStatus('starting'));
  }
}

/** One case: `runs` Context runs of one event, after `warmup` runs (JIT, module loading). */
export interface ContextCase {
  readonly name: string;
  readonly runs: number;
  readonly msPerRun: Summary;
}

async function measure(name: string, runs: number, once: () => Promise<unknown>): Promise<ContextCase> {
  for (let i = 0; i < Math.min(200, runs); i++) await once();
  // Batches of 50, so a GC pause or a busy neighbour shows as one slow batch, not a shifted mean.
  const batches: number[] = [];
  for (let done = 0; done < runs; done += 50) {
    const started = performance.now();
    for (let i = 0; i < 50; i++) await once();
    batches.push((performance.now() - started) / 50);
  }
  return { name, runs, msPerRun: summarise(batches) };
}

/** Context runs of a sidecar charm, with and without its container. */
export async function runContextCases(runs: number): Promise<ContextCase[]> {
  const ctx = new Context(BenchWebCharm, { meta });
  const web = new Container('web');
  const withContainer = new State({ containers: [web] });
  const running = await ctx.run(ctx.on.pebbleReady(web), withContainer);
  if (running.unitStatus.name !== 'active') throw new Error(`bench charm ended ${running.unitStatus.name}`);
  return [
    await measure('update-status, no container', runs, () => ctx.run(ctx.on.updateStatus(), new State())),
    await measure('pebble-ready: layer, replan, collect-status', runs, () =>
      ctx.run(ctx.on.pebbleReady(web), withContainer),
    ),
    await measure('update-status with a running container', runs, () =>
      ctx.run(ctx.on.updateStatus(), running),
    ),
  ];
}
