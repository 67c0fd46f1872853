import { defineConfig } from 'vitest/config';

// Two projects: the backend (node) and the UI extension, whose SDK testing entry registers its matchers
// on the global `expect` at import time, hence `globals: true`.
export default defineConfig({
  test: {
    // Every backend test file builds its own app, database and stand-ins; two workers fit the 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'backend',
          include: ['backend/**/*.test.ts', 'tests/**/*.test.ts'],
          environment: 'node',
          globals: true,
          testTimeout: 30_000,
          hookTimeout: 60_000,
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
