import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  RelationDataAccessError,
  RelationDataError,
  RelationDataTypeError,
  RelationDataValidationError,
} from '../../src/index.js';
import { addRelation, makeModel } from './model-fixture.js';

const Endpoint = z.object({
  host: z.string(),
  port: z.number().int(),
  tls: z.boolean().default(false),
  tags: z.array(z.string()).optional(),
});

describe('relation.load / relation.save', () => {
  it('loads a remote bag with each value JSON-decoded, raw strings kept', () => {
    const { model, backend } = makeModel();
    addRelation(backend, 'db', 1, 'pg', ['pg/0']);
    backend.bags.set('1:pg/0', {
      host: '"db.internal"',
      port: '5432',
      tags: '["a","b"]',
      'ingress-address': '10.0.0.9',
    });
    const relation = model.getRelation('db', 1);
    if (!relation) throw new Error('no relation');
    const loaded = relation.load(Endpoint, model.getUnit('pg/0'));
    expect(loaded).toEqual({ host: 'db.internal', port: 5432, tls: false, tags: ['a', 'b'] });
    const raw = relation.load(z.object({ 'ingress-address': z.string() }), model.getUnit('pg/0'));
    expect(raw['ingress-address']).toBe('10.0.0.9');
  });

  it('names the field that does not match', () => {
    const { model, backend } = makeModel();
    addRelation(backend, 'db', 1, 'pg', ['pg/0']);
    backend.bags.set('1:pg', { host: '"h"', port: '"5432"' });
    const relation = model.getRelation('db', 1);
    if (!relation) throw new Error('no relation');
    const load = () => relation.load(Endpoint, model.getApp('pg'));
    expect(load).toThrow(RelationDataValidationError);
    expect(load).toThrow(RelationDataError);
    expect(load).toThrow(
      /databag of pg \(app\) in relation 1 does not match the schema: port: expected number, got string$/,
    );
  });

  it('saves each field JSON-encoded, buffered into one relation-set', () => {
    const { model, backend } = makeModel({ leader: true });
    addRelation(backend, 'website', 2, 'proxy', ['proxy/0']);
    const relation = model.getRelation('website', 2);
    if (!relation) throw new Error('no relation');
    relation.save({ host: 'web', port: 80, tls: true, tags: undefined }, model.app, Endpoint);
    relation.save({ extra: { nested: [1, null] } }, model.unit);
    expect(relation.appData.get('host')).toBe('"web"');
    expect(relation.unitData.get('extra')).toBe('{"nested":[1,null]}');
    model.flush();
    expect(backend.calls.filter((c) => c.startsWith('relation-set'))).toEqual([
      'relation-set 2 --app {"host":"\\"web\\"","port":"80","tls":"true"}',
      'relation-set 2 {"extra":"{\\"nested\\":[1,null]}"}',
    ]);
  });

  it('round-trips through save and load', () => {
    const { model, backend } = makeModel({ leader: true });
    addRelation(backend, 'cluster', 0, 'web', ['web/1']);
    const relation = model.getRelation('cluster', 0);
    if (!relation) throw new Error('no relation');
    const value = { host: 'h', port: 1, tls: false, tags: ['x'] };
    relation.save(value, model.app, Endpoint);
    expect(relation.load(Endpoint, model.app)).toEqual(value);
  });

  it('checks the value, its JSON-ness and the access rules before buffering', () => {
    const { model, backend } = makeModel({ leader: false });
    addRelation(backend, 'db', 1, 'pg', ['pg/0']);
    const relation = model.getRelation('db', 1);
    if (!relation) throw new Error('no relation');
    expect(() => relation.save({ host: 'h', port: 'x' } as never, model.unit, Endpoint)).toThrow(
      /cannot save to databag of web\/0 in relation 1: port: expected number/,
    );
    expect(() => relation.save({ when: new Date() }, model.unit)).toThrow(RelationDataTypeError);
    expect(() => relation.save({ n: Number.NaN }, model.unit)).toThrow(/n is NaN/);
    expect(() => relation.save([1] as never, model.unit)).toThrow(/plain object/);
    expect(() => relation.save({ a: 1 }, model.app)).toThrow(RelationDataAccessError);
    expect(() => relation.save({ a: 1 }, model.getUnit('pg/0'))).toThrow(RelationDataAccessError);
    model.flush();
    expect(backend.calls.filter((c) => c.startsWith('relation-set'))).toEqual([]);
  });
});
