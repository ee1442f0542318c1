/**
 * Workspaces of the organization: each with your role there and its members (where your role shows
 * them); Owners create, rename, delete and choose who works where, workspace Admins rename theirs
 * and manage its members. Deleted workspaces wait in the recycle bin for 30 days.
 */
import { useId, useMemo, useState, type ReactNode } from 'react'
import type { BinnedWorkspace, OrgSummary, Workspace, WorkspaceMember } from '../../../shared/api'
import { can, canInWorkspace, RECYCLE_BIN_DAYS, WORKSPACE_ROLE_LABELS, type WorkspacePrivilege } from '../../../shared/roles'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { Dialog, EmptyState, ErrorMessage, formatDate, ReasonButton, Skeleton } from '../components/ui'
import { WorkspaceMemberDialog } from '../components/WorkspaceMemberDialog'
import { useOrg } from '../hooks/queries'
import { useRecycleBin, useWorkspaceMutations, useWorkspaces } from '../hooks/workspaces'
import { useCurrentOrg, type OrgRef } from '../stores/ui'
import '../styles/pages.css'

type View = 'live' | 'bin'
type Open =
  | { kind: 'create' }
  | { kind: 'rename'; ws: Workspace }
  | { kind: 'delete'; ws: Workspace }
  | { kind: 'member'; ws: Workspace; person: WorkspaceMember | null }
  | { kind: 'purge'; ws: BinnedWorkspace }
  | null

