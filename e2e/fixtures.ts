import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  type APIRequestContext,
  type BrowserContext,
  test as base,
  expect,
  type Locator,
  type Page,
} from '@playwright/test'

import { E2E_ADMIN_TOKEN } from './auth.ts'

export { E2E_ADMIN_PASSWORD, E2E_ADMIN_TOKEN } from './auth.ts'

/** Signs the browser context in as admin (a session cookie, as the login page would). */
export async function login(context: BrowserContext, token = E2E_ADMIN_TOKEN): Promise<void> {
  const res = await context.request.post('/api/v1/auth/login', { data: { token } })
  expect(res.status(), await res.text()).toBe(200)
}

/** A file of e2e/data. */
export function dataFile(name: string): string {
  return join(import.meta.dirname, 'data', name)
}

/** Applies YAML through the API (setup only; journeys use the UI). */
export async function applyYaml(request: APIRequestContext, yaml: string): Promise<void> {
  const res = await request.post('/api/v1/apply', { data: { yaml } })
  expect(res.status(), await res.text()).toBe(200)
}

const PLURAL: Record<string, string> = {
  NetworkPolicy: 'networkpolicies',
  GlobalNetworkPolicy: 'globalnetworkpolicies',
  StagedNetworkPolicy: 'stagednetworkpolicies',
  StagedGlobalNetworkPolicy: 'stagedglobalnetworkpolicies',
  StagedKubernetesNetworkPolicy: 'stagedkubernetesnetworkpolicies',
  KubernetesNetworkPolicy: 'kubernetesnetworkpolicies',
}

/** The e2e tiers: the seed's, plus any a journey created in them. */
const E2E_TIERS = ['e2e-order', 'e2e-export']

/**
 * Deletes the e2e tiers, every policy in them and every `e2e-` policy elsewhere, whoever
 * added it (the next test's seed brings the seeded ones back).
 */
export async function removeSeed(request: APIRequestContext): Promise<void> {
  const board = (await (await request.get('/api/v1/board')).json()) as {
    tiers: Array<{
      name: string
      policies: Array<{ kind: string; namespace?: string; name: string }>
    }>
  }
  for (const tier of board.tiers) {
    const ours = E2E_TIERS.includes(tier.name) || tier.name.startsWith('e2e-')
    for (const p of tier.policies.filter((x) => ours || x.name.startsWith('e2e-'))) {
      const base = p.namespace ? `/api/v1/namespaces/${p.namespace}` : '/api/v1'
      const res = await request.delete(`${base}/${PLURAL[p.kind]}/${p.name}`)
      expect([200, 204, 404], `${p.kind} ${p.name}: ${await res.text()}`).toContain(res.status())
    }
    if (!ours) continue
    const res = await request.delete(`/api/v1/tiers/${tier.name}`)
    expect([200, 204, 404], `tier ${tier.name}: ${await res.text()}`).toContain(res.status())
  }
}

/** The board page: columns, cards, dragging, tier dialogs. */
export class BoardPage {
  constructor(readonly page: Page) {}

  async goto(search = ''): Promise<void> {
    await this.page.goto(`/board${search}`)
    await expect(this.page.getByTestId('tier-board')).toBeVisible()
  }

  column(tier: string): Locator {
    return this.page.locator(`[data-testid="tier-board.column"][data-tier="${tier}"]`)
  }

  cards(tier: string): Locator {
    return this.column(tier).getByTestId('tier-board.card')
  }

  card(name: string): Locator {
    return this.page.locator(`[data-testid="tier-board.card"][data-name="${name}"]`)
  }

  /** Card names of a tier, top to bottom; with `only`, just those names (others may share the tier). */
  async cardNames(tier: string, only?: readonly string[]): Promise<string[]> {
    const names = await this.cards(tier).evaluateAll((els) =>
      els.map((e) => (e as HTMLElement).dataset.name ?? ''),
    )
    return only ? names.filter((n) => only.includes(n)) : names
  }

  /** Tier names, left to right. */
  tierNames(): Promise<string[]> {
    return this.page
      .getByTestId('tier-board.column')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.tier ?? ''))
  }

  /** Drags a card with the mouse onto another card (it lands in that card's place). */
  async dragCard(name: string, onto: string): Promise<void> {
    const from = await this.card(name).boundingBox()
    const to = await this.card(onto).boundingBox()
    if (!from || !to) throw new Error('cards not visible')
    const { mouse } = this.page
    await mouse.move(from.x + from.width / 2, from.y + 12)
    await mouse.down()
    // dnd-kit starts a drag after 6 px of movement.
    await mouse.move(from.x + from.width / 2, from.y + 24, { steps: 4 })
    await mouse.move(to.x + to.width / 2, to.y + to.height / 3, { steps: 16 })
    await mouse.up()
  }
}

/** The import page: files, browser-side errors, dry run, apply. */
export class ImportPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto('/import')
    await expect(this.page.getByRole('heading', { name: 'Import YAML' })).toBeVisible()
  }

  async chooseFile(path: string): Promise<void> {
    await this.page.getByTestId('import.file').setInputFiles(path)
  }
}

/** The command palette. */
export class Palette {
  constructor(readonly page: Page) {}

  async open(): Promise<Locator> {
    await this.page.keyboard.press('Control+k')
    const dialog = this.page.getByTestId('palette')
    await expect(dialog).toBeVisible()
    return dialog
  }
}

interface Fixtures {
  board: BoardPage
  importPage: ImportPage
  palette: Palette
  /** Applies e2e/data/seed.yaml before the test; the value says it was applied. */
  seeded: boolean
  /** Skip the automatic admin sign-in of the browser context (login journeys). */
  signedOut: boolean
}

/** Page objects and the seeded store, for every journey. */
export const test = base.extend<Fixtures>({
  signedOut: [false, { option: true }],
  // API calls of setup and cleanup carry the admin token.
  request: async ({ playwright, baseURL }, use) => {
    const request = await playwright.request.newContext({
      ...(baseURL ? { baseURL } : {}),
      extraHTTPHeaders: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
    })
    await use(request)
    await request.dispose()
  },
  // Pages run in a signed-in context: the session cookie and its CSRF cookie.
  context: async ({ context, signedOut }, use) => {
    if (!signedOut) await login(context)
    await use(context)
  },
  seeded: [
    async ({ request }, use) => {
      await applyYaml(request, readFileSync(dataFile('seed.yaml'), 'utf8'))
      await use(true)
    },
    { auto: true },
  ],
  board: async ({ page }, use) => use(new BoardPage(page)),
  importPage: async ({ page }, use) => use(new ImportPage(page)),
  palette: async ({ page }, use) => use(new Palette(page)),
})

export { expect }
