/**
 * The audit log (GitHub's is the model): filter by person, actions and days, search, export
 * the filter as CSV. Main filters its cached copy, so all of it works offline too (Owners).
 */
import { useInfiniteQuery, useMutation } from '@tanstack/react-query'
import { useDeferredValue, useState } from 'react'
import { ACTIVITY_ACTIONS, ENROLLMENT_LABELS, type ActivityAction, type ActivityEvent, type EnrollmentMode } from '../../../shared/api'
import type { AuditFilter } from '../../../shared/ipc'
import { can, ROLE_LABELS, WORKSPACE_ROLE_LABELS, type Role, type WorkspaceRole } from '../../../shared/roles'
import { OfflineBanner, useOffline } from '../components/OfflineBanner'
import { EmptyState, ErrorMessage, Skeleton } from '../components/ui'
import { useMembers, useOrg } from '../hooks/queries'
import { call, orgAdmin, qk } from '../lib/bridge'
import { downloadText } from '../lib/download'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

/** Each action in words, for the action filter and the rows. */
export const ACTION_LABELS: Record<ActivityAction, string> = {
  'org.created': 'Organization created',
  'org.updated': 'Settings updated',
  'org.deleted': 'Organization deleted',
  'member.joined': 'Member joined',
  'member.role_changed': 'Role changed',
  'member.removed': 'Member removed',
  'member.left': 'Member left',
  'invitation.created': 'Invitation sent',
  'invitation.resent': 'Invitation resent',
  'invitation.revoked': 'Invitation revoked',
  'invitation.link_created': 'Invitation link created',
  'invitation.accepted': 'Invitation accepted',
  'invitation.declined': 'Invitation declined',
  'domain.added': 'Domain added',
  'domain.removed': 'Domain removed',
  'domain.verified': 'Domain verified',
  'domain.enrollment_changed': 'Domain enrollment changed',
  'join_request.created': 'Asked to join',
  'join_request.approved': 'Request to join approved',
  'join_request.declined': 'Request to join declined',
  'workspace.created': 'Workspace created',
  'workspace.renamed': 'Workspace renamed',
  'workspace.deleted': 'Workspace moved to the bin',
  'workspace.restored': 'Workspace restored',
  'workspace.purged': 'Workspace purged',
  'workspace.member_added': 'Added to a workspace',
  'workspace.member_role_changed': 'Workspace role changed',
  'workspace.member_removed': 'Removed from a workspace',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'api_key.signed_in': 'API key added to an app',
}

const actorName = (e: ActivityEvent) => e.actor?.displayName ?? (e.actorKey ? `API key ${e.actorKey.name}` : 'The server')

const enrollment = (m: unknown) => (typeof m === 'string' && m in ENROLLMENT_LABELS ? ENROLLMENT_LABELS[m as EnrollmentMode].toLowerCase() : String(m))
const role = (r: unknown) => (typeof r === 'string' && r in ROLE_LABELS ? ROLE_LABELS[r as Role] : String(r))
const wsRole = (r: unknown) => (typeof r === 'string' && r in WORKSPACE_ROLE_LABELS ? WORKSPACE_ROLE_LABELS[r as WorkspaceRole] : String(r))

export function describeEvent(e: ActivityEvent): string {
  const who = actorName(e)
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
    case 'api_key.created': return `${who} created the API key ${t}${e.details.role ? ` acting as ${role(e.details.role)}` : ''}`
    case 'api_key.revoked': return `${who} revoked the API key ${t}`
    case 'api_key.signed_in': return `The API key ${t} was added to an app`
  }
}

type Filter = Omit<AuditFilter, 'cursor' | 'limit'>

