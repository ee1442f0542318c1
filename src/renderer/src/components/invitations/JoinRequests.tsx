/**
 * Pending requests to join (automatic suggestion), for those who decide them: approve adds the
 * person as a Member if a seat is free (the server's 409 shows in place); decline asks first.
 */
import { useState } from 'react'
import type { JoinRequest } from '../../../../shared/api'
import { useDecideJoinRequest, useJoinRequests } from '../../hooks/orgs'
import type { OrgRef } from '../../stores/ui'
import { OFFLINE_REASON } from '../OfflineBanner'
import { Dialog, EmptyState, ErrorMessage, formatDate, Skeleton } from '../ui'

export function JoinRequests({ orgRef, orgName, offline }: { orgRef: OrgRef; orgName: string; offline: boolean }) {
  const requests = useJoinRequests(orgRef)
  const decide = useDecideJoinRequest(orgRef)
  const [declining, setDeclining] = useState<JoinRequest | null>(null)
  const items = requests.data?.data.items ?? []
  return (
    <div className="card stack" role="region" aria-labelledby="join-requests-title">
      <h2 id="join-requests-title">
        Requests to join{' '}
        <span className="badge count-badge" aria-label={`${items.length} pending`}>
          {items.length}
        </span>
      </h2>
      <ErrorMessage error={requests.error ?? decide.error} />
      {requests.isLoading && <Skeleton label="Loading requests to join" rows={2} />}
      {!requests.isLoading && items.length === 0 && (
        <EmptyState title="No pending requests">People whose verified address is in a domain set to suggest {orgName} can ask to join.</EmptyState>
      )}
      {items.length > 0 && (
        <table className="simple">
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Domain</th>
              <th scope="col">Asked</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.id} aria-label={r.user.email}>
                <th scope="row">
                  {r.user.displayName} <span className="muted">{r.user.email}</span>
                </th>
                <td>{r.domain}</td>
                <td>
                  <time dateTime={r.createdAt}>{formatDate(r.createdAt)}</time>
                </td>
                <td className="cell-actions">
                  <button
                    className="btn btn-sm btn-primary"
                    aria-label={`Approve ${r.user.email}`}
                    disabled={offline || decide.isPending}
                    title={offline ? OFFLINE_REASON : undefined}
                    onClick={() => decide.mutate({ requestId: r.id, approve: true })}
                  >
                    Approve
                  </button>{' '}
                  <button
                    className="btn btn-sm btn-danger"
                    aria-label={`Decline ${r.user.email}`}
                    disabled={offline || decide.isPending}
                    title={offline ? OFFLINE_REASON : undefined}
                    onClick={() => setDeclining(r)}
                  >
                    Decline
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {declining && (
        <Dialog
          title={`Decline ${declining.user.displayName}'s request?`}
          onClose={() => setDeclining(null)}
          actions={
            <>
              <button className="btn" data-close onClick={() => setDeclining(null)}>
                Cancel
              </button>
              <button
                className="btn btn-danger btn-solid"
                disabled={decide.isPending}
                onClick={() => decide.mutate({ requestId: declining.id, approve: false }, { onSuccess: () => setDeclining(null) })}
              >
                Decline request
              </button>
            </>
          }
        >
          <p>
            {declining.user.email} will not join {orgName}. They can still be invited later.
          </p>
        </Dialog>
      )}
    </div>
  )
}
