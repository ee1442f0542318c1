// Regenerates resources/icon.png (512×512, transparent) from resources/icon.svg with Chromium.
import { chromium } from 'playwright-core'
import { readFile } from 'node:fs/promises'

const svg = await readFile(new URL('../resources/icon.svg', import.meta.url), 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
})
const page = await browser.newPage({ viewport: { width: 512, height: 512 } })
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
await page.locator('svg').screenshot({ path: new URL('../resources/icon.png', import.meta.url).pathname, omitBackground: true })
await browser.close()
