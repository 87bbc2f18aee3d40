import { CharmBase, type Container, type Model, type Relation } from '@charmkit/ops';
import { describe, expectTypeOf, it } from 'vitest';
import type { BackupParams, WebTypes } from './fixtures/web/src/charm-types.js';

// What `charmkit typegen` writes also types `this.model` and `this.unit` (see
// packages/ops/test/model/typed-names.test-d.ts for the model's side).
class WebCharm extends CharmBase<WebTypes> {
  static override readonly handleKind = 'WebCharm';
  check(): void {
    expectTypeOf(this.model.getRelation('db')).toEqualTypeOf<Relation<'db'> | null>();
    expectTypeOf(this.model.relations('cluster')).toEqualTypeOf<readonly Relation<'cluster'>[]>();
    expectTypeOf(this.unit.container('web')).toEqualTypeOf<Container>();
    expectTypeOf(this.model.actionParams('backup')).toEqualTypeOf<Readonly<BackupParams>>();
    expectTypeOf(this.model.config.port).toEqualTypeOf<number>();
    this.model.storages('data');
    // @ts-expect-error a misspelt endpoint does not compile
    this.model.getRelation('clsuter');
    // @ts-expect-error nor an undeclared container
    this.model.unit.container('redis');
    // @ts-expect-error nor an undeclared storage
    this.model.storages('logs');
    // @ts-expect-error nor an undeclared action
    this.model.actionParams('bakup');
    // @ts-expect-error nor an undeclared option
    void this.model.config.prot;
  }
}

describe('types written by charmkit typegen, on the model', () => {
  it('make Model and Unit check names', () => {
    expectTypeOf<WebCharm['model']>().toEqualTypeOf<Model<WebTypes>>();
    expectTypeOf<WebCharm['model']>().toExtend<Model>();
  });
});
