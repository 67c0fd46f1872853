import { defineConfig } from 'vitest/config';

// Two projects: the backend (node) and the UI extension, whose SDK testing entry registers its matchers
// on the global `expect` at import time, hence `globals: true`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'backend',
          include: ['backend/**/*.test.ts', 'tests/**/*.test.ts'],
          environment: 'node',
          globals: true,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Every test file builds its own app and database; two workers fit the 2-core machine.
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'extension',
          include: ['src/**/*.test.{ts,tsx}'],
          environment: 'node',
          globals: true,
          testTimeout: 15_000,
        },
      },
    ],
  },
});
