import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

/**
 * The demo workload: an HTTP server on 127.0.0.1:<port> that answers `/health` with 200 and `/`
 * with the greeting read from its config file at start (so only a restart applies a change).
 */
export function serveDemoWorkload(port: number, configPath: string): void {
  const greeting = readFileSync(configPath, 'utf8');
  const started = Date.now();
  const server = createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ greeting, started, pid: process.pid }));
  });
  server.listen(port, '127.0.0.1');
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
