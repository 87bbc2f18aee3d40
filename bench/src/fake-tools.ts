import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Canned answers of the hook tools the benchmark charm can call. Each fake is a tiny `/bin/sh`
 * script: it appends its name to `$BENCH_TOOL_LOG` (so spawns are counted outside the charm) and
 * prints its answer, all with shell built-ins, so it starts no further process.
 */
const ANSWERS: Readonly<Record<string, string>> = {
  'is-leader': `echo true`,
  'config-get': `case "$2" in
  log-level) echo '"info"' ;;
  port) echo 6379 ;;
  *) echo '{"log-level":"info","port":6379}' ;;
esac`,
  'relation-ids': `echo '["cluster:0"]'`,
  'relation-list': `echo '[]'`,
  'relation-get': `echo '{}'`,
  'relation-set': ``,
  'status-get': `echo '{"status":"unknown","message":"","status-data":{}}'`,
  'status-set': ``,
  'juju-log': ``,
  'leader-get': `echo '{}'`,
  'leader-set': ``,
  'action-get': `echo "{\\"count\\":\${BENCH_COUNT:-0}}"`,
  'action-set': ``,
  'action-log': ``,
  'action-fail': ``,
  'application-version-set': ``,
};

/** Writes the fake hook tools into `dir` and returns their names. */
export function writeFakeTools(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  for (const [tool, answer] of Object.entries(ANSWERS)) {
    const path = join(dir, tool);
    writeFileSync(
      path,
      `#!/bin/sh\n[ -n "\${BENCH_TOOL_LOG:-}" ] && echo ${tool} >>"$BENCH_TOOL_LOG"\n${answer}\nexit 0\n`,
    );
    chmodSync(path, 0o755);
  }
  return Object.keys(ANSWERS);
}
