import { spawnSync } from 'node:child_process';

/** Does the demo workload on `port` answer its health check? Synchronous, for invariants. */
export function answers(port: number): boolean {
  const url = `http://127.0.0.1:${port}/health`;
  const curl = spawnSync('curl', ['-sf', '-m', '1', url], { encoding: 'utf8' });
  if (!curl.error) return curl.status === 0;
  // No curl: ask Node.
  const node = spawnSync(process.execPath, [
    '-e',
    `fetch(${JSON.stringify(url)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`,
  ]);
  return node.status === 0;
}
