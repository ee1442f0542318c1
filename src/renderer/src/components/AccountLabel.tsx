/**
 * How an account is named and its state shown, the same everywhere accounts are listed
 * (sidebar, Ctrl+K, top bar, Accounts): its own name or email, its server with the scheme,
 * and main's one account state.
 */
import type { AccountState, AccountSummary } from '../../../shared/ipc'
import { isInsecureRemote, serverLabel } from '../../../shared/servers'

export const ACCOUNT_STATE: Record<AccountState, { label: string; tone: string }> = {
  signed_in: { label: 'Signed in', tone: 'badge-success' },
  offline: { label: 'Offline', tone: 'badge-warning' },
  expired: { label: 'Session expired', tone: 'badge-warning' },
  signed_out: { label: 'Signed out', tone: '' },
}

export const accountTitle = (a: AccountSummary) => a.name ?? a.email

/** "admin@x · https://orgs.example.com", for lines that name one account. */
export const accountLine = (a: AccountSummary) => `${accountTitle(a)} · ${serverLabel(a.baseUrl)}`

export function AccountServer({ account }: { account: AccountSummary }) {
  const insecure = isInsecureRemote(account.baseUrl)
  return (
    <span className="muted truncate account-server" title={account.baseUrl}>
      {serverLabel(account.baseUrl)}
      {insecure && <span className="badge badge-warning">Not encrypted</span>}
    </span>
  )
}

/** The state badge; `quiet` hides it while all is well (the sidebar only flags trouble). */
export function AccountStateBadge({ account, quiet = false }: { account: AccountSummary; quiet?: boolean }) {
  if (quiet && account.state === 'signed_in') return null
  const { label, tone } = ACCOUNT_STATE[account.state]
  return <span className={`badge ${tone}`.trim()}>{label}</span>
}
