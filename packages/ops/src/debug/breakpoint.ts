import { type ChildProcess, spawn } from 'node:child_process';
import * as inspector from 'node:inspector';
import type { Logger } from '../logger.js';
import type { DebugStopRequest } from './debug-stopper.js';

// Loaded only when JUJU_DEBUG_AT asks for a stop, so ordinary hooks never pay for it.

const BANNER = `
Starting Node's debugger to debug the charm (juju debug-code).
The hook is paused just before the handler: \`step\` steps into it, \`next\` steps over,
\`cont\` continues, \`repl\` evaluates expressions, \`help\` lists commands, \`.exit\` quits
the debugger and lets the hook run on. Later breakpoints may stop the hook again.
`;

let client: ChildProcess | null = null;

/**
 * Opens the inspector in this process, starts Node's terminal debugger (`node inspect`) on it with
 * this process's stdio (the tmux window `juju debug-code` opened), and blocks until it attaches.
 * Returns false without stopping when stdin is not a terminal: nobody could type at the debugger,
 * and a hook blocked for ever looks to Juju like a slow hook, not a failed one.
 */
export function stopUnderInspector(request: DebugStopRequest, log: Logger): boolean {
  const what = request.name === null ? request.where : `breakpoint ${JSON.stringify(request.name)}`;
  if (!process.stdin.isTTY) {
    const message = `JUJU_DEBUG_AT asks to stop at ${what}, but stdin is not a terminal, so no debugger can be driven; continuing without stopping.`;
    process.stderr.write(`charmkit: ${message}\n`);
    log.warning(message);
    return false;
  }
  // Still attached from an earlier stop in this hook: the `debugger;` statement is enough.
  if (client !== null && client.exitCode === null && inspector.url() !== undefined) {
    process.stderr.write(`\nStopping at ${what}.\n`);
    return true;
  }
  process.stderr.write(`${BANNER}Stopping at ${what}.\n\n`);
  inspector.open(0, '127.0.0.1', false);
  const url = inspector.url();
  if (url === undefined) {
    log.warning(`could not open the inspector to stop at ${what}; continuing without stopping.`);
    return false;
  }
  // `node inspect` takes `host:port` (a ws:// URL would be taken for a script to run).
  const child = spawn(process.execPath, ['inspect', new URL(url).host], { stdio: 'inherit' });
  client = child;
  child.on('exit', () => {
    if (client === child) client = null;
    inspector.close();
  });
  child.on('error', (error) => log.warning(`the debugger could not start: ${error.message}`));
  // The hook must end when its work is done, not when the user quits the debugger.
  child.unref();
  process.once('exit', () => {
    // Node waits at exit for the debugger to disconnect, and `node inspect` only leaves when its
    // target does: end the client, as pdb ends with the hook (Node resets the terminal on SIGTERM).
    if (child.exitCode === null && child.signalCode === null) {
      process.stderr.write('\nThe hook has finished; closing the debugger.\n');
      child.kill('SIGTERM');
    }
    // Close the inspector here, while the process is still whole: left to Node's own exit path
    // with the session still open, Node 20 sometimes crashes (SIGSEGV, exit 139) after the hook
    // has finished, and Juju would take the hook for failed. close() returns once the debugger
    // has gone.
    inspector.close();
  });
  inspector.waitForDebugger();
  return true;
}
