/**
 * The application shell: sidebar (organization switcher + pages), top bar, and the page of the
 * selected organization. With no account yet, a welcome screen to sign in or accept an invitation.
 */
import { useEffect, useState } from 'react'
import { AcceptInvitationDialog } from './components/AcceptInvitationDialog'
import { AddAccountForm } from './components/AddAccountForm'
import { accountLine } from './components/AccountLabel'
import { CommandPalette } from './components/CommandPalette'
import { ReconnectedNotice } from './components/OfflineBanner'
import { SessionExpiredDialog } from './components/SessionExpiredDialog'
import { NAV, pageBlockedReason, Sidebar, SidebarToggle } from './components/Sidebar'
import { EmptyState, ErrorMessage, RoleBadge, Skeleton } from './components/ui'
import { useOrgDirectory, type OrgEntry } from './hooks/queries'
import { useBridgeEvents } from './hooks/useBridgeEvents'
import { focusMainContent, MAIN_CONTENT_ID } from './lib/focus'
import { AccountsPage } from './pages/AccountsPage'
import { ActivityPage } from './pages/ActivityPage'
import { ApiKeysPage } from './pages/ApiKeysPage'
import { BillingPage } from './pages/BillingPage'
import { DomainsPage } from './pages/DomainsPage'
import { InboxPage } from './pages/InboxPage'
import { InvitationsPage } from './pages/InvitationsPage'
import { MembersPage } from './pages/MembersPage'
import { NewOrgDialog } from './components/NewOrgDialog'
import { OrganizationsPage } from './pages/OrganizationsPage'
import { SettingsPage } from './pages/SettingsPage'
import { WorkspacesPage } from './pages/WorkspacesPage'
import { useUi, type Page } from './stores/ui'

const ORG_PAGES = {
  members: MembersPage,
  invitations: InvitationsPage,
  domains: DomainsPage,
  workspaces: WorkspacesPage,
  activity: ActivityPage,
  apiKeys: ApiKeysPage,
  billing: BillingPage,
  settings: SettingsPage,
} as const

export function App() {
  useBridgeEvents()
  const { accountsQuery, accounts, entries, isLoading } = useOrgDirectory()
  const current = useUi((s) => s.current)
  const page = useUi((s) => s.page)
  const paletteOpen = useUi((s) => s.paletteOpen)
  const newOrgOpen = useUi((s) => s.newOrgOpen)
  const sidebarOpen = useUi((s) => s.sidebarOpen)
  const selected = entries.find((e) => e.ref.accountId === current?.accountId && e.ref.orgId === current.orgId) ?? null

  // Select the first organization when none is selected, or when the selected one is gone
  // (left, removed, account forgotten). Direct setState: keep the page the user is on.
  useEffect(() => {
    if (isLoading || selected) return
    const first = entries[0]?.ref ?? null
    if (current?.accountId !== first?.accountId || current?.orgId !== first?.orgId) useUi.setState({ current: first })
  }, [isLoading, selected, entries, current])

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        useUi.getState().setPaletteOpen(true)
      }
      if (e.key === 'Escape' && useUi.getState().sidebarOpen) useUi.getState().setSidebarOpen(false)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const shownPage = effectivePage(page, selected)
  if (accountsQuery.isLoading) return <Skeleton label="Loading accounts" />
  if (accountsQuery.error) return <ErrorMessage error={accountsQuery.error} />
  if (accounts.length === 0) return <Welcome />

  return (
    <div className="shell" data-sidebar={sidebarOpen ? 'open' : undefined}>
      <a className="skip-link" href={`#${MAIN_CONTENT_ID}`} onClick={(e) => (e.preventDefault(), focusMainContent())}>
        Skip to content
      </a>
      <Sidebar myRole={selected?.org.myRole ?? null} page={shownPage} />
      <div className="main">
        <TopBar selected={selected} />
        {/* In the tab order: the page scrolls here, and keyboard users must be able to scroll it. */}
        <main id={MAIN_CONTENT_ID} className="content" tabIndex={0}>
          {renderPage(shownPage, selected, isLoading)}
        </main>
      </div>
      {paletteOpen && <CommandPalette />}
      {newOrgOpen && <NewOrgDialog />}
      <SessionExpiredDialog />
      <ReconnectedNotice />
    </div>
  )
}

/** A page the role cannot see (e.g. after switching organization) falls back to Members. */
function effectivePage(page: Page, selected: OrgEntry | null): Page {
  const item = NAV.find((n) => n.page === page)
  return selected && item && pageBlockedReason(item, selected.org.myRole) ? 'members' : page
}

function renderPage(page: Page, selected: OrgEntry | null, loading: boolean) {
  if (page === 'organizations') return <OrganizationsPage />
  if (page === 'accounts') return <AccountsPage />
  if (page === 'inbox') return <InboxPage />
  if (!selected) {
    return loading ? (
      <Skeleton label="Loading organizations" />
    ) : (
      <EmptyState title="No organization selected">
        <p>Accept an invitation or add another account on the Accounts page.</p>
      </EmptyState>
    )
  }
  const Component = ORG_PAGES[page]
  // Keyed by organization: page-local state (search, selection, dialogs) never leaks across orgs.
  return <Component key={`${selected.ref.accountId}/${selected.ref.orgId}`} />
}

function TopBar({ selected }: { selected: OrgEntry | null }) {
  return (
    <header className="topbar">
      <SidebarToggle />
      {selected ? (
        <>
          <span className="topbar-org" data-testid="current-org">
            {selected.org.name}
          </span>
          <span className="row" aria-label={`Your role: ${selected.org.myRole}`}>
            <RoleBadge role={selected.org.myRole} />
          </span>
          <span className="spacer" />
          <span className="muted truncate" title={selected.account.baseUrl}>
            {accountLine(selected.account)}
          </span>
        </>
      ) : (
        <span className="muted">No organization selected</span>
      )}
    </header>
  )
}

function Welcome() {
  const [accepting, setAccepting] = useState(false)
  return (
    <main className="welcome">
      <div className="card welcome-card stack">
        <div>
          <h1>Welcome to Org Admin</h1>
          <p className="muted">Sign in to the organization server you administer, or join with an invitation link.</p>
        </div>
        <AddAccountForm />
        <div className="divider">or</div>
        <button className="btn" onClick={() => setAccepting(true)}>
          I have an invitation link
        </button>
      </div>
      {accepting && <AcceptInvitationDialog onClose={() => setAccepting(false)} />}
    </main>
  )
}
