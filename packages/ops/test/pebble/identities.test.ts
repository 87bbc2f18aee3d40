import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PebbleAPIError, PebbleClient, PebbleProtocolError } from '../../src/pebble/index.js';
import { FakePebbleServer } from './fake-pebble-server.js';

let fake: FakePebbleServer;
let client: PebbleClient;

beforeEach(async () => {
  fake = await FakePebbleServer.start();
  client = new PebbleClient({ socketPath: fake.socketPath, timeout: 2000 });
});

afterEach(async () => {
  await fake.close();
});

describe('identities', () => {
  it('replaces identities in the wire form and reads them back camelCased', async () => {
    await client.replaceIdentities({
      alice: { access: 'admin', local: { userId: 1000 } },
      web: { access: 'read', basic: { password: '$6$salt$hash' } },
    });
    expect(JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '')).toEqual({
      action: 'replace',
      identities: {
        alice: { access: 'admin', local: { 'user-id': 1000 } },
        web: { access: 'read', basic: { password: '$6$salt$hash' } },
      },
    });
    expect(await client.getIdentities()).toEqual({
      alice: { access: 'admin', local: { userId: 1000 } },
      web: { access: 'read', basic: { password: '*****' } },
    });
  });

  it('removes with null in replace, and with removeIdentities', async () => {
    await client.replaceIdentities({
      a: { access: 'read', local: { userId: 1 } },
      b: { access: 'metrics', local: { userId: 2 } },
      c: { access: 'untrusted', local: { userId: 3 } },
    });
    await client.replaceIdentities({ a: null });
    await client.removeIdentities(['b']);
    expect(JSON.parse(fake.requests.at(-1)?.body.toString('utf8') ?? '')).toEqual({
      action: 'remove',
      identities: { b: null },
    });
    expect(Object.keys(await client.getIdentities())).toEqual(['c']);
  });

  it('surfaces Pebble refusals as PebbleAPIError', async () => {
    const error = await client.removeIdentities(['ghost']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PebbleAPIError);
    expect((error as PebbleAPIError).pebbleMessage).toBe('identity "ghost" does not exist');
  });

  it('reads an empty result as no identities and rejects a malformed one', async () => {
    expect(await client.getIdentities()).toEqual({});
    fake.intercept = (req, res) => {
      if (req.url !== '/v1/identities') return false;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ type: 'sync', 'status-code': 200, result: { x: { access: 'root' } } }));
      return true;
    };
    await expect(client.getIdentities()).rejects.toBeInstanceOf(PebbleProtocolError);
  });
});
