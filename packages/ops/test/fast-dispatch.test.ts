import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeDispatchManifest } from '../src/dispatch-probe.js';
import { ToolRunner } from '../src/hook-tools/index.js';
import {
  ActiveStatus,
  CharmBase,
  type CollectStatusEvent,
  type Framework,
  HookToolError,
  loadCharmMeta,
  parseCharmMeta,
} from '../src/index.js';
import {
  BUILT_CHARM_META_FILE,
  buildCharmMetaJson,
  type DispatchManifest,
  HookLogger,
  QUEUE_EMPTY_MARKER,
  QUEUE_EMPTY_MARKER_SUFFIX,
  readBuiltCharmMeta,
  SqliteStorage,
} from '../src/internal/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'charmkit-fast-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const notice = (sequence: number) => ({
  sequence,
  eventPath: `C/on/e[${sequence}]`,
  observerPath: 'C',
  methodName: 'onE',
  deferredAt: 1000,
  failures: 0,
  lastError: null,
});

describe('SqliteStorage queue-empty marker', () => {
  it('exists exactly after commits that leave the deferred queue empty', () => {
    const path = join(dir, '.unit-state.db');
    const marker = `${path}${QUEUE_EMPTY_MARKER_SUFFIX}`;
    expect(marker).toBe(join(dir, QUEUE_EMPTY_MARKER));
    const s = new SqliteStorage(path);
    s.begin();
    expect(existsSync(marker)).toBe(false);
    s.commit();
    expect(existsSync(marker)).toBe(true);

    s.begin();
    s.saveNotice(notice(1));
    s.rollback();
    expect(existsSync(marker)).toBe(true);

    s.begin();
    s.saveNotice(notice(1));
    s.commit();
    expect(existsSync(marker)).toBe(false);

    s.begin();
    s.dropNotice(1);
    s.commit();
    expect(existsSync(marker)).toBe(true);
    s.close();
  });

  it('is not kept when turned off', () => {
    const path = join(dir, '.unit-state.db');
    const s = new SqliteStorage(path, { queueEmptyMarker: false });
    s.begin();
    s.commit();
    s.close();
    expect(existsSync(`${path}${QUEUE_EMPTY_MARKER_SUFFIX}`)).toBe(false);
  });
});

describe('metadata built as JSON', () => {
  beforeEach(() => {
    writeFileSync(join(dir, 'metadata.yaml'), 'name: web\npeers:\n  cluster:\n    interface: web-peers\n');
    writeFileSync(join(dir, 'config.yaml'), 'options:\n  port:\n    type: int\n    default: 8080\n');
  });

  it('reads back as the same metadata as the YAML, without checking it again', () => {
    const json = join(dir, BUILT_CHARM_META_FILE);
    writeFileSync(json, JSON.stringify(buildCharmMetaJson(dir)));
    const built = readBuiltCharmMeta(json, dir);
    expect(built).toEqual(loadCharmMeta(dir));
    expect(built?.config.get('port')?.default).toBe(8080);
  });

  it('is ignored once a metadata file changes or appears, and when absent or foreign', () => {
    const json = join(dir, BUILT_CHARM_META_FILE);
    writeFileSync(json, JSON.stringify(buildCharmMetaJson(dir)));
    writeFileSync(join(dir, 'actions.yaml'), 'go: {}\n');
    expect(readBuiltCharmMeta(json, dir)).toBeNull();
    rmSync(join(dir, 'actions.yaml'));
    writeFileSync(join(dir, 'config.yaml'), 'options: {}\n');
    expect(readBuiltCharmMeta(json, dir)).toBeNull();
    expect(readBuiltCharmMeta(join(dir, 'missing.json'), dir)).toBeNull();
    writeFileSync(json, '{"format":"other"}');
    expect(readBuiltCharmMeta(json, dir)).toBeNull();
  });

  it('still checks documents that are not marked as checked', () => {
    expect(() => parseCharmMeta({ metadata: { name: 3 } })).toThrow(/metadata.yaml is invalid/);
    expect(parseCharmMeta({ metadata: { name: 'x' } }, { checked: true }).name).toBe('x');
  });
});

const meta = parseCharmMeta({
  metadata: { name: 'web', peers: { cluster: { interface: 'web-peers' } } },
  config: { options: { port: { type: 'int', default: 8080 } } },
});

class Plain extends CharmBase {
  static override readonly handleKind: string = 'Plain';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.configChanged, this.onConfigChanged);
    framework.observe(this.on.relation('cluster').changed, this.onConfigChanged);
  }
  onConfigChanged(): void {
    this.unit.status = new ActiveStatus();
  }
}

