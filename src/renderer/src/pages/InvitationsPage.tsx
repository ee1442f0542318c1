/** Invite people, and follow every invitation: pending (with time left), expired, revoked, accepted. */
import { useId, useRef, useState, type KeyboardEvent } from 'react'
import { INVITATION_STATUSES, type Invitation } from '../../../shared/api'
import { can } from '../../../shared/roles'
import { InvitationTable } from '../components/invitations/InvitationTable'
import { JoinRequests } from '../components/invitations/JoinRequests'
import { CopyLink } from '../components/invitations/CopyLink'
import { InviteForm, type ShownLink } from '../components/invitations/InviteForm'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { ErrorMessage, Skeleton } from '../components/ui'
import { useAccount, useInvitations, useOrg } from '../hooks/queries'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

const TAB_LABEL: Record<Invitation['status'], string> = { pending: 'Pending', expired: 'Expired', revoked: 'Revoked', declined: 'Declined', accepted: 'Accepted' }

export function InvitationsPage() {
  const ref = useCurrentOrg()
  const panelId = useId()
  const org = useOrg(ref)
  const invitations = useInvitations(ref)
  const me = useAccount(ref.accountId)
  const offline = useOffline(ref.accountId, invitations.data)
  const [tab, setTab] = useState<Invitation['status']>('pending')
  // One link panel for the whole page: a newer link replaces the last one.
  const [link, setLink] = useState<ShownLink | null>(null)
  const items = invitations.data?.data.items ?? []
  const detail = org.data?.data
  const canManage = (inv: Invitation) =>
    detail?.myRole === 'owner' || inv.invitedBy?.email === me?.email ? null : 'Only an Owner or the person who sent it can manage this invitation'

  return (
    <section className="stack" aria-labelledby="invitations-title">
      <div className="page-header">
        <h1 id="invitations-title">Invitations</h1>
        {detail && <span className="muted">{detail.name}</span>}
      </div>
      {offline && <OfflineBanner syncedAt={invitations.data?.syncedAt ?? null} />}
      <ErrorMessage error={org.error ?? invitations.error} />
      {detail && <InviteForm orgRef={ref} org={detail} invitations={items} offline={offline} onLink={setLink} />}
      {link && (
        <div className="card">
          <CopyLink key={link.url} url={link.url} label={`Invitation link for ${link.email}`} onDismiss={() => setLink(null)} />
          {link.replaced && <p className="muted">This new link replaces the one sent before, which no longer works.</p>}
        </div>
      )}
      {detail && can(detail.myRole, 'joinRequests.decide') && <JoinRequests orgRef={ref} orgName={detail.name} offline={offline} />}
      <div className="card stack">
        <StatusTabs tab={tab} onChange={setTab} count={(s) => items.filter((i) => i.status === s).length} panelId={panelId} />
        <div role="tabpanel" id={panelId} aria-labelledby={`${panelId}-${tab}`} tabIndex={0}>
          {invitations.isLoading ? (
            <Skeleton label="Loading invitations" rows={4} />
          ) : (
            <InvitationTable
              orgRef={ref}
              status={tab}
              items={items.filter((i) => i.status === tab)}
              canManage={canManage}
              blocked={offline ? OFFLINE_REASON : null}
              onLink={setLink}
            />
          )}
        </div>
      </div>
    </section>
  )
}

type Status = Invitation['status']

/** The ARIA tabs pattern: one tab stop, arrows (and Home / End) move between statuses. */
function StatusTabs({ tab, onChange, count, panelId }: { tab: Status; onChange: (s: Status) => void; count: (s: Status) => number; panelId: string }) {
  const list = useRef<HTMLDivElement>(null)
  const onKeyDown = (e: KeyboardEvent) => {
    const i = INVITATION_STATUSES.indexOf(tab)
    const n = INVITATION_STATUSES.length
    const next = { ArrowRight: (i + 1) % n, ArrowLeft: (i - 1 + n) % n, Home: 0, End: n - 1 }[e.key]
    if (next === undefined) return
    e.preventDefault()
    const status = INVITATION_STATUSES[next]!
    onChange(status)
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(`${panelId}-${status}`)}`)?.focus()
  }
  return (
    <div ref={list} role="tablist" aria-label="Invitation status" className="tabs" onKeyDown={onKeyDown}>
      {INVITATION_STATUSES.map((s) => (
        <button
          key={s}
          id={`${panelId}-${s}`}
          role="tab"
          aria-selected={tab === s}
          aria-controls={panelId}
          tabIndex={tab === s ? 0 : -1}
          className="tab"
          onClick={() => onChange(s)}
        >
          {TAB_LABEL[s]} <span className="badge">{count(s)}</span>
        </button>
      ))}
    </div>
  )
}
