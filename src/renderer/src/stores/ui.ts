/**
 * UI state only (what is selected, what is open). Server data lives in TanStack Query.
 */
import { create } from 'zustand'
import { persist } from 'zustand/middleware'

export const PAGES = ['members', 'invitations', 'domains', 'workspaces', 'activity', 'apiKeys', 'billing', 'settings', 'inbox', 'organizations', 'accounts'] as const
export type Page = (typeof PAGES)[number]

export interface OrgRef {
  accountId: string
  orgId: string
}

interface UiState {
  current: OrgRef | null
  page: Page
  paletteOpen: boolean
  /** On narrow windows the sidebar is folded away and opens over the page. */
  sidebarOpen: boolean
  /** The "New organization" dialog (from Organizations or Ctrl+K). */
  newOrgOpen: boolean
  /** Most recently used first; orders Ctrl+K's list (the sidebar keeps the server's order). */
  recent: OrgRef[]
  /** The member whose detail panel is open on the members page. */
  memberPanel: string | null
  openMemberPanel(userId: string | null): void
  selectOrg(ref: OrgRef): void
  setPage(page: Page): void
  setPaletteOpen(open: boolean): void
  setSidebarOpen(open: boolean): void
  setNewOrgOpen(open: boolean): void
  forgetAccount(accountId: string): void
}

const sameOrg = (a: OrgRef, b: OrgRef) => a.accountId === b.accountId && a.orgId === b.orgId

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      current: null,
      page: 'members',
      paletteOpen: false,
      sidebarOpen: false,
      newOrgOpen: false,
      recent: [],
      memberPanel: null,
      openMemberPanel: (memberPanel) => set({ memberPanel }),
      selectOrg: (ref) =>
        set((s) => ({
          current: ref,
          memberPanel: null,
          paletteOpen: false,
          sidebarOpen: false,
          page: s.page === 'accounts' || s.page === 'organizations' || s.page === 'inbox' ? 'members' : s.page,
          recent: [ref, ...s.recent.filter((r) => !sameOrg(r, ref))].slice(0, 50),
        })),
      setPage: (page) => set({ page, sidebarOpen: false }),
      setPaletteOpen: (paletteOpen) => set({ paletteOpen }),
      setSidebarOpen: (sidebarOpen) => set({ sidebarOpen }),
      setNewOrgOpen: (newOrgOpen) => set({ newOrgOpen, paletteOpen: false }),
      forgetAccount: (accountId) =>
        set((s) => ({
          current: s.current?.accountId === accountId ? null : s.current,
          recent: s.recent.filter((r) => r.accountId !== accountId),
        })),
    }),
    { name: 'org-admin-ui', partialize: (s) => ({ current: s.current, page: s.page, recent: s.recent }) },
  ),
)

/** The organization the pages work on; pages render only when one is selected. */
export function useCurrentOrg(): OrgRef {
  const current = useUi((s) => s.current)
  if (!current) throw new Error('useCurrentOrg used outside a selected organization')
  return current
}
