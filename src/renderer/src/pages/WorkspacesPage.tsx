/** Workspaces of the organization, each with its members and their workspace roles. */
import { useMemo, useState } from 'react'
import { OfflineBanner, useOffline } from '../components/OfflineBanner'
import { EmptyState, ErrorMessage, formatDate, Skeleton } from '../components/ui'
import { useWorkspaces } from '../hooks/queries'
import { useCurrentOrg } from '../stores/ui'
import { WORKSPACE_ROLE_LABELS as WS_ROLE } from '../../../shared/roles'
import '../styles/pages.css'


export function WorkspacesPage() {
  const ref = useCurrentOrg()
  const workspaces = useWorkspaces(ref)
  const offline = useOffline(ref.accountId, workspaces.data)
  const [q, setQ] = useState('')
  const items = workspaces.data?.data.items ?? []
  const needle = q.trim().toLowerCase()
  const shown = useMemo(
    () =>
      items.map((w) => ({
        ...w,
        matches: (w.members ?? []).filter((m) => !needle || `${m.displayName} ${m.email}`.toLowerCase().includes(needle)),
      })),
    [items, needle],
  )
  return (
    <section className="stack" aria-labelledby="ws-title">
      <div className="page-header">
        <h1 id="ws-title">Workspaces</h1>
        <span className="spacer" />
        <label className="field">
          <span>Search workspace members</span>
          <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or email" />
        </label>
      </div>
      {offline && <OfflineBanner syncedAt={workspaces.data?.syncedAt ?? null} />}
      <ErrorMessage error={workspaces.error} />
      {workspaces.isLoading && <Skeleton label="Loading workspaces" />}
      {!workspaces.isLoading && items.length === 0 && <EmptyState title="No workspaces yet" />}
      <div className="ws-grid">
        {shown.map((w) => (
          <article key={w.id} className="card stack" aria-label={`Workspace ${w.name}`}>
            <div className="row">
              <h2 style={{ margin: 0 }}>{w.name}</h2>
              <span className="spacer" />
              <span className="muted">{w.memberCount} members · since {formatDate(w.createdAt)}</span>
            </div>
            {w.matches.length === 0 ? (
              <p className="muted">No members match.</p>
            ) : (
              <table className="simple" aria-label={`Members of ${w.name}`}>
                <tbody>
                  {w.matches.slice(0, 50).map((m) => (
                    <tr key={m.id}>
                      <td>{m.displayName}<div className="muted truncate">{m.email}</div></td>
                      <td className="cell-actions"><span className={`badge${m.role === 'admin' ? ' badge-owner' : ''}`}>{WS_ROLE[m.role]}</span></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {w.matches.length > 50 && <p className="muted">and {w.matches.length - 50} more — search to narrow down</p>}
          </article>
        ))}
      </div>
    </section>
  )
}
