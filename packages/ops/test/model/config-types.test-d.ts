import { describe, expectTypeOf, it } from 'vitest';
import { type ConfigOf, configSchema, type InferConfig } from '../../src/index.js';

describe('config types', () => {
  it('infers required options from defaults and optional ones otherwise', () => {
    const options = {
      port: { type: 'int', default: 8080 },
      ratio: { type: 'float', default: 0.5 },
      debug: { type: 'boolean', default: false },
      host: { type: 'string' },
      token: { type: 'secret', default: null },
    } as const;
    type Expected = {
      readonly port: number;
      readonly ratio: number;
      readonly debug: boolean;
      readonly host?: string;
      readonly token?: string;
    };
    expectTypeOf<InferConfig<typeof options>>().toEqualTypeOf<Expected>();
    const schema = configSchema(options);
    expectTypeOf<ConfigOf<typeof schema>>().toEqualTypeOf<Expected>();
  });
});
