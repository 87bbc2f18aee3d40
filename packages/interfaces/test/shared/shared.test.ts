import { spawnSync } from 'node:child_process';
import { CharmBase, type Framework, type RelationChangedEvent } from '@charmkit/ops';
import { Context, Relation, State } from '@charmkit/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DatabagWriteError,
  jsonField,
  pythonJson,
  RemoteDatabagError,
  tryReadDatabag,
  unitAddress,
  writeDatabag,
} from '../../src/shared/index.js';

const Bag = z.object({
  name: jsonField(z.string()),
  port: jsonField(z.number().int()),
  note: z.string().optional(),
  tags: jsonField(z.array(z.string())).optional(),
});

describe('jsonField', () => {
  it('decodes JSON in a string and encodes it back as Python writes it', () => {
    const bag: Record<string, string> = { name: '"web"', port: '80', tags: '["a", "b"]', other: 'ignored' };
    expect(Bag.decode(bag as z.input<typeof Bag>)).toEqual({
      name: 'web',
      port: 80,
      tags: ['a', 'b'],
    });
    expect(Bag.encode({ name: 'web', port: 80, tags: ['a', 'b'] })).toEqual({
      name: '"web"',
      port: '80',
      tags: '["a", "b"]',
    });
  });

  it('reports a value that is not JSON, and a wrong type, by field', () => {
    const result = Bag.safeDecode({ name: 'web', port: '"80"' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', 'expected a JSON value'],
      ['port', 'Invalid input: expected number, received string'],
    ]);
  });
});

describe('pythonJson', () => {
  const samples: unknown[] = [
    { url: 'http://foo.bar:80/m-a', n: [1, 2, { x: null, y: true }] },
    ['username', 'password'],
    'café – ünïcode ✓ 😀',
    'quote " backslash \\ newline \n tab \t',
    42,
    false,
  ];

  it('writes separators and escapes like json.dumps', () => {
    expect(pythonJson({ url: 'http://x', tags: ['a', 'b'] })).toBe('{"url": "http://x", "tags": ["a", "b"]}');
    expect(pythonJson('é')).toBe('"\\u00e9"');
  });

  // The real check: Python's own json.dumps, when python3 is on the machine.
  const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  it.skipIf(python.status !== 0)(
    'is byte for byte what python3 json.dumps writes',
    () => {
      const script = 'import json,sys\nfor v in json.load(sys.stdin): print(json.dumps(v))';
      const run = spawnSync('python3', ['-c', script], {
        input: JSON.stringify(samples),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(0);
      expect(run.stdout.trimEnd().split('\n')).toEqual(samples.map(pythonJson));
    },
    90_000,
  );
});

const results: unknown[] = [];

class BagCharm extends CharmBase {
  static override readonly handleKind = 'BagCharm';
  constructor(framework: Framework) {
    super(framework);
    this.observe(this.on.relation('peer-app').changed, this.onChanged);
  }
  onChanged(event: RelationChangedEvent): void {
    const relation = event.relation;
    const app = relation.app;
    if (!app) return;
    results.push(tryReadDatabag(relation, app, Bag));
    results.push(unitAddress(relation, this.unit));
    results.push(unitAddress(relation, [...relation.units][0] as never));
    writeDatabag(relation, this.app, Bag, { name: 'me', port: 8080 });
    try {
      writeDatabag(relation, this.app, Bag, { name: 'me', port: 1.5 });
    } catch (error) {
      results.push(error);
    }
  }
}

const ctx = new Context(BagCharm, {
  meta: { metadata: { name: 'bags', requires: { 'peer-app': { interface: 'x' } } } },
});

describe('databag helpers (Context)', () => {
  it('name the remote app and each field, never the values', async () => {
    results.length = 0;
    const rel = new Relation('peer-app', {
      id: 11,
      remoteAppName: 'other',
      remoteAppData: { name: 'secret-value', port: '8080' },
      remoteUnitsData: { 0: { 'private-address': '192.168.1.1', 'ingress-address': '10.0.0.7' } },
      localUnitData: { 'private-address': '192.168.1.2' },
    });
    await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    const read = results[0] as { ok: false; error: RemoteDatabagError };
    expect(read.ok).toBe(false);
    expect(read.error).toBeInstanceOf(RemoteDatabagError);
    expect(read.error.code).toBe('CHARMKIT_REMOTE_DATABAG_INVALID');
    expect(read.error.member).toBe('app other');
    expect(read.error.issues).toEqual([{ field: 'name', expected: 'expected a JSON value' }]);
    expect(read.error.message).toBe(
      'relation peer-app:11: the databag of app other does not match the interface: name: expected a JSON value',
    );
    expect(read.error.message).not.toContain('secret-value');
    // ingress-address only: the own unit has none yet (private-address does not count).
    expect(results[1]).toBeNull();
    expect(results[2]).toBe('10.0.0.7');
  });

  it('write only what changed, delete what the value leaves out, and refuse a bad value', async () => {
    results.length = 0;
    const rel = new Relation('peer-app', {
      remoteAppData: { name: '"x"', port: '1' },
      localAppData: { name: '"me"', port: '80', note: 'stale', foreign: 'kept' },
    });
    const out = await ctx.run(
      ctx.on.relationChanged(rel, { remoteUnit: 0 }),
      new State({ leader: true, relations: [rel] }),
    );
    expect(out.getRelation(rel.id).localAppData).toEqual({ name: '"me"', port: '8080', foreign: 'kept' });
    const error = results.at(-1) as DatabagWriteError;
    expect(error).toBeInstanceOf(DatabagWriteError);
    expect(error.message).toContain('port: expected int, received number');
  });
});
