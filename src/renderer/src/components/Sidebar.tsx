/**
 * Left sidebar: every organization of every account (grouped by account, in the server's order so
 * positions never move under the pointer; recent order is Ctrl+K's) and the page nav.
 */
import { can, type Privilege, type Role } from '../../../shared/roles'
import { useOrgDirectory } from '../hooks/queries'
import { useUi, type Page } from '../stores/ui'
import { AccountServer, AccountStateBadge, accountLine, accountTitle } from './AccountLabel'
import { RoleBadge } from './ui'

interface NavItem {
  page: Page
  label: string
  /** Pages about the selected organization need one, and some need a privilege. */
  needsOrg: boolean
  privilege?: { name: Privilege; reason: string }
}

export const NAV: readonly NavItem[] = [
  { page: 'members', label: 'Members', needsOrg: true },
  { page: 'invitations', label: 'Invitations', needsOrg: true },
  { page: 'domains', label: 'Trusted domains', needsOrg: true },
  { page: 'workspaces', label: 'Workspaces', needsOrg: true },
  { page: 'activity', label: 'Activity', needsOrg: true, privilege: { name: 'activity.view', reason: 'Only an Owner can view activity' } },
  { page: 'apiKeys', label: 'API keys', needsOrg: true, privilege: { name: 'apiKeys.view', reason: 'Your role cannot view API keys' } },
  { page: 'billing', label: 'Billing', needsOrg: true, privilege: { name: 'billing.view', reason: 'Only an Owner or a Billing Admin can see billing' } },
  { page: 'settings', label: 'Settings', needsOrg: true, privilege: { name: 'org.settings.view', reason: 'Your role cannot view the settings' } },
  { page: 'inbox', label: 'Inbox', needsOrg: false },
  { page: 'organizations', label: 'Organizations', needsOrg: false },
  { page: 'accounts', label: 'Accounts', needsOrg: false },
]

/** Why `page` is unavailable for this role (null: available). */
export function pageBlockedReason(item: NavItem, role: Role | null): string | null {
  if (!item.needsOrg) return null
  if (!role) return 'Select an organization first'
  if (item.privilege && !can(role, item.privilege.name)) return item.privilege.reason
  return null
}

export function Sidebar({ myRole, page }: { myRole: Role | null; page: Page }) {
  const { groups } = useOrgDirectory()
  const { current, selectOrg, setPage, setPaletteOpen } = useUi()
  return (
    <aside className="sidebar" id={SIDEBAR_ID}>
      <div className="brand">Org Admin</div>
      <button className="btn palette-trigger" onClick={() => setPaletteOpen(true)} aria-keyshortcuts="Control+K Meta+K">
        <span>Find organization…</span>
        <kbd>Ctrl K</kbd>
      </button>
      <nav aria-label="Organizations" className="org-switcher">
        {groups.map((g) => (
          <div key={g.account.id} role="group" aria-label={accountLine(g.account)} className="org-group">
            <div className="org-group-label">
              <span className="stack org-group-account">
                <span className="truncate">{accountTitle(g.account)}</span>
                <AccountServer account={g.account} />
              </span>
              <AccountStateBadge account={g.account} quiet />
            </div>
            {g.isLoading && <div className="muted org-note">Loading…</div>}
            {!g.isLoading && g.orgs.length === 0 && (
              <div className="muted org-note">{g.error ? 'Could not load organizations' : 'No organizations'}</div>
            )}
            <ul>
              {g.orgs.map((org) => {
                const selected = current?.accountId === g.account.id && current.orgId === org.id
                return (
                  <li key={org.id}>
                    <button
                      className="org-item"
                      aria-current={selected ? 'true' : undefined}
                      onClick={() => selectOrg({ accountId: g.account.id, orgId: org.id })}
                    >
                      <span className="org-name">{org.name}</span>
                      <RoleBadge role={org.myRole} />
                    </button>
                  </li>
                )
              })}
            </ul>
          </div>
        ))}
      </nav>
      <nav aria-label="Pages" className="page-nav">
        {NAV.map((item) => {
          const reason = pageBlockedReason(item, myRole)
          return (
            <button
              key={item.page}
              className={`nav-item${item.page === 'inbox' ? ' nav-sep' : ''}`}
              aria-current={page === item.page ? 'page' : undefined}
              disabled={reason !== null}
              title={reason ?? undefined}
              onClick={() => setPage(item.page)}
            >
              {item.label}
            </button>
          )
        })}
      </nav>
    </aside>
  )
}

const SIDEBAR_ID = 'sidebar'

/** Opens the folded sidebar on narrow windows (hidden by CSS where the sidebar always shows). */
export function SidebarToggle() {
  const open = useUi((s) => s.sidebarOpen)
  const setOpen = useUi((s) => s.setSidebarOpen)
  return (
    <button className="btn btn-sm sidebar-toggle" aria-expanded={open} aria-controls={SIDEBAR_ID} onClick={() => setOpen(!open)}>
      {open ? 'Close menu' : 'Menu'}
    </button>
  )
}
