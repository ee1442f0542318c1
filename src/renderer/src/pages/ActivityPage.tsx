/** The activity log as sentences: who did what to whom, newest first (Owners). */
import { useInfiniteQuery } from '@tanstack/react-query'
import { ENROLLMENT_LABELS, type ActivityEvent, type EnrollmentMode } from '../../../shared/api'
import { can, ROLE_LABELS, WORKSPACE_ROLE_LABELS, type Role, type WorkspaceRole } from '../../../shared/roles'
import { OfflineBanner, useOffline } from '../components/OfflineBanner'
import { EmptyState, ErrorMessage, Skeleton } from '../components/ui'
import { useOrg } from '../hooks/queries'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

const enrollment = (m: unknown) => (typeof m === 'string' && m in ENROLLMENT_LABELS ? ENROLLMENT_LABELS[m as EnrollmentMode].toLowerCase() : String(m))
const role = (r: unknown) => (typeof r === 'string' && r in ROLE_LABELS ? ROLE_LABELS[r as Role] : String(r))
const wsRole = (r: unknown) => (typeof r === 'string' && r in WORKSPACE_ROLE_LABELS ? WORKSPACE_ROLE_LABELS[r as WorkspaceRole] : String(r))

export function describeEvent(e: ActivityEvent): string {
  const who = e.actor?.displayName ?? 'Someone'
  const t = e.target ?? ''
  switch (e.action) {
    case 'org.created': return `${who} created the organization ${t}`
    case 'org.updated': return `${who} updated the organization settings`
    case 'org.deleted': return `${who} deleted the organization ${t}`
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
    case 'workspace.created': return `${who} created the workspace ${t}`
    case 'workspace.renamed': return `${who} renamed the workspace ${String(e.details.from)} to ${t}`
    case 'workspace.deleted': return `${who} moved the workspace ${t} to the recycle bin`
    case 'workspace.restored': return `${who} restored the workspace ${t} from the recycle bin`
    case 'workspace.purged': return e.details.expired ? `The workspace ${t} was purged after 30 days in the recycle bin` : `${who} purged the workspace ${t}`
    case 'workspace.member_added': return `${who} added ${t} to ${String(e.details.workspace)} as ${wsRole(e.details.role)}`
    case 'workspace.member_role_changed': return `${who} made ${t} ${wsRole(e.details.role)} in ${String(e.details.workspace)}`
    case 'workspace.member_removed': return `${who} removed ${t} from ${String(e.details.workspace)}`
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
