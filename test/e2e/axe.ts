/**
 * Accessibility gate for the Playwright suite: axe-core on what is on screen, in the light and
 * the dark theme, failing on any violation (contrast included, hence both themes).
 */
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect } from './fixtures'

/** `within`: a selector to check only that part (a dialog; the page under it is checked on its own). */
export async function expectAccessible(page: Page, what: string, within?: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    const builder = new AxeBuilder({ page })
    const { violations } = await (within ? builder.include(within) : builder).analyze()
    const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
    expect(found, `axe violations on ${what}, ${colorScheme} theme`).toEqual([])
  }
  await page.emulateMedia({ colorScheme: null })
}
