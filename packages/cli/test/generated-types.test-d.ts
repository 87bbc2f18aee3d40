import { type ActionEvent, CharmBase, type Framework } from '@charmkit/ops';
import { describe, expectTypeOf, it } from 'vitest';
import type { BackupParams, WebTypes } from './fixtures/web/src/charm-types.js';

// The fixture's types module is what `charmkit typegen` writes (typegen.test.ts keeps it current).
class WebCharm extends CharmBase<WebTypes> {
  static override readonly handleKind = 'WebCharm';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.action('backup'), this.onBackup);
    framework.observe(this.on.relation('cluster').changed, this.onBackupLike);
    // @ts-expect-error a misspelt endpoint does not compile
    this.on.relation('clsuter');
    // @ts-expect-error nor an undeclared container
    this.on.container('redis');
    // @ts-expect-error nor an undeclared storage
    this.on.storage('logs');
    // @ts-expect-error nor an undeclared action
    this.on.action('bakup');
  }
  onBackup(event: ActionEvent<BackupParams>): void {
    expectTypeOf(event.params.to).toEqualTypeOf<string>();
    expectTypeOf(event.params.compress).toEqualTypeOf<boolean>();
    expectTypeOf(event.params.level).toEqualTypeOf<number | undefined>();
    expectTypeOf(event.params.mode).toEqualTypeOf<'full' | 'incremental' | undefined>();
  }
  onBackupLike(): void {
    expectTypeOf(this.config.port).toEqualTypeOf<number>();
    expectTypeOf(this.config.ratio).toEqualTypeOf<number>();
    expectTypeOf(this.config.debug).toEqualTypeOf<boolean>();
    expectTypeOf(this.config.token).toEqualTypeOf<string | undefined>();
    expectTypeOf(this.config['log-level']).toEqualTypeOf<string | undefined>();
    // @ts-expect-error an undeclared option does not compile
    void this.config.prot;
  }
}

describe('types written by charmkit typegen', () => {
  it('make CharmBase check names, config and action params', () => {
    expectTypeOf<WebCharm['config']['port']>().toBeNumber();
  });
});
