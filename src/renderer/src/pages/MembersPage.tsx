/**
 * Members of the selected organization, from main's synced cache. Search, role filter and
 * sort run in the renderer over precomputed keys, and only the visible rows are rendered,
 * so the table stays responsive at 100 000 members.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type RowSelectionState,
  type SortingState,
} from '@tanstack/react-table'
import { useVirtualizer } from '@tanstack/react-virtual'
import { useDeferredValue, useMemo, useRef, useState } from 'react'
import type { Member, OrgSummary } from '../../../shared/api'
import { membersCsv } from '../../../shared/csv'
import type { MemberChange } from '../../../shared/ipc'
import { ROLE_LABELS, ROLES, can, type Role } from '../../../shared/roles'
import { useMembersWithPendingEdits } from '../components/memberMutations'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { RemoveMemberDialog } from '../components/RemoveMemberDialog'
import { RoleEditorDialog } from '../components/RoleEditorDialog'
import { EmptyState, ErrorMessage, RoleBadge, Skeleton, formatDate, formatRelative, useNow } from '../components/ui'
import { useMembers, useOrgs } from '../hooks/queries'
import { useLive } from '../hooks/useBridgeEvents'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useCurrentOrg, type OrgRef } from '../stores/ui'

type SortKey = 'name' | 'email' | 'role' | 'joined' | 'workspaces'
interface Indexed {
  member: Member
  /** Lowercased "name\nemail", built once per list so each keystroke is a plain substring scan. */
  haystack: string
  name: string
}
const ROLE_RANK: Record<Role, number> = { owner: 0, billing_admin: 1, member: 2 }

function compareBy(key: SortKey): (a: Indexed, b: Indexed) => number {
  const cmp = <T,>(x: T, y: T) => (x < y ? -1 : x > y ? 1 : 0)
  switch (key) {
    case 'name':
      return (a, b) => cmp(a.name, b.name)
    case 'email':
      return (a, b) => cmp(a.member.email, b.member.email)
    case 'role':
      return (a, b) => cmp(ROLE_RANK[a.member.role], ROLE_RANK[b.member.role]) || cmp(a.name, b.name)
    case 'joined':
      return (a, b) => cmp(a.member.joinedAt, b.member.joinedAt)
    case 'workspaces':
      return (a, b) => cmp(a.member.workspaceCount, b.member.workspaceCount) || cmp(a.name, b.name)
  }
}

function download(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}

export function MembersPage() {
  const ref = useCurrentOrg()
  const members = useMembers(ref)
  const org = useOrgs(ref.accountId).data?.data.find((o) => o.id === ref.orgId)
  const offline = useOffline(ref.accountId, members.data)
  const shown = useMembersWithPendingEdits(ref, members.data?.data.members)

  return (
    <section className="members-page" aria-labelledby="members-title">
      <div className="page-header">
        <h1 id="members-title">Members</h1>
        <span className="spacer" />
        <SyncStatus orgRef={ref} syncedAt={members.data?.syncedAt ?? null} />
      </div>
      {offline && <OfflineBanner syncedAt={members.data?.syncedAt ?? null} />}
      {members.isLoading || !org ? (
        <Skeleton label="Loading members" />
      ) : members.error ? (
        <ErrorMessage error={members.error} />
      ) : members.data && shown ? (
        <>
          <ChangesSinceSync changes={members.data.data.changes} previousSyncedAt={members.data.data.previousSyncedAt} />
          <MembersTable orgRef={ref} org={org} members={shown} offline={offline} />
        </>
      ) : null}
    </section>
  )
}

