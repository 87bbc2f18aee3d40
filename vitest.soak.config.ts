import { defineConfig } from 'vitest/config';

// `npm run soak`: long seeded fault runs, kept out of `npm test` (minutes, not seconds).
export default defineConfig({
  ssr: { resolve: { conditions: ['@charmkit/source'] } },
  resolve: { conditions: ['@charmkit/source'] },
  test: {
    include: ['soak/**/*.soak.test.ts'],
    testTimeout: 3_600_000,
    reporters: ['verbose'],
  },
});
