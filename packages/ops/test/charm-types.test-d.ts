import { describe, expectTypeOf, it } from 'vitest';
import {
  type ActionEvent,
  CharmBase,
  type CharmClass,
  CharmEvents,
  type CharmTypes,
  EventBase,
  type Framework,
  type Handle,
  type RelationChangedEvent,
} from '../src/index.js';

// What `charmkit typegen` writes for a charm with these declarations.
type WebConfig = { readonly port: number; readonly name: string; readonly token?: string };
type WebActions = {
  readonly backup: { readonly to: string; readonly compress: boolean; readonly level?: number };
  readonly restart: Readonly<Record<string, never>>;
};
interface WebTypes extends CharmTypes {
  readonly config: WebConfig;
  readonly actions: WebActions;
  readonly relations: 'cluster' | 'db';
  readonly containers: 'web';
  readonly storages: 'data';
}

class RestartEvent extends EventBase {
  constructor(
    handle: Handle,
    readonly reason: string,
  ) {
    super(handle);
  }
}

class WebEvents extends CharmEvents<WebTypes> {
  readonly restartRequested = this.event('restart_requested', RestartEvent);
}

class WebCharm extends CharmBase<WebTypes> {
  static override readonly handleKind = 'WebCharm';
  override readonly on = new WebEvents(this);

  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.relation('cluster').changed, this.onClusterChanged);
    framework.observe(this.on.action('backup'), this.onBackup);
    framework.observe(this.on.container('web').pebbleReady, this.onAny);
    framework.observe(this.on.storage('data').attached, this.onAny);
    framework.observe(this.on.restartRequested, this.onAny);
    // @ts-expect-error a typo in a relation name does not compile
    this.on.relation('clsuter');
    // @ts-expect-error nor an undeclared container, storage or action
    this.on.container('redis');
    // @ts-expect-error
    this.on.storage('logs');
    // @ts-expect-error
    this.on.action('backpu');
    // @ts-expect-error the backup handler cannot observe the restart action: its params differ
    framework.observe(this.on.action('restart'), this.onBackup);
  }

  onClusterChanged(event: RelationChangedEvent): void {
    expectTypeOf(event.relation.id).toBeNumber();
    expectTypeOf(this.config.port).toEqualTypeOf<number>();
    expectTypeOf(this.config.name).toEqualTypeOf<string>();
    expectTypeOf(this.config.token).toEqualTypeOf<string | undefined>();
    // @ts-expect-error an undeclared option does not compile
    void this.config.prot;
  }

  onBackup(event: ActionEvent<Readonly<WebActions['backup']>>): void {
    expectTypeOf(event.params.to).toEqualTypeOf<string>();
    expectTypeOf(event.params.compress).toEqualTypeOf<boolean>();
    expectTypeOf(event.params.level).toEqualTypeOf<number | undefined>();
  }

  onAny(_event: EventBase): void {}
}

class PlainCharm extends CharmBase {
  static override readonly handleKind = 'PlainCharm';
  constructor(framework: Framework) {
    super(framework);
    // Without types every name compiles (and is checked against metadata when the charm starts).
    framework.observe(this.on.relation('anything').changed, this.onChanged);
    framework.observe(this.on.action('whatever'), this.onAction);
  }
  onChanged(_event: RelationChangedEvent): void {
    expectTypeOf(this.config.port).toEqualTypeOf<string | number | boolean | undefined>();
  }
  onAction(event: ActionEvent): void {
    expectTypeOf(event.params).toEqualTypeOf<Readonly<Record<string, unknown>>>();
  }
}

describe('generated charm types', () => {
  it('types config, names and action params', () => {
    expectTypeOf<WebCharm['config']>().toEqualTypeOf<Readonly<WebConfig>>();
    expectTypeOf<Parameters<WebCharm['on']['relation']>[0]>().toEqualTypeOf<'cluster' | 'db'>();
  });

  it('keeps typed and untyped charms usable wherever a charm class is expected', () => {
    expectTypeOf(WebCharm).toExtend<CharmClass>();
    expectTypeOf(PlainCharm).toExtend<CharmClass>();
  });
});
