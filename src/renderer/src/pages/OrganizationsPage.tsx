/** Every organization of every account: role, size, and leaving. */
import { useState } from 'react'
import { seatsOf, seatsText } from '../../../shared/seats'
import { LeaveOrgDialog } from '../components/LeaveOrgDialog'
import { OFFLINE_REASON, useOffline } from '../components/OfflineBanner'
import { EmptyState, ErrorMessage, RoleBadge, Skeleton } from '../components/ui'
import { useOrgDirectory, type OrgEntry } from '../hooks/queries'
import { useUi } from '../stores/ui'

export function OrganizationsPage() {
  const { groups, isLoading } = useOrgDirectory()
  const [leaving, setLeaving] = useState<OrgEntry | null>(null)
  return (
    <section className="stack" aria-labelledby="orgs-title">
      <div className="page-header">
        <h1 id="orgs-title">Organizations</h1>
        <button className="btn btn-primary" onClick={() => useUi.getState().setNewOrgOpen(true)}>
          New organization…
        </button>
      </div>
      {isLoading && <Skeleton label="Loading organizations" />}
      {groups.map((g) => (
        <div key={g.account.id} className="card stack" role="region" aria-label={`Organizations of ${g.account.email} on ${g.account.baseUrl}`}>
          <h2>
            {g.account.email} <span className="muted">· {g.account.baseUrl}</span>
          </h2>
          <ErrorMessage error={g.error} />
          {!g.isLoading && g.orgs.length === 0 && !g.error && <EmptyState title="No organizations" />}
          {g.orgs.length > 0 && (
            <table className="simple">
              <thead>
                <tr>
                  <th scope="col">Organization</th>
                  <th scope="col">Your role</th>
                  <th scope="col" className="num">Members</th>
                  <th scope="col" className="num">Seats used</th>
                  <th scope="col" className="num">Owners</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {g.orgs.map((org) => (
                  <OrgRow key={org.id} entry={{ account: g.account, org, ref: { accountId: g.account.id, orgId: org.id } }} onLeave={setLeaving} />
                ))}
              </tbody>
            </table>
          )}
        </div>
      ))}
      {leaving && <LeaveOrgDialog entry={leaving} onClose={() => setLeaving(null)} />}
    </section>
  )
}

function OrgRow({ entry, onLeave }: { entry: OrgEntry; onLeave: (e: OrgEntry) => void }) {
  const selectOrg = useUi((s) => s.selectOrg)
  const offline = useOffline(entry.account.id)
  const { org } = entry
  const seats = seatsOf(org)
  const soleOwner = org.myRole === 'owner' && org.ownerCount === 1
  const reasonId = `leave-reason-${entry.account.id}-${org.id}`
  return (
    <tr aria-label={org.name}>
      <th scope="row">
        <button className="link-button" onClick={() => selectOrg(entry.ref)}>
          {org.name}
        </button>
        {soleOwner && (
          <p id={reasonId} className="muted reason">
            You are the only Owner of {org.name}: hand it to another member to leave.
          </p>
        )}
      </th>
      <td>
        <RoleBadge role={org.myRole} />
      </td>
      <td className="num">{org.memberCount}</td>
      <td className="num" title={seatsText(org)}>
        {seats.used} <span className="muted">/ {seats.limit}</span>
      </td>
      <td className="num">{org.ownerCount}</td>
      <td className="cell-actions">
        <button
          className="btn btn-sm btn-danger"
          aria-label={soleOwner ? `Hand off and leave ${org.name}` : `Leave ${org.name}`}
          disabled={offline || (soleOwner && org.memberCount < 2)}
          aria-describedby={soleOwner ? reasonId : undefined}
          title={offline ? OFFLINE_REASON : undefined}
          onClick={() => onLeave(entry)}
        >
          {soleOwner ? 'Hand off and leave…' : 'Leave'}
        </button>
      </td>
    </tr>
  )
}