describe('probeDispatchManifest', () => {
  const probe = (charm: new (f: Framework) => CharmBase): DispatchManifest =>
    probeDispatchManifest(charm, meta, dir);

  it('lists the observed kinds of a charm that does its work in handlers', () => {
    expect(probe(Plain)).toEqual({
      format: 'charmkit-dispatch/1',
      skippable: true,
      reasons: [],
      observed: ['cluster_relation_changed', 'config_changed'],
    });
  });

  it('refuses skipping when something runs in every hook', () => {
    class WithStatus extends Plain {
      static override readonly handleKind = 'WithStatus';
      constructor(framework: Framework) {
        super(framework);
        framework.observe(this.on.collectUnitStatus, this.onStatus);
      }
      onStatus(event: CollectStatusEvent): void {
        event.addStatus(new ActiveStatus());
      }
    }
    class WithParticipant extends Plain {
      static override readonly handleKind = 'WithParticipant';
      constructor(framework: Framework) {
        super(framework);
        framework.addParticipant({ name: 'locks', start: () => undefined });
      }
    }
    class WithBus extends Plain {
      static override readonly handleKind = 'WithBus';
      constructor(framework: Framework) {
        super(framework);
        framework.bus.on('emitted', () => undefined);
      }
    }
    expect(probe(WithStatus)).toMatchObject({
      skippable: false,
      reasons: ['observers of collect_unit_status'],
    });
    expect(probe(WithParticipant).reasons).toEqual(['dispatch participants (locks)']);
    expect(probe(WithBus).reasons).toEqual(['listeners on the framework bus (emitted)']);
  });

  it('refuses skipping when the constructor needs a hook: tools, JUJU_* variables, a throw, stored state', () => {
    class ReadsConfig extends Plain {
      static override readonly handleKind = 'ReadsConfig';
      constructor(framework: Framework) {
        super(framework);
        if (this.config.port === 1) framework.observe(this.on.updateStatus, this.onConfigChanged);
      }
    }
    class ReadsEnv extends Plain {
      static override readonly handleKind = 'ReadsEnv';
      constructor(framework: Framework) {
        super(framework);
        if (process.env.JUJU_DISPATCH_PATH === 'hooks/update-status') {
          framework.observe(this.on.updateStatus, this.onConfigChanged);
        }
      }
    }
    class Throws extends Plain {
      static override readonly handleKind = 'Throws';
      constructor(framework: Framework) {
        super(framework);
        throw new Error('no');
      }
    }
    class Counts extends Plain {
      static override readonly handleKind = 'Counts';
      readonly stored = this.storedState('stored', { starts: 0 });
      constructor(framework: Framework) {
        super(framework);
        this.stored.starts += 1;
      }
    }
    expect(probe(ReadsConfig).reasons).toEqual(["the charm's constructor calls hook tools (configGet)"]);
    expect(probe(ReadsEnv).reasons).toEqual(["the charm's constructor reads JUJU_DISPATCH_PATH"]);
    expect(probe(Throws).reasons).toEqual(["the charm's constructor fails outside a hook: no"]);
    expect(probe(Counts).reasons).toEqual(["the charm's constructor changes stored state"]);
  });
});

describe('HookLogger', () => {
  it('buffers DEBUG lines, and writes them before anything goes to juju-log and on flush()', () => {
    const out: string[] = [];
    const sunk: string[] = [];
    const logger = new HookLogger((level, message) => sunk.push(`${level} ${message} after ${out.length}`), {
      stdout: (text) => out.push(text),
    });
    logger.debug('one');
    logger.debug('two');
    expect(out).toEqual([]);
    logger.warning('three');
    expect(out).toEqual(['DEBUG one\nDEBUG two\n']);
    expect(sunk).toEqual(['WARNING three after 1']);
    logger.debug('four');
    logger.flush();
    logger.flush();
    expect(out).toEqual(['DEBUG one\nDEBUG two\n', 'DEBUG four\n']);
  });
});

describe('ToolRunner', () => {
  it("reports a tool's exit status even when it exits without reading its stdin", () => {
    writeFileSync(join(dir, 'quits'), '#!/bin/sh\nexit 3\n');
    writeFileSync(join(dir, 'fine'), '#!/bin/sh\necho done\n');
    chmodSync(join(dir, 'quits'), 0o755);
    chmodSync(join(dir, 'fine'), 0o755);
    const runner = new ToolRunner({ env: { PATH: dir } });
    const big = 'x'.repeat(4 * 1024 * 1024);
    expect(runner.run('fine', [], { input: big })).toBe('done');
    let error: unknown;
    try {
      runner.run('quits', [], { input: big });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HookToolError);
    expect(error).toMatchObject({ exitCode: 3 });
  });
});
