import type { OrgAdminApi } from '../../shared/bridge'

declare global {
  interface Window {
    /** Exposed by the preload (Electron) or the loopback harness (browser); the renderer's only way out. */
    orgAdmin: OrgAdminApi
  }
}
