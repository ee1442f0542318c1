/**
 * Inbox: for every signed-in account, the invitations addressed to that person and the
 * organizations suggested to them, answered here without a link.
 */
import { useState } from 'react'
import type { AccountSummary } from '../../../shared/ipc'
import { ROLE_LABELS } from '../../../shared/roles'
import { EmptyState, ErrorMessage, formatDate, Skeleton } from '../components/ui'
import { useEmailVerification, useInbox, useInboxMutations } from '../hooks/inbox'
import { useAccounts } from '../hooks/queries'
import '../styles/pages.css'

export function InboxPage() {
  // An API key is nobody's mailbox: only people have an inbox.
  const accounts = (useAccounts().data ?? []).filter((a) => a.status === 'signed_in' && a.kind === 'user')
  return (
    <section className="stack" aria-labelledby="inbox-title">
      <div className="page-header">
        <h1 id="inbox-title">Inbox</h1>
      </div>
      <p className="muted" style={{ maxWidth: '70ch', margin: 0 }}>
        Invitations and suggested organizations for each of your accounts. Nothing joins you to an organization until you accept.
      </p>
      {accounts.length === 0 ? <EmptyState title="No signed-in account">Sign in on the Accounts page.</EmptyState> : accounts.map((a) => <AccountInbox key={a.id} account={a} />)}
    </section>
  )
}

function AccountInbox({ account }: { account: AccountSummary }) {
  const inbox = useInbox(account.id)
  const { accept, decline, requestToJoin } = useInboxMutations(account.id)
  const data = inbox.data
  const empty = data && data.invitations.length === 0 && data.suggestions.length === 0
  return (
    <article className="card stack" aria-label={`Inbox of ${account.email}`}>
      <h2 className="card-title" style={{ margin: 0 }}>{account.email}</h2>
      <ErrorMessage error={inbox.error ?? accept.error ?? decline.error ?? requestToJoin.error} />
      {inbox.isLoading ? (
        <Skeleton rows={2} label="Loading inbox" />
      ) : data && !data.emailVerified ? (
        <VerifyEmail account={account} />
      ) : empty ? (
        <p className="muted">Nothing waiting for you.</p>
      ) : (
        <ul className="compact-list inbox-list">
          {data?.invitations.map((i) => (
            <li key={i.id} aria-label={`Invitation to ${i.orgName}`} className="row" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
              <span>
                <strong>{i.orgName}</strong> invites you as {ROLE_LABELS[i.role]}
                <span className="muted"> · {i.automatic ? 'your verified domain' : `from ${i.invitedBy?.displayName ?? 'an administrator'}`} · expires {formatDate(i.expiresAt)}</span>
              </span>
              <span className="row">
                <button className="btn btn-primary btn-sm" disabled={accept.isPending} onClick={() => accept.mutate(i.id)}>Accept</button>
                <button className="btn btn-sm" disabled={decline.isPending} onClick={() => decline.mutate(i.id)}>Decline</button>
              </span>
            </li>
          ))}
          {data?.suggestions.map((s) => (
            <li key={s.orgId} aria-label={`Suggestion: ${s.orgName}`} className="row" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
              <span>
                <strong>{s.orgName}</strong> <span className="muted">· suggested because your address is at {s.domain}</span>
              </span>
              {s.requested ? (
                <span className="badge">Request sent</span>
              ) : (
                <button className="btn btn-sm" disabled={requestToJoin.isPending} onClick={() => requestToJoin.mutate(s.orgId)}>Ask to join</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </article>
  )
}

/** The code from the verification email proves the mailbox; until then nothing address-based reaches this account. */
function VerifyEmail({ account }: { account: AccountSummary }) {
  const [code, setCode] = useState('')
  const { confirm, resend } = useEmailVerification(account.id)
  return (
    <form className="stack" aria-label={`Verify ${account.email}`} onSubmit={(e) => (e.preventDefault(), confirm.mutate(code))}>
      <p className="muted" role="status" style={{ margin: 0 }}>
        Verify {account.email} to receive invitations and suggestions here: enter the 6-digit code we emailed, or open the link in that email.
      </p>
      <div className="row" style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}>
        <label className="field">
          <span>Verification code</span>
          <input className="input" inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required value={code} onChange={(e) => setCode(e.target.value.trim())} />
        </label>
        <button className="btn btn-primary" type="submit" disabled={confirm.isPending}>Verify</button>
        <button className="btn" type="button" disabled={resend.isPending} onClick={() => resend.mutate()}>
          {resend.isSuccess ? 'New code sent' : 'Send a new code'}
        </button>
      </div>
      <ErrorMessage error={confirm.error ?? resend.error} />
    </form>
  )
}
