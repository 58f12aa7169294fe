import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

export default defineConfig({
  resolve: {
    alias: [{ find: /^zsim\/(.*)$/, replacement: fileURLToPath(new URL('./src/$1', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on CI's two cores, one. Most files
    // wait on child processes (zsim, mosquitto), so two workers keep both cores busy.
    maxWorkers: 2,
  },
});
