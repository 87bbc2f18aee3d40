import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HookToolOutputError, type Port, parseOpenedPort } from '../../src/hook-tools/index.js';
import { expectRejectedBeforeSpawn, FakeHookTools } from './fake-hook-tools.js';

const fake = new FakeHookTools();
afterAll(() => fake.dispose());
beforeEach(() => fake.reset());

describe('open-port / close-port', () => {
  it('builds <port>/<proto>, <from>-<to>/<proto> and icmp', () => {
    const tools = fake.tools();
    tools.openPort(8080);
    tools.openPort({ protocol: 'udp', port: 53 });
    tools.openPort({ protocol: 'tcp', port: 8000, toPort: 8010 });
    tools.openPort({ protocol: 'icmp' });
    tools.closePort({ protocol: 'udp', port: 1000, toPort: 2000 }, { endpoints: ['dmz', 'public'] });
    expect(fake.commandLines()).toEqual([
      ['open-port', '--', '8080/tcp'],
      ['open-port', '--', '53/udp'],
      ['open-port', '--', '8000-8010/tcp'],
      ['open-port', '--', 'icmp'],
      ['close-port', '--endpoints=dmz,public', '--', '1000-2000/udp'],
    ]);
  });

  it.each([
    [0, /port must be an integer from 1 to 65535, got number 0/],
    [65536, /port must be an integer from 1 to 65535/],
    [80.5, /port must be an integer/],
    [{ protocol: 'tcp', port: 90, toPort: 80 }, /toPort must be an integer from 90 to 65535, got number 80/],
    [{ protocol: 'sctp', port: 1 }, /protocol must be tcp, udp or icmp, got "sctp"/],
    [{ protocol: 'icmp', port: 1 }, /icmp takes no port/],
  ])('rejects %j before spawning', (port, message) => {
    expectRejectedBeforeSpawn(fake, fake.tools(), (tools) => tools.openPort(port as Port), message);
  });

  it('rejects bad endpoint lists before spawning', () => {
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.openPort(80, { endpoints: [] }),
      /non-empty list/,
    );
    expectRejectedBeforeSpawn(
      fake,
      fake.tools(),
      (tools) => tools.closePort(80, { endpoints: ['a,b'] }),
      /endpoint "a,b" is not an endpoint name/,
    );
  });
});

describe('opened-ports', () => {
  it('parses ports, ranges and icmp', () => {
    fake.respondJson('opened-ports', '["80/tcp","8000-8010/udp","icmp"]');
    expect(fake.tools().openedPorts()).toEqual([
      { protocol: 'tcp', port: 80 },
      { protocol: 'udp', port: 8000, toPort: 8010 },
      { protocol: 'icmp' },
    ]);
    expect(fake.commandLines()).toEqual([['opened-ports', '--format=json']]);
  });

  it('parses the endpoint lists of --endpoints', () => {
    fake.respondJson('opened-ports', '["80/tcp (*)","443/tcp (public, website)","icmp (dmz)"]');
    expect(fake.tools().openedPorts({ endpoints: true })).toEqual([
      { protocol: 'tcp', port: 80, endpoints: '*' },
      { protocol: 'tcp', port: 443, endpoints: ['public', 'website'] },
      { protocol: 'icmp', endpoints: ['dmz'] },
    ]);
    expect(fake.commandLines()).toEqual([['opened-ports', '--format=json', '--endpoints']]);
  });

  it('reads [] and null as none', () => {
    const tools = fake.tools();
    fake.respondJson('opened-ports', '[]');
    expect(tools.openedPorts()).toEqual([]);
    fake.respondJson('opened-ports', 'null');
    expect(tools.openedPorts()).toEqual([]);
  });

  it('rejects an entry of another shape', () => {
    fake.respondJson('opened-ports', '["80/sctp"]');
    expect(() => fake.tools().openedPorts()).toThrow(HookToolOutputError);
    expect(parseOpenedPort('80')).toBeUndefined();
    expect(parseOpenedPort('tcp/80')).toBeUndefined();
  });
});
