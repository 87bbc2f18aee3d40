import { existsSync, linkSync, mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanPrivateTempDir,
  HookTools,
  HookToolTempDirError,
  PRIVATE_TEMP_DIR_NAME,
} from '../../src/hook-tools/index.js';
import { ScriptTools } from './script-tools.js';

// Issue 12 item 4: secret content must not stay in /tmp when the hook is killed mid-call.

const URI = 'secret:cn1qcvbmp25c77ma0oj0';
const SECRET = 's3cr3t-Pa55w0rd-4';

const scripts = new ScriptTools();
afterAll(() => scripts.dispose());

// The tool records the content file's path, its mode and its directory's mode, and whether any
// /tmp/charmkit-secret-* exists while it runs; with LEAVE set it hard-links the file under another
// name, which is what remains when a hook is killed before it removes the file.
const RECORDING_TOOL = `
for arg in "$@"; do
  case $arg in
    --file=*)
      f=\${arg#--file=}
      printf '%s' "$f" > "$LOG_DIR/path"
      stat -c %a "$f" > "$LOG_DIR/file-mode"
      stat -c %a "\${f%/*}" > "$LOG_DIR/dir-mode"
      ls -d "\${TMPDIR:-/tmp}"/charmkit-secret-* 2>/dev/null | wc -l > "$LOG_DIR/in-tmp"
      if [ -n "\${LEAVE-}" ]; then ln "$f" "\${f%/*}/left-by-killed-hook.json"; fi
      ;;
  esac
done
echo ${URI}`;
scripts.write('secret-add', RECORDING_TOOL);
scripts.write('secret-set', RECORDING_TOOL);

const read = (name: string): string =>
  process.getBuiltinModule('node:fs').readFileSync(join(scripts.logDir, name), 'utf8').trim();
const privateDir = join(scripts.charmDir, PRIVATE_TEMP_DIR_NAME);

describe('secret content files', () => {
  it('are 0600 in a 0700 directory under the charm dir, nothing under the system temp dir', () => {
    const tools = new HookTools({ env: scripts.env() });
    expect(tools.secretAdd({ password: SECRET })).toBe(URI);
    const path = read('path');
    expect(path.startsWith(`${privateDir}/`)).toBe(true);
    expect(read('file-mode')).toBe('600');
    expect(read('dir-mode')).toBe('700');
    expect(read('in-tmp')).toBe('0');
    // Gone once the tool returns, directory included.
    expect(existsSync(path)).toBe(false);
    expect(existsSync(privateDir)).toBe(false);

    tools.secretSet(URI, { content: { password: SECRET } });
    expect(read('path').startsWith(`${privateDir}/`)).toBe(true);
    expect(read('dir-mode')).toBe('700');
    expect(existsSync(privateDir)).toBe(false);
  }, 60_000);

  it('left behind by a killed hook are removed by the next dispatch clean-up', () => {
    const tools = new HookTools({ env: scripts.env({ LEAVE: '1' }) });
    tools.secretAdd({ password: SECRET });
    // What a SIGKILL between write and unlink leaves: a readable secret in the charm dir.
    const left = join(privateDir, 'left-by-killed-hook.json');
    expect(existsSync(left)).toBe(true);
    expect(statSync(privateDir).mode & 0o777).toBe(0o700);

    cleanPrivateTempDir(scripts.charmDir);
    expect(existsSync(privateDir)).toBe(false);
    // Nothing to clean is fine.
    cleanPrivateTempDir(scripts.charmDir);
  }, 60_000);

  it('clean-up removes a symlink in place of the directory without following it', () => {
    const target = join(scripts.root, 'elsewhere');
    mkdirSync(target);
    linkSync(join(scripts.binDir, 'secret-add'), join(target, 'keep'));
    symlinkSync(target, privateDir);
    cleanPrivateTempDir(scripts.charmDir);
    expect(existsSync(privateDir)).toBe(false);
    expect(readdirSync(target)).toEqual(['keep']);
  });

  it('refuse a symlink in place of the private directory', () => {
    const target = join(scripts.root, 'attacker');
    mkdirSync(target);
    symlinkSync(target, privateDir);
    try {
      const tools = new HookTools({ env: scripts.env() });
      expect(() => tools.secretAdd({ password: SECRET })).toThrow(HookToolTempDirError);
      expect(readdirSync(target)).toEqual([]);
    } finally {
      cleanPrivateTempDir(scripts.charmDir);
    }
  }, 60_000);

  it('go where the privateTempDir option says', () => {
    const dir = join(scripts.root, 'custom-tmp');
    const tools = new HookTools({ env: scripts.env(), privateTempDir: dir });
    tools.secretAdd({ password: SECRET });
    expect(read('path').startsWith(`${dir}/`)).toBe(true);
    expect(read('dir-mode')).toBe('700');
  }, 60_000);
});