export function WorkspacesPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref).data?.data
  const workspaces = useWorkspaces(ref)
  const offline = useOffline(ref.accountId, workspaces.data)
  const [view, setView] = useState<View>('live')
  const [open, setOpen] = useState<Open>(null)
  const [q, setQ] = useState('')
  const isOwner = org ? can(org.myRole, 'workspaces.manage') : false
  const createReason = offline ? OFFLINE_REASON : isOwner ? null : 'Only an Owner can create workspaces'
  const panelId = useId()
  return (
    <section className="stack" aria-labelledby="ws-title">
      <div className="page-header">
        <h1 id="ws-title">Workspaces</h1>
        <span className="spacer" />
        {view === 'live' && (
          <label className="field">
            <span>Search workspace members</span>
            <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or email" />
          </label>
        )}
        <button className="btn btn-primary" disabled={createReason !== null} title={createReason ?? undefined} onClick={() => setOpen({ kind: 'create' })}>
          New workspace
        </button>
      </div>
      {offline && <OfflineBanner syncedAt={workspaces.data?.syncedAt ?? null} />}
      <div role="tablist" aria-label="Workspaces or recycle bin" className="tabs">
        {(['live', 'bin'] as const).map((v) => (
          <button
            key={v}
            id={`${panelId}-${v}`}
            role="tab"
            className="tab"
            aria-selected={view === v}
            aria-controls={panelId}
            tabIndex={view === v ? 0 : -1}
            onClick={() => setView(v)}
            onKeyDown={(e) => {
              if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return
              const next = v === 'live' ? 'bin' : 'live'
              setView(next)
              document.getElementById(`${panelId}-${next}`)?.focus()
            }}
          >
            {v === 'live' ? 'Workspaces' : 'Recycle bin'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={`${panelId}-${view}`}>
        {view === 'bin' ? (
          <RecycleBin orgRef={ref} org={org} offline={offline} onPurge={(ws) => setOpen({ kind: 'purge', ws })} />
        ) : (
          <>
            <ErrorMessage error={workspaces.error} />
            {workspaces.isLoading && <Skeleton label="Loading workspaces" />}
            {workspaces.data && workspaces.data.data.items.length === 0 && (
              <EmptyState title="No workspaces yet">{isOwner ? <p>Create one to group people and their roles.</p> : null}</EmptyState>
            )}
            {org && (
              <div className="ws-grid">
                {workspaces.data?.data.items.map((w) => <WorkspaceCard key={w.id} ws={w} org={org} offline={offline} needle={q.trim().toLowerCase()} onOpen={setOpen} />)}
              </div>
            )}
          </>
        )}
      </div>
      {open?.kind === 'create' && <NameDialog orgRef={ref} ws={null} onClose={() => setOpen(null)} />}
      {open?.kind === 'rename' && <NameDialog orgRef={ref} ws={open.ws} onClose={() => setOpen(null)} />}
      {open?.kind === 'delete' && <DeleteDialog orgRef={ref} ws={open.ws} onClose={() => setOpen(null)} />}
      {open?.kind === 'purge' && <PurgeDialog orgRef={ref} ws={open.ws} onClose={() => setOpen(null)} />}
      {open?.kind === 'member' && (
        <WorkspaceMemberDialog orgRef={ref} workspace={open.ws} person={open.person} role={open.person?.role} onClose={() => setOpen(null)} />
      )}
    </section>
  )
}

function WorkspaceCard({ ws, org, offline, needle, onOpen }: { ws: Workspace; org: OrgSummary; offline: boolean; needle: string; onOpen: (o: Open) => void }) {
  const ref = useCurrentOrg()
  const shown = useMemo(() => ws.members?.filter((m) => !needle || `${m.displayName} ${m.email}`.toLowerCase().includes(needle)) ?? [], [ws.members, needle])
  const { removeMember } = useWorkspaceMutations(ref)
  const reason = (p: WorkspacePrivilege, who: string) => (offline ? OFFLINE_REASON : canInWorkspace(org.myRole, ws.myRole, p) ? null : who)
  const renameReason = reason('workspace.rename', 'Only an Owner or an Admin of this workspace can rename it')
  const manageReason = reason('workspace.members.manage', 'Only an Owner or an Admin of this workspace can choose its members')
  const deleteReason = offline ? OFFLINE_REASON : can(org.myRole, 'workspaces.manage') ? null : 'Only an Owner can delete workspaces'
  return (
    <article className="card stack" aria-label={`Workspace ${ws.name}`}>
      <div className="row">
        <h2 style={{ margin: 0 }}>{ws.name}</h2>
        <span className={`badge${ws.myRole === 'admin' ? ' badge-owner' : ''}`}>
          {ws.myRole ? `Your role: ${WORKSPACE_ROLE_LABELS[ws.myRole]}` : 'You are not in it'}
        </span>
        <span className="spacer" />
        <span className="muted">
          {ws.memberCount} {ws.memberCount === 1 ? 'member' : 'members'} · since {formatDate(ws.createdAt)}
        </span>
      </div>
      <div className="row row-actions">
        <ReasonButton label="Rename" name={`Rename ${ws.name}`} reason={renameReason} onClick={() => onOpen({ kind: 'rename', ws })} />
        <ReasonButton label="Add member" name={`Add member to ${ws.name}`} reason={manageReason} onClick={() => onOpen({ kind: 'member', ws, person: null })} />
        <ReasonButton label="Delete" name={`Delete ${ws.name}`} reason={deleteReason} danger onClick={() => onOpen({ kind: 'delete', ws })} />
      </div>
      {ws.members === null ? (
        <p className="muted">Only Owners and this workspace's Admins and Members see who works here.</p>
      ) : ws.members.length === 0 ? (
        <p className="muted">Nobody works here yet.</p>
      ) : shown.length === 0 ? (
        <p className="muted">No members match.</p>
      ) : (
        <table className="simple" aria-label={`Members of ${ws.name}`}>
          <tbody>
            {shown.slice(0, 50).map((m) => (
              <tr key={m.id}>
                <td>
                  {m.displayName}
                  <div className="muted truncate">{m.email}</div>
                </td>
                <td>
                  <span className={`badge${m.role === 'admin' ? ' badge-owner' : ''}`}>{WORKSPACE_ROLE_LABELS[m.role]}</span>
                </td>
                <td className="cell-actions">
                  <div className="row row-actions">
                    <ReasonButton label="Role" name={`Change the role of ${m.displayName} in ${ws.name}`} reason={manageReason} onClick={() => onOpen({ kind: 'member', ws, person: m })} />
                    <ReasonButton
                      label="Remove"
                      name={`Remove ${m.displayName} from ${ws.name}`}
                      reason={manageReason || (removeMember.isPending ? 'Removing…' : null)}
                      danger
                      onClick={() => removeMember.mutate({ workspaceId: ws.id, userId: m.id })}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {shown.length > 50 && <p className="muted">and {shown.length - 50} more — search to narrow down</p>}
      <ErrorMessage error={removeMember.error} />
    </article>
  )
}

function NameDialog({ orgRef, ws, onClose }: { orgRef: OrgRef; ws: Workspace | null; onClose: () => void }) {
  const [name, setName] = useState(ws?.name ?? '')
  const { create, rename } = useWorkspaceMutations(orgRef)
  const save = ws ? rename : create
  const trimmed = name.trim()
  const submit = () => {
    if (!trimmed) return
    if (ws) rename.mutate({ workspaceId: ws.id, name: trimmed }, { onSuccess: onClose })
    else create.mutate(trimmed, { onSuccess: onClose })
  }
  return (
    <Dialog
      title={ws ? `Rename ${ws.name}` : 'New workspace'}
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" form="ws-name-form" type="submit" disabled={!trimmed || trimmed === ws?.name || save.isPending}>
            {save.isPending ? 'Saving…' : ws ? 'Rename' : 'Create'}
          </button>
        </>
      }
    >
      <form id="ws-name-form" onSubmit={(e) => (e.preventDefault(), submit())}>
        <label className="field">
          <span>Name</span>
          <input className="input" value={name} maxLength={80} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
      </form>
      <p className="muted">Names are unique in the organization, whatever their case.</p>
      <ErrorMessage error={save.error} />
    </Dialog>
  )
}

function DeleteDialog({ orgRef, ws, onClose }: { orgRef: OrgRef; ws: Workspace; onClose: () => void }) {
  const { remove } = useWorkspaceMutations(orgRef)
  return (
    <ConfirmDialog title={`Delete ${ws.name}?`} verb="Delete" pending="Deleting…" mutation={remove} onConfirm={() => remove.mutate(ws.id, { onSuccess: onClose })} onClose={onClose}>
      {ws.name} moves to the recycle bin for {RECYCLE_BIN_DAYS} days. Its {ws.memberCount} {ws.memberCount === 1 ? 'member loses' : 'members lose'} it until an
      Owner restores it; after that it is purged for good.
    </ConfirmDialog>
  )
}

function PurgeDialog({ orgRef, ws, onClose }: { orgRef: OrgRef; ws: BinnedWorkspace; onClose: () => void }) {
  const { purge } = useWorkspaceMutations(orgRef)
  return (
    <ConfirmDialog title={`Purge ${ws.name} for good?`} verb="Purge" pending="Purging…" mutation={purge} onConfirm={() => purge.mutate(ws.id, { onSuccess: onClose })} onClose={onClose}>
      The workspace and who worked in it are deleted at once. This cannot be undone.
    </ConfirmDialog>
  )
}

/** A destructive step: Cancel first, then the red button. */
function ConfirmDialog({
  title,
  verb,
  pending,
  mutation,
  onConfirm,
  onClose,
  children,
}: {
  title: string
  verb: string
  pending: string
  mutation: { isPending: boolean; error: unknown }
  onConfirm: () => void
  onClose: () => void
  children: ReactNode
}) {
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-danger btn-solid" disabled={mutation.isPending} onClick={onConfirm}>
            {mutation.isPending ? pending : verb}
          </button>
        </>
      }
    >
      <p>{children}</p>
      <ErrorMessage error={mutation.error} />
    </Dialog>
  )
}

function RecycleBin({ orgRef, org, offline, onPurge }: { orgRef: OrgRef; org: OrgSummary | undefined; offline: boolean; onPurge: (ws: BinnedWorkspace) => void }) {
  const allowed = org ? can(org.myRole, 'recycleBin.use') : false
  const bin = useRecycleBin(orgRef, allowed && !offline)
  const { restore } = useWorkspaceMutations(orgRef)
  const items = useMemo(() => bin.data?.items ?? [], [bin.data])
  if (!org) return <Skeleton label="Loading" />
  if (!allowed) {
    return (
      <EmptyState title="Only Owners can use the recycle bin">
        <p>Ask an Owner of {org.name} to restore a deleted workspace.</p>
      </EmptyState>
    )
  }
  if (offline) return <EmptyState title="The recycle bin needs the server">{OFFLINE_REASON}: it is not kept for offline reading.</EmptyState>
  return (
    <div className="stack">
      <p className="muted">Deleted workspaces stay here for {RECYCLE_BIN_DAYS} days, then they are purged for good.</p>
      <ErrorMessage error={bin.error ?? restore.error} />
      {bin.isLoading && <Skeleton label="Loading the recycle bin" />}
      {bin.data && items.length === 0 && <EmptyState title="The recycle bin is empty" />}
      {items.length > 0 && (
        <table className="simple" aria-label="Deleted workspaces">
          <thead>
            <tr>
              <th>Workspace</th>
              <th>Deleted</th>
              <th className="num">Members</th>
              <th>Purged in</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((w) => (
              <tr key={w.id}>
                <td>
                  <strong>{w.name}</strong>
                </td>
                <td>
                  {formatDate(w.deletedAt)}
                  {w.deletedBy && <div className="muted truncate">by {w.deletedBy.displayName}</div>}
                </td>
                <td className="num">{w.memberCount}</td>
                <td>
                  <span className={`badge${w.daysLeft <= 3 ? ' badge-warning' : ''}`}>{w.daysLeft === 1 ? '1 day' : `${w.daysLeft} days`}</span>
                </td>
                <td className="cell-actions">
                  <div className="row row-actions">
                    <button className="btn btn-sm" aria-label={`Restore ${w.name}`} disabled={restore.isPending} onClick={() => restore.mutate(w.id)}>
                      Restore
                    </button>
                    <button className="btn btn-sm btn-danger" aria-label={`Purge ${w.name}`} onClick={() => onPurge(w)}>
                      Purge
                    </button>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
