import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, parseCharmMeta, validateConfig } from '../../src/index.js';
import { makeModel, modelMeta } from './model-fixture.js';

const URI = 'secret://a1b2c3d4-0000-4000-8000-000000000001/cq000000000000000001';

describe('model.config', () => {
  it('checks config-get output against config.yaml and fills in defaults', () => {
    const { model, backend } = makeModel();
    backend.config = { port: 9000, name: 'web', token: URI, extra: 'kept' };
    expect(model.config).toEqual({
      port: 9000,
      ratio: 0.5,
      debug: false,
      name: 'web',
      token: URI,
      extra: 'kept',
    });
    expect(Object.isFrozen(model.config)).toBe(true);
    expect(backend.calls).toEqual(['config-get']);
  });

  it('accepts an integral float (Go prints 2.0 as 2)', () => {
    const { model, backend } = makeModel();
    backend.config = { ratio: 2 };
    expect(model.config.ratio).toBe(2);
  });

  it.each([
    [
      { port: 'eighty' },
      'port',
      /invalid charm config \(declared in config.yaml\): port: expected int, got string$/,
    ],
    [{ port: 80.5 }, 'port', /port: expected int, got number$/],
    [{ debug: 'yes' }, 'debug', /debug: expected boolean, got string$/],
    [{ ratio: 'half' }, 'ratio', /ratio: expected float, got string/],
    [{ name: 3 }, 'name', /name: expected string, got integer$/],
    [{ token: 'hunter2' }, 'token', /token: expected a secret URI/],
  ])('rejects %j with a ConfigError naming the option', (config, option, message) => {
    const { model, backend } = makeModel();
    backend.config = config as never;
    let caught: unknown;
    try {
      void model.config;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('CHARMKIT_CONFIG');
    expect((caught as ConfigError).option).toBe(option);
    expect((caught as ConfigError).message).toMatch(message);
  });
});

describe('configSchema', () => {
  it('builds a schema from a config.yaml-style declaration', () => {
    const schema = configSchema({
      port: { type: 'int', default: 80 },
      host: { type: 'string' },
      tls: { type: 'boolean', default: false },
    } as const);
    expect(schema.safeParse({ host: 'x' })).toEqual({
      success: true,
      data: { port: 80, host: 'x', tls: false },
    });
    expect(schema.safeParse({ port: '80' }).success).toBe(false);
  });

  it('validateConfig works from metadata alone', () => {
    const meta = parseCharmMeta({ metadata: { name: 'x' }, config: { options: { n: { type: 'int' } } } });
    expect(validateConfig(meta.config, {})).toEqual({});
    expect(() => validateConfig(meta.config, { n: true })).toThrow(ConfigError);
    expect(validateConfig(modelMeta.config, { port: 1 })).toMatchObject({ port: 1, debug: false });
  });
});
