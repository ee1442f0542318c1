/** The id of the shell's <main>: the skip link's target and where focus lands after a jump. */
export const MAIN_CONTENT_ID = 'main-content'

/**
 * Move focus to the page's main content once the current update has settled (a closing dialog
 * first gives focus back to its opener), so keyboard and screen reader users start on the page.
 */
export function focusMainContent(): void {
  requestAnimationFrame(() => document.getElementById(MAIN_CONTENT_ID)?.focus())
}
