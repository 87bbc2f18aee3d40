import { request } from 'node:http';

/** True when `url` answers 200 within `timeoutMs`. */
export function httpHealthy(url: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}
