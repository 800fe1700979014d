import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@hotrepos/source'] },
  ssr: { resolve: { conditions: ['@hotrepos/source'] } },
  test: {
    include: ['libs/*/src/**/*.test.ts', 'libs/*/test/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
