/** The activity log as sentences: who did what to whom, newest first (Owners). */
import { useInfiniteQuery } from '@tanstack/react-query'
import { ENROLLMENT_LABELS, type ActivityEvent, type EnrollmentMode } from '../../../shared/api'
import { can, ROLE_LABELS, type Role } from '../../../shared/roles'
import { OfflineBanner, useOffline } from '../components/OfflineBanner'
import { EmptyState, ErrorMessage, Skeleton } from '../components/ui'
import { useOrg } from '../hooks/queries'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

const enrollment = (m: unknown) => (typeof m === 'string' && m in ENROLLMENT_LABELS ? ENROLLMENT_LABELS[m as EnrollmentMode].toLowerCase() : String(m))
const role = (r: unknown) => (typeof r === 'string' && r in ROLE_LABELS ? ROLE_LABELS[r as Role] : String(r))

function describeEvent(e: ActivityEvent): string {
  const who = e.actor?.displayName ?? (e.actorKey ? `API key ${e.actorKey.name}` : 'Someone')
  const t = e.target ?? ''
  switch (e.action) {
    case 'org.updated': return `${who} updated the organization settings`
    case 'member.joined': return `${t} joined as ${role(e.details.role)}${e.details.via === 'trusted_domain' ? ' (trusted domain)' : ''}`
    case 'member.role_changed': return `${who} changed ${t}'s role from ${role(e.details.from)} to ${role(e.details.to)}`
    case 'member.removed': return `${who} removed ${t}`
    case 'member.left': return `${t} left the organization`
    case 'invitation.created': return `${who} invited ${t}${e.details.role ? ` as ${role(e.details.role)}` : ''}`
    case 'invitation.resent': return `${who} resent the invitation to ${t}`
    case 'invitation.revoked': return `${who} revoked the invitation to ${t}`
    case 'invitation.link_created': return `${who} created a new invitation link for ${t}`
    case 'invitation.accepted': return `${t} accepted the invitation${e.details.role ? ` as ${role(e.details.role)}` : ''}`
    case 'domain.added': return `${who} added the trusted domain ${t}`
    case 'domain.removed': return `${who} removed the trusted domain ${t}`
    case 'domain.verified': return `${t} was verified${e.details.by === 'operator' ? ' by the server operator' : ' through its DNS record'}`
    case 'domain.enrollment_changed': return `${who} set ${t} to ${enrollment(e.details.to)}`
    case 'invitation.declined': return `${t} declined the invitation`
    case 'join_request.created': return `${t} asked to join`
    case 'join_request.approved': return `${who} approved ${t}'s request to join`
    case 'join_request.declined': return `${who} declined ${t}'s request to join`
    case 'api_key.created': return `${who} created the API key ${t}${e.details.role ? ` acting as ${role(e.details.role)}` : ''}`
    case 'api_key.revoked': return `${who} revoked the API key ${t}`
    case 'api_key.signed_in': return `The API key ${t} was added to an app`
  }
}

export function ActivityPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref).data?.data
  const allowed = org ? can(org.myRole, 'activity.view') : true
  const log = useInfiniteQuery({
    queryKey: qk.activity(ref.accountId, ref.orgId),
    queryFn: ({ pageParam }) => call(orgAdmin().activity.list({ ...ref, ...(pageParam ? { cursor: pageParam } : {}) })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.data.nextCursor,
    enabled: allowed,
  })
  const first = log.data?.pages[0]
  const offline = useOffline(ref.accountId, first)
  const events = log.data?.pages.flatMap((p) => p.data.items) ?? []
  return (
    <section className="stack" aria-labelledby="activity-title">
      <div className="page-header">
        <h1 id="activity-title">Activity</h1>
      </div>
      {!allowed ? (
        <EmptyState title="Only Owners can see the activity log">Ask an Owner of {org?.name} if you need to know who changed what.</EmptyState>
      ) : (
        <div className="card stack">
          {offline && first && <OfflineBanner syncedAt={first.syncedAt} />}
          <ErrorMessage error={log.error} />
          {log.isLoading && <Skeleton label="Loading activity" />}
          {!log.isLoading && events.length === 0 && !log.error && <EmptyState title="Nothing has happened yet" />}
          <ol className="activity-list" aria-label="Activity">
            {events.map((e) => (
              <li key={e.id}>
                <time dateTime={e.at}>{new Date(e.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time>
                <span>{describeEvent(e)}</span>
              </li>
            ))}
          </ol>
          {log.hasNextPage && (
            <button className="btn" disabled={offline || log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </div>
      )}
    </section>
  )
}
