#!/usr/bin/env node
// `pnpm start`: build the web app, then run the server on the embedded SQLite store.
// The server loads the demo cluster on first start and prints its URL.
import { spawn, spawnSync } from 'node:child_process'

const root = new URL('..', import.meta.url).pathname
const build = spawnSync('pnpm', ['--filter', '@policyboard/web', 'build'], {
  cwd: root,
  stdio: 'inherit',
})
if (build.status !== 0) process.exit(build.status ?? 1)

const server = spawn(
  process.execPath,
  ['node_modules/tsx/dist/cli.mjs', 'apps/server/src/server.ts'],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, WEB_DIST: process.env.WEB_DIST ?? `${root}apps/web/dist` },
  },
)
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig))
server.on('exit', (code) => process.exit(code ?? 0))
