import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { defineConfig } from '@playwright/test'
import { E2E_ADMIN_PASSWORD, E2E_ADMIN_TOKEN } from './auth.ts'

// Journeys against the real server and the built web app, in Debian's Chromium. Nothing is
// downloaded: the browser is CHROMIUM_PATH (default /usr/bin/chromium).

const root = resolve(import.meta.dirname, '..')
const port = Number(process.env.E2E_PORT ?? 18080)
const external = process.env.PLAYWRIGHT_BASE_URL
const baseURL = external ?? `http://127.0.0.1:${port}`

// One fresh data directory per run. Workers re-read this file; the variable keeps them on
// the directory the main process created.
process.env.PB_E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), 'policyboard-e2e-'))
// The app is built into the run's own directory rather than apps/web/dist, so a `vite build`
// run by someone else meanwhile (which empties dist/) cannot pull pages from under the tests.
const webDist = join(process.env.PB_E2E_DATA_DIR, 'web')

export default defineConfig({
  testDir: 'specs',
  outputDir: 'test-results',
  // The journeys share one server and its store: run them one at a time.
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 2 : 0,
  timeout: 30_000,
  expect: { timeout: 7_000 },
  reporter: [
    ['list'],
    [
      'json',
      { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? 'test-results/results.json' },
    ],
  ],
  use: {
    baseURL,
    trace: 'on-first-retry',
    viewport: { width: 1600, height: 900 },
    acceptDownloads: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: external
    ? undefined
    : {
        command: `pnpm --filter @policyboard/web exec vite build --outDir ${webDist} --emptyOutDir && pnpm --filter @policyboard/server exec tsx src/server.ts`,
        cwd: root,
        url: `${baseURL}/healthz`,
        reuseExistingServer: false,
        timeout: 180_000,
        stdout: 'ignore',
        stderr: 'pipe',
        env: {
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: process.env.PB_E2E_DATA_DIR,
          POLICYBOARD_DEMO: 'true',
          WEB_DIST: webDist,
          LOG_LEVEL: 'warn',
          // Known admin credentials: fixtures log in with them (API token and session cookie).
          POLICYBOARD_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
          POLICYBOARD_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
          // The suite's journeys make many API calls from one session.
          API_RATE_LIMIT: '100000',
          // Every journey signs in once.
          LOGIN_RATE_LIMIT: '10000',
        },
      },
})
