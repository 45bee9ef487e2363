#!/usr/bin/env node
// `pnpm test`: lint, type-check, every Vitest project (unit, SQLite and PostgreSQL
// integration), then the Playwright end-to-end suite in Debian's Chromium. Ends with one
// line `N passed, N failed` counting every test and every check, so a run that executed
// nothing is visible.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const out = join(root, '.test-results')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

const only = process.argv.slice(2) // e.g. `pnpm test unit` runs one stage
const env = {
  ...process.env,
  TEST_DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
}

let passed = 0
let failed = 0
const failures = []

function run(title, cmd, args, opts = {}) {
  console.log(`\n=== ${title}: ${cmd} ${args.join(' ')}`)
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts })
  return r.status === 0
}

function check(title, cmd, args) {
  if (run(title, cmd, args)) passed += 1
  else {
    failed += 1
    failures.push(title)
  }
}

function countVitest(file) {
  if (!existsSync(file)) return false
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests + (report.numTotalTestSuites > 0 ? 0 : 1)
  // a file that failed to load has no tests but fails the run
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
      failed += 1
      failures.push(`vitest: ${suite.name}`)
    }
  }
  return true
}

function countPlaywright(file) {
  if (!existsSync(file)) return false
  const report = JSON.parse(readFileSync(file, 'utf8'))
  const s = report.stats ?? {}
  passed += (s.expected ?? 0) + (s.flaky ?? 0)
  failed += s.unexpected ?? 0
  if ((report.errors ?? []).length > 0) failed += report.errors.length
  return true
}

const want = (stage) => only.length === 0 || only.includes(stage)

if (want('lint')) check('lint', 'pnpm', ['exec', 'biome', 'check', '.'])
if (want('typecheck')) {
  for (const p of [
    '.',
    'packages/policy-core',
    'packages/api',
    'apps/cli',
    'apps/server',
    'apps/web',
    'e2e',
  ]) {
    if (existsSync(join(root, p, 'tsconfig.json')))
      check(`typecheck ${p}`, 'pnpm', ['exec', 'tsc', '-p', `${p}/tsconfig.json`, '--noEmit'])
  }
}
if (want('unit')) {
  const file = join(out, 'vitest.json')
  const ok = run('unit and integration tests', 'pnpm', [
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${file}`,
  ])
  if (!countVitest(file)) {
    failed += 1
    failures.push('vitest produced no report')
  } else if (!ok && failures.length === 0 && failed === 0) {
    failed += 1
    failures.push('vitest exited non-zero')
  }
}
if (want('e2e') && existsSync(join(root, 'e2e', 'playwright.config.ts'))) {
  const file = join(out, 'playwright.json')
  const ok = run('end-to-end tests', 'pnpm', ['--filter', '@policyboard/e2e', 'test'], {
    env: { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: file },
  })
  if (!countPlaywright(file)) {
    failed += 1
    failures.push('playwright produced no report')
  } else if (!ok && failed === 0) {
    failed += 1
    failures.push('playwright exited non-zero')
  }
}

if (failures.length) console.log(`\nfailed: ${failures.join(', ')}`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
