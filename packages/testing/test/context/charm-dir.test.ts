import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActiveStatus, CharmBase, type Framework } from '@charmkit/ops';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context, State } from '../../src/index.js';

/** Reads a file it ships (as charms do with templates) from its own directory. */
class ReadsOwnFile extends CharmBase {
  static override readonly handleKind = 'ReadsOwnFile';
  constructor(framework: Framework) {
    super(framework);
    framework.observe(this.on.install, this.onInstall);
  }
  onInstall(): void {
    const greeting = readFileSync(join(this.charmDir, 'files', 'greeting.txt'), 'utf8').trim();
    this.unit.status = new ActiveStatus(`${greeting} from ${this.framework.charmDir}`);
  }
}

let charmDir: string;
beforeEach(() => {
  charmDir = mkdtempSync(join(tmpdir(), 'charmkit-context-dir-'));
  writeFileSync(join(charmDir, 'metadata.yaml'), 'name: reader\n');
  mkdirSync(join(charmDir, 'files'));
  writeFileSync(join(charmDir, 'files', 'greeting.txt'), 'hello\n');
});
afterEach(() => rmSync(charmDir, { recursive: true, force: true }));

describe('Context charmDir', () => {
  it("is the charm's charmDir during a run, so it reads its own files there", async () => {
    const ctx = new Context(ReadsOwnFile, { charmDir });
    const out = await ctx.run(ctx.on.install(), new State());
    expect(out.unitStatus).toEqual({ name: 'active', message: `hello from ${charmDir}` });
  });
});