function SyncStatus({ orgRef, syncedAt }: { orgRef: OrgRef; syncedAt: string | null }) {
  const client = useQueryClient()
  const now = useNow()
  const progress = useLive((s) => s.progress[`${orgRef.accountId}/${orgRef.orgId}`])
  const sync = useMutation({
    mutationFn: () => call(orgAdmin().members.sync(orgRef)),
    onSuccess: (envelope) => {
      client.setQueryData(qk.members(orgRef.accountId, orgRef.orgId), envelope)
      void client.invalidateQueries({ queryKey: qk.orgs(orgRef.accountId) })
    },
  })
  const syncing = sync.isPending || (progress !== undefined && !progress.done)
  return (
    <div className="row sync-status">
      {syncing && progress && progress.total > 0 && (
        <progress value={progress.loaded} max={progress.total} aria-label="Syncing members">
          {progress.loaded} of {progress.total}
        </progress>
      )}
      <span className="muted">{syncedAt ? `Last synced ${formatRelative(syncedAt, now)}` : 'Never synced'}</span>
      <button className="btn btn-sm" onClick={() => sync.mutate()} disabled={syncing}>
        {syncing ? 'Syncing…' : 'Refresh'}
      </button>
      {sync.error != null && <ErrorMessage error={sync.error} />}
    </div>
  )
}

function describeChange(c: MemberChange): string {
  if (c.kind === 'joined') return `joined${c.to ? ` as ${ROLE_LABELS[c.to]}` : ''}`
  if (c.kind === 'left') return `left${c.from ? ` (was ${ROLE_LABELS[c.from]})` : ''}`
  return `role changed${c.from ? ` from ${ROLE_LABELS[c.from]}` : ''}${c.to ? ` to ${ROLE_LABELS[c.to]}` : ''}`
}

function ChangesSinceSync({ changes, previousSyncedAt }: { changes: MemberChange[]; previousSyncedAt: string | null }) {
  if (!previousSyncedAt) return null
  return (
    <details className="changes card">
      <summary>
        Changes since last sync <span className="badge">{changes.length}</span>
      </summary>
      {changes.length === 0 ? (
        <p className="muted">No one joined, left or changed role since {formatDate(previousSyncedAt)}.</p>
      ) : (
        <ul className="compact-list">
          {changes.slice(0, 200).map((c) => (
            <li key={`${c.kind}-${c.userId}`}>
              <strong>{c.displayName}</strong> <span className="muted">{c.email}</span> {describeChange(c)}
            </li>
          ))}
          {changes.length > 200 && <li className="muted">and {changes.length - 200} more</li>}
        </ul>
      )}
    </details>
  )
}

type Dialog = { kind: 'role' | 'remove'; members: Member[] } | null