export function ActivityPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref).data?.data
  const allowed = org ? can(org.myRole, 'activity.view') : true
  const [person, setPerson] = useState('')
  const [actions, setActions] = useState<ActivityAction[]>([])
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [q, setQ] = useState('')
  const search = useDeferredValue(q.trim())
  const people = useMembers(ref, { q: useDeferredValue(person), limit: 20 }).data?.data.members ?? []
  const subject = people.find((m) => `${m.displayName} <${m.email}>` === person)?.userId
  const backwards = !!from && !!to && from > to
  const filter: Filter = {
    ...(subject ? { subject } : {}),
    ...(actions.length ? { action: actions } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(search ? { q: search } : {}),
  }
  const log = useInfiniteQuery({
    queryKey: [...qk.activity(ref.accountId, ref.orgId), filter],
    queryFn: ({ pageParam }) => call(orgAdmin().activity.list({ ...ref, ...filter, limit: 100, ...(pageParam ? { cursor: pageParam } : {}) })),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.data.nextCursor,
    enabled: allowed && !backwards,
    placeholderData: (previous) => previous,
  })
  const exportCsv = useMutation({
    mutationFn: () => call(orgAdmin().activity.export({ ...ref, ...filter })),
    onSuccess: ({ csv }) => downloadText(`${org?.slug ?? 'organization'}-audit-log.csv`, csv),
  })
  const first = log.data?.pages[0]
  const offline = useOffline(ref.accountId, first)
  const events = log.data?.pages.flatMap((p) => p.data.items) ?? []
  const filtered = Object.keys(filter).length > 0
  const clear = () => (setPerson(''), setActions([]), setFrom(''), setTo(''), setQ(''))
  return (
    <section className="stack" aria-labelledby="activity-title">
      <div className="page-header">
        <h1 id="activity-title">Audit log</h1>
        {allowed && (
          <button className="btn" disabled={!first || first.data.matched === 0 || exportCsv.isPending} onClick={() => exportCsv.mutate()}>
            {exportCsv.isPending ? 'Exporting…' : 'Export CSV'}
          </button>
        )}
      </div>
      {!allowed ? (
        <EmptyState title="Only Owners can see the audit log">Ask an Owner of {org?.name} if you need to know who changed what.</EmptyState>
      ) : (
        <>
          <form className="card audit-filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
            <label className="field">
              <span>Search</span>
              <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name, email, domain, key…" />
            </label>
            <label className="field">
              <span>Person (by or about)</span>
              <input className="input" list="audit-people" value={person} onChange={(e) => setPerson(e.target.value)} placeholder="Type a name or email" />
              <datalist id="audit-people">
                {people.map((m) => <option key={m.userId} value={`${m.displayName} <${m.email}>`} />)}
              </datalist>
            </label>
            <label className="field">
              <span>Actions</span>
              <select
                className="input audit-actions"
                multiple
                size={4}
                value={actions}
                onChange={(e) => setActions([...e.target.selectedOptions].map((o) => o.value as ActivityAction))}
              >
                {ACTIVITY_ACTIONS.map((a) => <option key={a} value={a}>{ACTION_LABELS[a]}</option>)}
              </select>
            </label>
            <label className="field">
              <span>From</span>
              <input className="input" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
            </label>
            <label className="field">
              <span>To</span>
              <input className="input" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
            </label>
            <button type="button" className="btn" disabled={!filtered && !person && !q} onClick={clear}>Clear filters</button>
            {backwards && <p className="field-error" role="alert" style={{ width: '100%' }}>The start date is after the end date.</p>}
          </form>
          <div className="card stack">
            {offline && first && <OfflineBanner syncedAt={first.syncedAt} />}
            <ErrorMessage error={log.error ?? exportCsv.error} />
            {first && (
              <p className="muted" role="status" style={{ margin: 0 }}>
                {first.data.matched === 1 ? '1 event' : `${first.data.matched.toLocaleString()} events`}
                {filtered ? (first.data.matched === 1 ? ' matches' : ' match') : ''}
                {!first.data.complete && ` · only the newest ${first.data.held.toLocaleString()} are kept on this computer; older events need a connection`}
              </p>
            )}
            {log.isLoading && <Skeleton label="Loading the audit log" />}
            {!log.isLoading && events.length === 0 && !log.error && (
              <EmptyState title={filtered ? 'No events match' : 'Nothing has happened yet'}>{filtered ? 'Change or clear the filters.' : null}</EmptyState>
            )}
            {events.length > 0 && (
              <table className="simple audit-table" aria-label="Audit log">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Target</th>
                  </tr>
                </thead>
                <tbody>
                  {events.map((e) => (
                    <tr key={e.id} title={describeEvent(e)}>
                      <td><time dateTime={e.at}>{new Date(e.at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}</time></td>
                      <td>{actorName(e)}{e.actor && <div className="muted truncate">{e.actor.email}</div>}</td>
                      <td>{ACTION_LABELS[e.action]}<div className="muted">{describeEvent(e)}</div></td>
                      <td className="break">{e.target ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {log.hasNextPage && (
              <button className="btn" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
                {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  )
}
