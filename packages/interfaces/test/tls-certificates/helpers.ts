import { createHash } from 'node:crypto';

export * from '../../src/tls-certificates/index.js';

/** sha256 hex of a CSR's PEM, computed independently of the code under test. */
export function csrDigestForTest(pem: string): string {
  return createHash('sha256').update(pem.trim()).digest('hex');
}