function MembersTable({ orgRef, org, members, offline }: { orgRef: OrgRef; org: OrgSummary; members: Member[]; offline: boolean }) {
  const [query, setQuery] = useState('')
  const [roleFilter, setRoleFilter] = useState<Role | ''>('')
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }])
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({})
  const [dialog, setDialog] = useState<Dialog>(null)
  const deferredQuery = useDeferredValue(query.trim().toLowerCase())

  const indexed = useMemo<Indexed[]>(
    () => members.map((member) => ({ member, haystack: `${member.displayName}\n${member.email}`.toLowerCase(), name: member.displayName.toLowerCase() })),
    [members],
  )
  const sorted = useMemo(() => {
    const s = sorting[0]
    if (!s) return indexed
    const out = [...indexed].sort(compareBy(s.id as SortKey))
    return s.desc ? out.reverse() : out
  }, [indexed, sorting])
  const rows = useMemo(() => {
    if (!deferredQuery && !roleFilter) return sorted.map((r) => r.member)
    const out: Member[] = []
    for (const r of sorted) {
      if (roleFilter && r.member.role !== roleFilter) continue
      if (deferredQuery && !r.haystack.includes(deferredQuery)) continue
      out.push(r.member)
    }
    return out
  }, [sorted, deferredQuery, roleFilter])

  const canSelect = org.myRole === 'owner' && !offline
  const selection = useMemo(() => {
    let count = 0
    for (const m of rows) if (rowSelection[m.userId]) count++
    return { all: rows.length > 0 && count === rows.length, some: count > 0 }
  }, [rows, rowSelection])
  const roleReason = offline ? OFFLINE_REASON : can(org.myRole, 'members.editRole') ? null : 'Only an Owner can change roles'
  const removeReason = offline ? OFFLINE_REASON : can(org.myRole, 'members.remove') ? null : 'Only an Owner can remove members'

  const columns = useMemo<ColumnDef<Member>[]>(
    () => [
      {
        id: 'select',
        enableSorting: false,
        // The table only holds the visible window, so "all" is computed over the filtered list.
        header: () => (
          <input
            type="checkbox"
            aria-label="Select all shown members"
            checked={selection.all}
            disabled={!canSelect || rows.length === 0}
            ref={(el) => {
              if (el) el.indeterminate = selection.some && !selection.all
            }}
            onChange={() => setRowSelection(selection.all ? {} : Object.fromEntries(rows.map((m) => [m.userId, true])))}
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select ${row.original.displayName}`}
            checked={row.getIsSelected()}
            disabled={!row.getCanSelect()}
            onChange={row.getToggleSelectedHandler()}
          />
        ),
      },
      { id: 'name', accessorFn: (m) => m.displayName, header: 'Name', cell: ({ row }) => <strong className="truncate">{row.original.displayName}</strong> },
      { id: 'email', accessorFn: (m) => m.email, header: 'Email', cell: ({ row }) => <span className="truncate">{row.original.email}</span> },
      { id: 'role', accessorFn: (m) => m.role, header: 'Role', cell: ({ row }) => <RoleBadge role={row.original.role} /> },
      { id: 'joined', accessorFn: (m) => m.joinedAt, header: 'Joined', cell: ({ row }) => formatDate(row.original.joinedAt) },
      { id: 'workspaces', accessorFn: (m) => m.workspaceCount, header: 'Workspaces', sortDescFirst: false, cell: ({ row }) => row.original.workspaceCount },
      {
        id: 'actions',
        enableSorting: false,
        header: () => <span className="sr-only">Actions</span>,
        cell: ({ row }) => (
          <div className="row row-actions">
            <button
              className="btn btn-sm"
              aria-label={`Change role of ${row.original.displayName}`}
              disabled={roleReason !== null}
              title={roleReason ?? undefined}
              onClick={() => setDialog({ kind: 'role', members: [row.original] })}
            >
              Change role
            </button>
            <button
              className="btn btn-sm btn-danger"
              aria-label={`Remove ${row.original.displayName}`}
              disabled={removeReason !== null}
              title={removeReason ?? undefined}
              onClick={() => setDialog({ kind: 'remove', members: [row.original] })}
            >
              Remove
            </button>
          </div>
        ),
      },
    ],
    [roleReason, removeReason, selection, canSelect, rows],
  )

  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 44,
    overscan: 12,
  })
  const virtualItems = virtualizer.getVirtualItems()
  const windowStart = virtualItems[0]?.index ?? 0
  const windowEnd = (virtualItems[virtualItems.length - 1]?.index ?? -1) + 1
  // TanStack Table builds a row object per data item (seconds at 100 000): give it only the
  // rows on screen. Selection is keyed by user id, so it survives scrolling and filtering.
  const windowData = useMemo(() => rows.slice(windowStart, windowEnd), [rows, windowStart, windowEnd])
  const table = useReactTable({
    data: windowData,
    columns,
    getRowId: (m) => m.userId,
    getCoreRowModel: getCoreRowModel(),
    // Sorting and filtering happen above over precomputed keys; the table renders the result.
    manualSorting: true,
    manualFiltering: true,
    enableRowSelection: canSelect,
    enableSortingRemoval: false,
    state: { sorting, rowSelection },
    onSortingChange: setSorting,
    onRowSelectionChange: setRowSelection,
  })
  const tableRows = table.getRowModel().rows
  const selected = useMemo(() => members.filter((m) => rowSelection[m.userId]), [members, rowSelection])
  const closeDialog = (done: boolean) => {
    if (done) setRowSelection({})
    setDialog(null)
  }

  return (
    <>
      <div className="toolbar row">
        <label className="field search-field">
          <span>Search members</span>
          <input className="input" type="search" value={query} placeholder="Name or email" onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label className="field">
          <span>Filter by role</span>
          <select className="input" value={roleFilter} onChange={(e) => setRoleFilter(e.target.value as Role | '')}>
            <option value="">All roles</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        <span className="spacer" />
        <p className="muted member-count" aria-live="polite">
          {rows.length.toLocaleString()} of {members.length.toLocaleString()} members
        </p>
        <button className="btn" onClick={() => download(`${org.slug}-members.csv`, membersCsv(rows))} disabled={rows.length === 0}>
          Export CSV
        </button>
      </div>
      {selected.length > 0 && (
        <div className="bulk-bar row" role="region" aria-label="Selected members">
          <strong>{selected.length} selected</strong>
          <button className="btn btn-sm" disabled={roleReason !== null} title={roleReason ?? undefined} onClick={() => setDialog({ kind: 'role', members: selected })}>
            Change role…
          </button>
          <button
            className="btn btn-sm btn-danger"
            disabled={removeReason !== null}
            title={removeReason ?? undefined}
            onClick={() => setDialog({ kind: 'remove', members: selected })}
          >
            Remove…
          </button>
          <button className="btn btn-sm btn-ghost" onClick={() => setRowSelection({})}>
            Clear selection
          </button>
        </div>
      )}
      <div ref={scrollRef} className="vtable-scroll">
        <div role="table" aria-label={`Members of ${org.name}`} aria-rowcount={rows.length + 1} className="vtable">
          <div role="rowgroup" className="vtable-head">
            {table.getHeaderGroups().map((group) => (
              <div role="row" aria-rowindex={1} className="vtable-row" key={group.id}>
                {group.headers.map((header) => {
                  const sort = header.column.getIsSorted()
                  return (
                    <div
                      role="columnheader"
                      key={header.id}
                      className={`vcell vcell-${header.id}`}
                      aria-sort={header.column.getCanSort() ? (sort === 'asc' ? 'ascending' : sort === 'desc' ? 'descending' : 'none') : undefined}
                    >
                      {header.column.getCanSort() ? (
                        <button className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                          {flexRender(header.column.columnDef.header, header.getContext())}
                          <span aria-hidden="true" className="sort-mark">
                            {sort === 'asc' ? '▲' : sort === 'desc' ? '▼' : ''}
                          </span>
                        </button>
                      ) : (
                        flexRender(header.column.columnDef.header, header.getContext())
                      )}
                    </div>
                  )
                })}
              </div>
            ))}
          </div>
          <div role="rowgroup" className="vtable-body" style={{ height: virtualizer.getTotalSize() }}>
            {virtualItems.map((v) => {
              const row = tableRows[v.index - windowStart]
              if (!row) return null
              return (
                <div
                  role="row"
                  key={row.id}
                  aria-rowindex={v.index + 2}
                  aria-label={`${row.original.displayName}, ${row.original.email}`}
                  data-selected={row.getIsSelected() || undefined}
                  className="vtable-row"
                  style={{ transform: `translateY(${v.start}px)`, height: v.size }}
                >
                  {row.getVisibleCells().map((cell) => (
                    <div role="cell" key={cell.id} className={`vcell vcell-${cell.column.id}`}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </div>
                  ))}
                </div>
              )
            })}
          </div>
        </div>
        {rows.length === 0 && (
          <EmptyState title={members.length === 0 ? 'No members yet' : 'No members match'}>
            {members.length > 0 && <p>Try another name, email or role.</p>}
          </EmptyState>
        )}
      </div>
      {dialog?.kind === 'role' && <RoleEditorDialog orgRef={orgRef} org={org} members={dialog.members} onClose={closeDialog} />}
      {dialog?.kind === 'remove' && <RemoveMemberDialog orgRef={orgRef} org={org} members={dialog.members} onClose={closeDialog} />}
    </>
  )
}
