import { describe, expectTypeOf, it } from 'vitest';
import {
  CharmBase,
  type CharmTypes,
  type ConfigValue,
  type Container,
  type Framework,
  type Model,
  type Relation,
  type StorageInstance,
  type Unit,
  type UntypedCharm,
} from '../../src/index.js';

// The shape `charmkit typegen` writes (packages/cli/test/fixtures/web/src/charm-types.ts).
type Config = {
  readonly port: number;
  readonly debug: boolean;
  readonly token?: string;
};
type BackupParams = {
  readonly to: string;
  readonly compress: boolean;
  readonly level?: number;
};
type ActionParams = {
  readonly backup: BackupParams;
  readonly restart: Readonly<Record<string, unknown>>;
};
interface WebTypes extends CharmTypes {
  readonly config: Config;
  readonly actions: ActionParams;
  readonly relations: 'db' | 'cluster';
  readonly containers: 'web';
  readonly storages: 'data';
}

class WebCharm extends CharmBase<WebTypes> {
  static override readonly handleKind = 'WebCharm';
}

class PlainCharm extends CharmBase {
  static override readonly handleKind = 'PlainCharm';
}

declare const framework: Framework;
const typed = new WebCharm(framework);
const plain = new PlainCharm(framework);

// Compile-only: nothing here runs (vitest typecheck).
describe('typed names on Model and Unit', () => {
  it('gives a typed charm a Model and Unit of its types', () => {
    expectTypeOf(typed.model).toEqualTypeOf<Model<WebTypes>>();
    expectTypeOf(typed.unit).toEqualTypeOf<Unit<WebTypes>>();
    expectTypeOf(typed.model.unit).toEqualTypeOf<Unit<WebTypes>>();
  });

  it('types relations by endpoint and rejects undeclared endpoints', () => {
    const db = typed.model.getRelation('db');
    expectTypeOf(db).toEqualTypeOf<Relation<'db'> | null>();
    expectTypeOf(db?.name).toEqualTypeOf<'db' | undefined>();
    expectTypeOf(typed.model.getRelation('cluster', 3)).toEqualTypeOf<Relation<'cluster'> | null>();
    expectTypeOf(typed.model.relations('cluster')).toEqualTypeOf<readonly Relation<'cluster'>[]>();
    // A relation typed by endpoint is still a Relation (what libraries take).
    expectTypeOf<Relation<'db'>>().toExtend<Relation>();
    // @ts-expect-error a misspelt endpoint does not compile
    typed.model.getRelation('dbb');
    // @ts-expect-error nor in relations()
    typed.model.relations('clsuter');
  });

  it('rejects undeclared containers on the model and the unit', () => {
    expectTypeOf(typed.model.container('web')).toEqualTypeOf<Container>();
    expectTypeOf(typed.unit.container('web')).toEqualTypeOf<Container>();
    expectTypeOf(typed.model.unit.container('web')).toEqualTypeOf<Container>();
    // @ts-expect-error an undeclared container does not compile
    typed.model.container('redis');
    // @ts-expect-error nor on the unit
    typed.unit.container('redis');
    // @ts-expect-error nor on the model's unit
    typed.model.unit.container('wbe');
  });

  it('rejects undeclared storages', () => {
    expectTypeOf(typed.model.storages('data')).toEqualTypeOf<readonly StorageInstance[]>();
    typed.model.requestStorage('data', 2);
    // @ts-expect-error an undeclared storage does not compile
    typed.model.storages('logs');
    // @ts-expect-error nor when requesting more
    typed.model.requestStorage('dat');
  });

  it('types action parameters and rejects undeclared actions and parameters', () => {
    const params = typed.model.actionParams('backup');
    expectTypeOf(params).toEqualTypeOf<Readonly<BackupParams>>();
    expectTypeOf(params.to).toEqualTypeOf<string>();
    expectTypeOf(params.level).toEqualTypeOf<number | undefined>();
    expectTypeOf(typed.model.actionParams('restart')).toEqualTypeOf<Readonly<Record<string, unknown>>>();
    // @ts-expect-error a misspelt action does not compile
    typed.model.actionParams('bakup');
    // @ts-expect-error nor a misspelt parameter
    void params.too;
  });

  it('types the config', () => {
    expectTypeOf(typed.model.config.port).toEqualTypeOf<number>();
    expectTypeOf(typed.model.config.token).toEqualTypeOf<string | undefined>();
    expectTypeOf(typed.model.config).toEqualTypeOf(typed.config);
    // @ts-expect-error an undeclared option does not compile
    void typed.model.config.prot;
  });

  it('keeps a typed model assignable to a plain Model', () => {
    const useModel = (model: Model): Relation | null => model.getRelation('anything');
    useModel(typed.model);
    const useUnit = (unit: Unit): Container => unit.container('anything');
    useUnit(typed.unit);
    // Also when the charm types are generic, as in libraries.
    const fromCharm = <T extends CharmTypes>(charm: CharmBase<T>): Model => charm.model;
    expectTypeOf(fromCharm(typed)).toEqualTypeOf<Model>();
  });

  it('leaves charms without generated types as they were', () => {
    expectTypeOf(plain.model).toEqualTypeOf<Model>();
    expectTypeOf<Model>().toEqualTypeOf<Model<UntypedCharm>>();
    expectTypeOf(plain.unit).toEqualTypeOf<Unit>();
    const name: string = 'anything';
    expectTypeOf(plain.model.getRelation(name)).toEqualTypeOf<Relation | null>();
    expectTypeOf(plain.model.getRelation('db')).toEqualTypeOf<Relation | null>();
    expectTypeOf(plain.model.relations(name)).toEqualTypeOf<readonly Relation[]>();
    expectTypeOf(plain.model.container(name)).toEqualTypeOf<Container>();
    expectTypeOf(plain.unit.container(name)).toEqualTypeOf<Container>();
    expectTypeOf(plain.model.storages(name)).toEqualTypeOf<readonly StorageInstance[]>();
    plain.model.requestStorage(name);
    expectTypeOf(plain.model.actionParams(name)).toEqualTypeOf<Readonly<Record<string, unknown>>>();
    expectTypeOf(plain.model.config).toEqualTypeOf<Readonly<Record<string, ConfigValue>>>();
    // Relations of different endpoints still share one type.
    let relation = plain.model.getRelation('db');
    relation = plain.model.getRelation('cache');
    void relation;
  });
});
