import { CharmBase } from '@charmkit/ops';
import { PebbleAPIError } from '@charmkit/ops/pebble';
import { describe, expect, it } from 'vitest';
import { Container, Context, InconsistentStateError, State } from '../../src/index.js';

describe('Container in a State', () => {
  it('is immutable; with() makes a changed copy', () => {
    const web = new Container('web', { files: { '/etc/a': 'x' }, notices: [{ key: 'example.com/a' }] });
    expect(Object.isFrozen(web)).toBe(true);
    expect(Object.isFrozen(web.files)).toBe(true);
    const next = web.with({ serviceStatuses: { web: 'active' } });
    expect(next.name).toBe('web');
    expect(next.serviceStatuses).toEqual({ web: 'active' });
    expect(web.serviceStatuses).toEqual({});
    // Notices keep their ids from copy to copy.
    expect(next.notices[0]?.id).toBe(web.notices[0]?.id);
    expect(next.readText('/etc/a')).toBe('x');
    expect(() => next.readText('/etc/b')).toThrow(RangeError);
    expect(new State({ containers: [web] }).getContainer('web')).toBe(web);
    expect(() => new State().getContainer('web')).toThrow(RangeError);
  });

  it('shows the plan of its layers, refusing layers Pebble would refuse', () => {
    const web = new Container('web', {
      layers: {
        a: { services: { web: { override: 'replace', command: 'a', startup: 'enabled' } } },
        b: { services: { web: { override: 'merge', command: 'b' } } },
      },
    });
    expect(web.plan.services.web).toEqual({ override: 'merge', command: 'b', startup: 'enabled' });
    const bad = new Container('web', { layers: { a: { services: { web: { override: 'replace' } } } } });
    expect(() => bad.plan).toThrow(PebbleAPIError);
  });

  it('is checked against the metadata when a Context runs', async () => {
    class Charm extends CharmBase {
      static override readonly handleKind = 'Charm';
    }
    const ctx = new Context(Charm, {
      meta: { metadata: { name: 'w', containers: { web: { resource: 'r' } } } },
    });
    const bad = new Container('web', { layers: { a: { services: { web: { override: 'replace' } } } } });
    const error = await ctx
      .run(ctx.on.install(), new State({ containers: [bad, new Container('web')] }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InconsistentStateError);
    expect((error as Error).message).toContain(
      'container "web" has layers Pebble refuses: plan must define "command"',
    );
    expect((error as Error).message).toContain('container "web" is given twice');
    // A container the charm never touches comes out as it went in.
    const web = new Container('web', { files: { '/x': 'y' } });
    const out = await ctx.run(ctx.on.install(), new State({ containers: [web] }));
    expect(out.getContainer('web')).toBe(web);
  });
});
