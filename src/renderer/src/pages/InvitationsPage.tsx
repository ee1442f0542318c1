/** Invite people, and follow every invitation: pending (with time left), expired, revoked, accepted. */
import { useState } from 'react'
import { INVITATION_STATUSES, type Invitation } from '../../../shared/api'
import { InvitationTable } from '../components/invitations/InvitationTable'
import { InviteForm } from '../components/invitations/InviteForm'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { ErrorMessage, Skeleton } from '../components/ui'
import { useAccounts, useInvitations, useOrg } from '../hooks/queries'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

const TAB_LABEL: Record<Invitation['status'], string> = { pending: 'Pending', expired: 'Expired', revoked: 'Revoked', declined: 'Declined', accepted: 'Accepted' }

export function InvitationsPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref)
  const invitations = useInvitations(ref)
  const me = useAccounts().data?.find((a) => a.id === ref.accountId)
  const offline = useOffline(ref.accountId, invitations.data)
  const [tab, setTab] = useState<Invitation['status']>('pending')
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
      {detail && <InviteForm orgRef={ref} org={detail} invitations={items} offline={offline} />}
      <div className="card stack">
        <div role="tablist" aria-label="Invitation status" className="tabs">
          {INVITATION_STATUSES.map((s) => (
            <button key={s} role="tab" aria-selected={tab === s} className="tab" onClick={() => setTab(s)}>
              {TAB_LABEL[s]} <span className="badge">{items.filter((i) => i.status === s).length}</span>
            </button>
          ))}
        </div>
        <div role="tabpanel" aria-label={`${TAB_LABEL[tab]} invitations`}>
          {invitations.isLoading ? (
            <Skeleton label="Loading invitations" rows={4} />
          ) : (
            <InvitationTable
              orgRef={ref}
              status={tab}
              items={items.filter((i) => i.status === tab)}
              canManage={canManage}
              blocked={offline ? OFFLINE_REASON : null}
            />
          )}
        </div>
      </div>
    </section>
  )
}
