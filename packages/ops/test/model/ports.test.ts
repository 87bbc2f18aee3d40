import { describe, expect, it } from 'vitest';
import { InvalidPortError, ModelError } from '../../src/index.js';
import { makeModel } from './model-fixture.js';

describe('ports', () => {
  it('buffers opens and closes and sends them at flush, closes first', () => {
    const { model, backend } = makeModel();
    backend.ports = [{ protocol: 'tcp', port: 22 }];
    model.unit.openPort('tcp', 8080);
    model.unit.openPort('udp', [9000, 9010]);
    model.unit.openPort('icmp');
    model.unit.closePort('tcp', 22);
    expect(backend.calls).toEqual([]);
    model.flush();
    expect(backend.calls).toEqual([
      'close-port 22/tcp',
      'open-port 8080/tcp',
      'open-port 9000-9010/udp',
      'open-port icmp',
    ]);
    backend.calls.length = 0;
    model.flush();
    expect(backend.calls).toEqual([]);
  });

  it('the last change per port wins, and no-ops are skipped once opened-ports was read', () => {
    const { model, backend } = makeModel();
    backend.ports = [{ protocol: 'tcp', port: 80 }];
    model.unit.openPort('tcp', 443);
    model.unit.closePort('tcp', 443);
    model.unit.openPort('tcp', 80);
    expect(model.unit.openedPorts()).toEqual([{ protocol: 'tcp', port: 80 }]);
    model.flush();
    expect(backend.calls).toEqual(['opened-ports']);
  });

  it("openedPorts() shows committed ports with this hook's changes, sorted", () => {
    const { model, backend } = makeModel();
    backend.ports = [{ protocol: 'icmp' }, { protocol: 'udp', port: 53 }, { protocol: 'tcp', port: 80 }];
    model.unit.openPort('tcp', [8000, 8010]);
    model.unit.closePort('udp', 53);
    expect(model.unit.openedPorts()).toEqual([
      { protocol: 'tcp', port: 80 },
      { protocol: 'tcp', port: 8000, toPort: 8010 },
      { protocol: 'icmp' },
    ]);
    model.unit.openedPorts();
    expect(backend.calls).toEqual(['opened-ports']);
  });

  it('setPorts() opens what is missing and closes the rest', () => {
    const { model, backend } = makeModel();
    backend.ports = [{ protocol: 'tcp', port: 80 }, { protocol: 'tcp', port: 22 }, { protocol: 'icmp' }];
    model.unit.setPorts(80, { protocol: 'udp', port: 53 }, { protocol: 'tcp', port: 9000, toPort: 9001 });
    model.flush();
    expect(backend.calls).toEqual([
      'opened-ports',
      'close-port 22/tcp',
      'close-port icmp',
      'open-port 53/udp',
      'open-port 9000-9001/tcp',
    ]);
  });

  it.each([
    [() => ['tcp'], /needs a port number or range/],
    [() => ['sctp', 80], /protocol must be "tcp", "udp" or "icmp", got "sctp"/],
    [() => ['tcp', 0], /tcp port must be an integer from 1 to 65535, got number 0/],
    [() => ['udp', 70000], /from 1 to 65535/],
    [() => ['tcp', 80.5], /integer/],
    [() => ['tcp', [90, 80]], /range 90-80 ends before it starts/],
    [() => ['tcp', [80]], /a port range is \[from, to\]/],
    [() => ['icmp', 8], /icmp has no ports/],
  ])('rejects bad ports before anything runs (%#)', (args, message) => {
    const { model, backend } = makeModel();
    const open = model.unit.openPort as (...a: unknown[]) => void;
    expect(() => open.call(model.unit, ...args())).toThrow(InvalidPortError);
    expect(() => open.call(model.unit, ...args())).toThrow(message);
    expect(() => model.unit.setPorts(args()[1] as never, 'x' as never)).toThrow(InvalidPortError);
    model.flush();
    expect(backend.calls).toEqual([]);
  });

  it('only the own unit has ports', () => {
    const { model } = makeModel();
    expect(() => model.getUnit('web/1').openPort('tcp', 80)).toThrow(ModelError);
  });

  it('checkpoint() undoes port changes', () => {
    const { model, backend } = makeModel();
    model.unit.openPort('tcp', 80);
    const undo = model.checkpoint();
    model.unit.openPort('tcp', 81);
    model.unit.closePort('tcp', 80);
    undo();
    model.flush();
    expect(backend.calls).toEqual(['open-port 80/tcp']);
  });
});
