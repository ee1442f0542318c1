/** Invitations of one status, with resend / revoke / copy link for the ones this user may manage. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import type { Invitation } from '../../../../shared/api'
import { ROLE_LABELS } from '../../../../shared/roles'
import { call, orgAdmin, qk } from '../../lib/bridge'
import type { OrgRef } from '../../stores/ui'
import { Dialog, EmptyState, ErrorMessage, formatDate, useNow } from '../ui'
import { DeliveryBadge } from './DeliveryBadge'
import type { ShownLink } from './InviteForm'

function timeLeft(expiresAt: string, now: number): { text: string; urgent: boolean } {
  const ms = new Date(expiresAt).getTime() - now
  if (ms <= 0) return { text: 'expired', urgent: true }
  const hours = Math.floor(ms / 3_600_000)
  return { text: hours >= 1 ? `${hours} h left` : `${Math.max(1, Math.round(ms / 60_000))} min left`, urgent: hours < 6 }
}

export function InvitationTable({
  orgRef,
  items,
  status,
  canManage,
  blocked,
  onLink,
}: {
  orgRef: OrgRef
  items: Invitation[]
  status: Invitation['status']
  /** Why this user may not manage that invitation, or null. */
  canManage: (inv: Invitation) => string | null
  /** Why no action is possible right now (offline), or null. */
  blocked: string | null
  /** Show a link in the page's one link panel. */
  onLink: (link: ShownLink) => void
}) {
  const client = useQueryClient()
  const now = useNow()
  const [revoking, setRevoking] = useState<Invitation | null>(null)
  const refresh = () => {
    void client.invalidateQueries({ queryKey: qk.invitations(orgRef.accountId, orgRef.orgId) })
    void client.invalidateQueries({ queryKey: qk.org(orgRef.accountId, orgRef.orgId) })
    void client.invalidateQueries({ queryKey: qk.orgs(orgRef.accountId) })
  }
  const resend = useMutation({
    mutationFn: (inv: Invitation) => call(orgAdmin().invitations.resend({ ...orgRef, invitationId: inv.id })),
    onSuccess: (l, inv) => (onLink({ email: inv.email, url: l.url, replaced: inv.status === 'pending' }), refresh()),
  })
  const copy = useMutation({
    mutationFn: (inv: Invitation) => call(orgAdmin().invitations.link({ ...orgRef, invitationId: inv.id })),
    onSuccess: (l, inv) => onLink({ email: inv.email, url: l.url }),
  })
  const revoke = useMutation({
    mutationFn: (inv: Invitation) => call(orgAdmin().invitations.revoke({ ...orgRef, invitationId: inv.id })),
    onSuccess: () => (setRevoking(null), refresh()),
  })

  if (items.length === 0) return <EmptyState title={`No ${status} invitations`} />
  return (
    <div className="stack">
      <ErrorMessage error={resend.error ?? copy.error} />
      <table className="simple" aria-label={`${status} invitations`}>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Invited by</th>
            <th scope="col">{status === 'pending' ? 'Expires' : status === 'accepted' ? 'Accepted' : status === 'revoked' ? 'Revoked' : 'Expired'}</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((inv) => {
            const reason = blocked ?? canManage(inv)
            const left = timeLeft(inv.expiresAt, now)
            return (
              <tr key={inv.id} aria-label={inv.email}>
                <td>
                  {inv.email} {inv.trustedDomain && <span className="badge">trusted domain</span>}{' '}
                  {status === 'pending' && <DeliveryBadge state={inv.delivery} />}
                </td>
                <td>{ROLE_LABELS[inv.role]}</td>
                <td className="muted">{inv.invitedBy?.displayName ?? (inv.automatic ? 'Automatic (verified domain)' : '—')}</td>
                <td>
                  {status === 'pending' ? (
                    <span className={left.urgent ? 'badge badge-warning' : 'muted'}>{left.text}</span>
                  ) : (
                    formatDate(inv.acceptedAt ?? inv.revokedAt ?? inv.expiresAt)
                  )}
                </td>
                <td className="cell-actions">
                  {(status === 'pending' || status === 'expired') && (
                    <div className="row" style={{ justifyContent: 'flex-end' }}>
                      {status === 'pending' && (
                        <button className="btn btn-sm" disabled={!!reason || copy.isPending}
                          aria-label={`Copy link for ${inv.email}`} onClick={() => copy.mutate(inv)}
                          title={reason ?? 'Shows the link that was sent; it keeps working'}>
                          Copy link
                        </button>
                      )}
                      <button className="btn btn-sm" disabled={!!reason || resend.isPending}
                        aria-label={`Resend to ${inv.email}`} onClick={() => resend.mutate(inv)}
                        title={reason ?? (status === 'pending' ? 'Replaces the link: the one already sent stops working' : 'A new link for 48 hours')}>
                        {status === 'pending' ? 'Resend (replace link)' : 'Resend'}
                      </button>
                      {status === 'pending' && (
                        <button className="btn btn-sm btn-danger" disabled={!!reason} title={reason ?? undefined}
                          aria-label={`Revoke invitation for ${inv.email}`} onClick={() => setRevoking(inv)}>
                          Revoke
                        </button>
                      )}
                    </div>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
      {revoking && (
        <Dialog
          title={`Revoke the invitation for ${revoking.email}?`}
          onClose={() => setRevoking(null)}
          actions={
            <>
              <button className="btn" data-close onClick={() => setRevoking(null)}>
                Cancel
              </button>
              <button className="btn btn-danger btn-solid" disabled={revoke.isPending} onClick={() => revoke.mutate(revoking)}>
                {revoke.isPending ? 'Revoking…' : 'Revoke'}
              </button>
            </>
          }
        >
          <p>The link stops working at once. You can invite {revoking.email} again later.</p>
          <ErrorMessage error={revoke.error} />
        </Dialog>
      )}
    </div>
  )
}
