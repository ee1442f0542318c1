/**
 * Members of the selected organization, from main's synced cache. Main searches, filters and
 * sorts where the list lives; the page asks only for the blocks of rows on screen, so neither
 * the bridge nor the renderer carries 100 000 members, and a keystroke re-renders a screenful.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef, type SortingState, type Updater } from '@tanstack/react-table'
import { memo, useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'
import type { Member, OrgSummary } from '../../../shared/api'
import { membersCsv } from '../../../shared/csv'
import type { MemberChange, MemberSort, MemberWindow } from '../../../shared/ipc'
import { ROLE_LABELS, ROLES, can, type Role } from '../../../shared/roles'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { RemoveMemberDialog } from '../components/RemoveMemberDialog'
import { RoleEditorDialog } from '../components/RoleEditorDialog'
import { MemberDetailPanel } from '../components/MemberDetailPanel'
import { EmptyState, ErrorMessage, RoleBadge, RoleOptions, Skeleton, formatDate, formatRelative, useNow } from '../components/ui'
import { readAllMembers, useAccount, useLoadMembers, useMemberWindows, useMembers, useOrgs } from '../hooks/queries'
import { useLive } from '../hooks/useBridgeEvents'
import { call, orgAdmin, qk } from '../lib/bridge'
import { downloadText } from '../lib/download'
import { useCurrentOrg, useUi, type OrgRef } from '../stores/ui'

/** Rows per window asked of main: a few screenfuls, cheap to validate on both sides. */
const BLOCK = 100
const ROW_HEIGHT = 44
const PREFETCH = BLOCK / 2
/**
 * Rows rendered beyond each edge of the visible ones (176 px), so a scroll frame meets rows
 * already there; few, since a keystroke that changes every row renders these too.
 */
const OVERSCAN = 4
/** The table holds headers and sort state; rows come from main's windows. */
const NO_ROWS: Member[] = []
/**
 * Headers only: rows are MemberRow, so a keystroke or a scroll frame renders the rows it changes.
 * Fixed, so a keystroke (a new count) neither rebuilds the table's columns nor remounts a header;
 * the select-all box, which depends on the page, is rendered in the header row itself.
 */
const COLUMNS: ColumnDef<Member>[] = [
  { id: 'select', enableSorting: false },
  // An accessor makes a column sortable; main does the sorting.
  { id: 'name', accessorFn: (m) => m.displayName, header: 'Name' },
  { id: 'email', accessorFn: (m) => m.email, header: 'Email' },
  { id: 'role', accessorFn: (m) => m.role, header: 'Role' },
  { id: 'joined', accessorFn: (m) => m.joinedAt, header: 'Joined' },
  { id: 'workspaces', accessorFn: (m) => m.workspaceCount, header: 'Workspaces', sortDescFirst: false },
  { id: 'actions', enableSorting: false, header: () => <span className="sr-only">Actions</span> },
]

interface Filter {
  q: string
  role: Role | null
  sort: MemberSort
  desc: boolean
}
const ALL: Filter = { q: '', role: null, sort: 'name', desc: false }
const blockQuery = (filter: Filter, block: number) => ({ ...filter, offset: block * BLOCK, limit: BLOCK })

export function MembersPage() {
  const ref = useCurrentOrg()
  // Search, filter, sort and selection belong to one organization: a switch starts afresh.
  return <OrgMembers key={`${ref.accountId}/${ref.orgId}`} orgRef={ref} />
}

function OrgMembers({ orgRef: ref }: { orgRef: OrgRef }) {
  /** The filter of the rows shown; what was last asked for is `asked`. */
  const [filter, setFilter] = useState<Filter>(ALL)
  const asked = useRef(filter)
  const first = useMembers(ref, blockQuery(filter, 0))
  const load = useLoadMembers(ref)
  // A change of filter (a keystroke) asks main and renders nothing until the answer is in (the
  // search box and role list are uncontrolled): the page then renders once, with the new rows
  // and count, where it rendered the last answer again at the keystroke and stayed busy with it
  // while main searched. Only the latest ask is shown; an older answer arriving late is dropped.
  const onFilter = useCallback(
    (change: Partial<Filter>) => {
      const next = (asked.current = { ...asked.current, ...change })
      // Synchronously, as the answer would have reached React (notifyManager runs on microtasks):
      // a frame between the answer and its rows would only delay them.
      load(blockQuery(next, 0), () => {
        if (asked.current === next) flushSync(() => setFilter(next))
      })
    },
    [load],
  )
  const org = useOrgs(ref.accountId).data?.data.find((o) => o.id === ref.orgId)
  const offline = useOffline(ref.accountId, first.data)
  const snapshot = first.data?.data
  const me = useAccount(ref.accountId)?.email.toLowerCase()

  return (
    <section className="members-page" aria-labelledby="members-title">
      <div className="page-header">
        <h1 id="members-title">Members</h1>
        <span className="spacer" />
        <SyncStatus orgRef={ref} syncedAt={first.data?.syncedAt ?? null} />
      </div>
      {offline && <OfflineBanner syncedAt={first.data?.syncedAt ?? null} />}
      {first.isLoading || !org ? (
        <Skeleton label="Loading members" />
      ) : first.error ? (
        <ErrorMessage error={first.error} />
      ) : snapshot ? (
        <>
          <ChangesSinceSync snapshot={snapshot} />
          <MembersTable orgRef={ref} org={org} first={snapshot} filter={filter} onFilter={onFilter} offline={offline} me={me} />
        </>
      ) : null}
    </section>
  )
}

/** Memoized: a keystroke re-renders the page around it, not its clock, progress and Refresh. */
const SyncStatus = memo(function SyncStatus({ orgRef, syncedAt }: { orgRef: OrgRef; syncedAt: string | null }) {
  const client = useQueryClient()
  const now = useNow()
  const progress = useLive((s) => s.progress[`${orgRef.accountId}/${orgRef.orgId}`])
  const sync = useMutation({
    mutationFn: () => call(orgAdmin().members.sync(orgRef)),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: qk.members(orgRef.accountId, orgRef.orgId) })
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
})

function describeChange(c: MemberChange): string {
  if (c.kind === 'joined') return `joined${c.to ? ` as ${ROLE_LABELS[c.to]}` : ''}`
  if (c.kind === 'left') return `left${c.from ? ` (was ${ROLE_LABELS[c.from]})` : ''}`
  return `role changed${c.from ? ` from ${ROLE_LABELS[c.from]}` : ''}${c.to ? ` to ${ROLE_LABELS[c.to]}` : ''}`
}

function ChangesSinceSync({ snapshot: { changes, changeCount, previousSyncedAt } }: { snapshot: MemberWindow }) {
  if (!previousSyncedAt) return null
  return (
    <details className="changes card">
      <summary>
        Changes since last sync <span className="badge">{changeCount}</span>
      </summary>
      {changeCount === 0 ? (
        <p className="muted">No one joined, left or changed role since {formatDate(previousSyncedAt)}.</p>
      ) : (
        <ul className="compact-list">
          {changes.map((c) => (
            <li key={`${c.kind}-${c.userId}`}>
              <strong>{c.displayName}</strong> <span className="muted">{c.email}</span> {describeChange(c)}
            </li>
          ))}
          {changeCount > changes.length && <li className="muted">and {changeCount - changes.length} more</li>}
        </ul>
      )}
    </details>
  )
}

type Dialog = { kind: 'role' | 'remove'; members: Member[] } | null

/** What a row needs beyond its member: stable while the page's permissions are, so rows stay memoized. */
interface RowActions {
  toggle: (m: Member) => void
  open: (kind: 'role' | 'remove', m: Member) => void
  /** Opens the member detail panel. */
  details: (userId: string) => void
  roleReason: string | null
  removeReason: string | null
  canSelect: boolean
  /** The signed-in person's email, to mark their own row. */
  me: string | undefined
}

/**
 * One member's row. Memoized on its member (the same object while its block is cached), its
 * place and its selection: a scroll frame renders only the rows it brings in, a keystroke only
 * the rows whose member changed. Keyed by its place in the list, not by member: a keystroke
 * that brings other members fills the same row elements with their text, where new keys would
 * build every row's dozen elements afresh (about twice the time).
 */
const MemberRow = memo(function MemberRow({ member: m, index, start, selected, actions: a }: { member: Member; index: number; start: number; selected: boolean; actions: RowActions }) {
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-label={`${m.displayName}, ${m.email}`}
      data-selected={selected || undefined}
      className="vtable-row"
      style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}
    >
      <div role="cell" className="vcell vcell-select">
        <input type="checkbox" aria-label={`Select ${m.displayName}`} checked={selected} disabled={!a.canSelect} onChange={() => a.toggle(m)} />
      </div>
      <div role="cell" className="vcell vcell-name">
        {/* The name opens the detail panel: a fourth row button would not fit a 900 px window. */}
        <button className="link-button truncate" aria-label={`Details of ${m.displayName}`} onClick={() => a.details(m.userId)}>
          {m.displayName}
        </button>
        {m.email.toLowerCase() === a.me && <span className="badge badge-you">You</span>}
      </div>
      <div role="cell" className="vcell vcell-email truncate">
        {m.email}
      </div>
      <div role="cell" className="vcell vcell-role">
        <RoleBadge role={m.role} />
      </div>
      <div role="cell" className="vcell vcell-joined">
        {formatDate(m.joinedAt)}
      </div>
      <div role="cell" className="vcell vcell-workspaces">
        {m.workspaceCount}
      </div>
      <div role="cell" className="vcell vcell-actions">
        <button
          className="btn btn-sm"
          aria-label={`Change role of ${m.displayName}`}
          disabled={a.roleReason !== null}
          title={a.roleReason ?? undefined}
          onClick={() => a.open('role', m)}
        >
          Change role
        </button>
        <button
          className="btn btn-sm btn-danger"
          aria-label={`Remove ${m.displayName}`}
          disabled={a.removeReason !== null}
          title={a.removeReason ?? undefined}
          onClick={() => a.open('remove', m)}
        >
          Remove
        </button>
      </div>
    </div>
  )
})

/**
 * The rows under the scroll position, OVERSCAN more on each side, and the blocks of rows they
 * need. Its own component, so a scroll frame renders these rows and nothing else of the page.
 */
const MemberRows = memo(function MemberRows({
  orgRef,
  first,
  filter,
  scrollRef,
  selected,
  actions,
}: {
  orgRef: OrgRef
  first: MemberWindow
  filter: Filter
  scrollRef: RefObject<HTMLDivElement | null>
  selected: Record<string, Member>
  actions: RowActions
}) {
  const { matched } = first
  const [top, bottom] = useVisibleRows(scrollRef)
  // Fewer matches than rows above the scroll position (typing while scrolled down): the browser
  // moves the scroll position up after this render; meanwhile show the last screenful.
  const shownTop = Math.max(0, Math.min(top, matched - 1 - (bottom - top)))
  const from = Math.max(0, shownTop - OVERSCAN)
  const to = Math.min(matched - 1, shownTop + (bottom - top) + OVERSCAN)
  // The blocks under the rendered rows. Block 0 is the page's own query (`first`), which arrives
  // together with its `filter` (OrgMembers); the others load on demand, and
  // the next one while the last rendered row is within PREFETCH of it, so scrolling meets loaded rows.
  const fromBlock = Math.max(1, Math.floor(from / BLOCK))
  const lastBlock = Math.min(Math.floor((Math.max(0, to) + PREFETCH) / BLOCK), Math.floor(Math.max(0, matched - 1) / BLOCK))
  const blockQueries = useMemo(
    () => Array.from({ length: Math.max(0, lastBlock - fromBlock + 1) }, (_, i) => blockQuery(filter, fromBlock + i)),
    [filter, fromBlock, lastBlock],
  )
  const blocks = useMemberWindows(orgRef, blockQueries)
  const rowAt = (index: number): Member | undefined => {
    const block = Math.floor(index / BLOCK)
    const w = block === 0 ? first : blocks[block - fromBlock]?.data?.data
    return w && w.offset === block * BLOCK ? w.members[index - w.offset] : undefined
  }
  const rows = []
  for (let index = from; index <= to; index++) {
    const member = rowAt(index)
    const start = index * ROW_HEIGHT
    rows.push(
      member ? (
        <MemberRow key={index} member={member} index={index} start={start} selected={selected[member.userId] !== undefined} actions={actions} />
      ) : (
        <div role="row" key={index} aria-rowindex={index + 2} aria-busy="true" className="vtable-row" style={{ transform: `translateY(${start}px)`, height: ROW_HEIGHT }}>
          <div role="cell" className="vcell muted">
            …
          </div>
        </div>
      ),
    )
  }
  return (
    <div role="rowgroup" className="vtable-body" style={{ height: matched * ROW_HEIGHT }}>
      {rows}
    </div>
  )
})

/**
 * The first and last index of the rows the scroll element shows. Rows are all ROW_HEIGHT tall,
 * so this is arithmetic on scrollTop, with no per-row measurements to rebuild when the count
 * changes. It renders again only when those indices change, and within the scroll event
 * (flushSync), so the frame that scrolls paints the rows it brought in.
 */
function useVisibleRows(scrollRef: RefObject<HTMLElement | null>): [number, number] {
  // Until the effect has measured: at most a window's height of rows.
  const [rows, setRows] = useState<[number, number]>(() => [0, Math.ceil(window.innerHeight / ROW_HEIGHT)])
  // An effect, not a layout effect: the scroll element is an ancestor, whose ref is attached after this component's layout effects run.
  useEffect(() => {
    const el = scrollRef.current
    if (!el) return
    const update = () => {
      const next: [number, number] = [Math.floor(el.scrollTop / ROW_HEIGHT), Math.floor((el.scrollTop + el.clientHeight) / ROW_HEIGHT)]
      setRows((prev) => (prev[0] === next[0] && prev[1] === next[1] ? prev : next))
    }
    const onScroll = () => flushSync(update)
    update()
    el.addEventListener('scroll', onScroll, { passive: true })
    const resized = new ResizeObserver(update)
    resized.observe(el)
    return () => {
      el.removeEventListener('scroll', onScroll)
      resized.disconnect()
    }
  }, [scrollRef])
  return rows
}

/**
 * Search and role filter. Uncontrolled and memoized: a keystroke renders nothing of React but
 * asks main (OrgMembers), and the render of its answer leaves these as they are.
 */
const FilterFields = memo(function FilterFields({ shown, onFilter }: { shown: Filter; onFilter: (change: Partial<Filter>) => void }) {
  return (
    <>
      <label className="field search-field">
        <span>Search members</span>
        <input className="input" type="search" defaultValue={shown.q} placeholder="Name or email" onChange={(e) => onFilter({ q: e.target.value })} />
      </label>
      <label className="field">
        <span>Filter by role</span>
        <select className="input" defaultValue={shown.role ?? ''} onChange={(e) => onFilter({ role: (e.target.value || null) as Role | null })}>
          <option value="">All roles</option>
          <RoleOptions roles={ROLES} />
        </select>
      </label>
    </>
  )
})

/** The header row: sort buttons and the select-all box. Memoized: the render of a search's answer leaves it as it is. */
const MembersHeader = memo(function MembersHeader({
  sort,
  desc,
  onFilter,
  allSelected,
  someSelected,
  selectable,
  onToggleAll,
}: {
  sort: MemberSort
  desc: boolean
  onFilter: (change: Partial<Filter>) => void
  allSelected: boolean
  someSelected: boolean
  selectable: boolean
  onToggleAll: () => void
}) {
  const table = useReactTable({
    data: NO_ROWS,
    columns: COLUMNS,
    getCoreRowModel: getCoreRowModel(),
    // Main sorts and filters; the table only keeps the sort state of its headers.
    manualSorting: true,
    manualFiltering: true,
    enableSortingRemoval: false,
    state: { sorting: [{ id: sort, desc }] },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = (typeof updater === 'function' ? updater([{ id: sort, desc }]) : updater)[0]
      if (next) onFilter({ sort: next.id as MemberSort, desc: next.desc })
    },
  })
  // "All" means every member matching the filter, not only the rows on screen.
  const selectAll = (
    <input
      type="checkbox"
      aria-label="Select all shown members"
      checked={allSelected}
      disabled={!selectable}
      ref={(el) => {
        if (el) el.indeterminate = someSelected && !allSelected
      }}
      onChange={onToggleAll}
    />
  )
  return (
    <div role="rowgroup" className="vtable-head">
      {table.getHeaderGroups().map((group) => (
        <div role="row" aria-rowindex={1} className="vtable-row" key={group.id}>
          {group.headers.map((header) => {
            const sorted = header.column.getIsSorted()
            return (
              <div
                role="columnheader"
                key={header.id}
                className={`vcell vcell-${header.id}`}
                aria-sort={header.column.getCanSort() ? (sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none') : undefined}
              >
                {header.column.getCanSort() ? (
                  <button className="sort-button" onClick={header.column.getToggleSortingHandler()}>
                    {flexRender(header.column.columnDef.header, header.getContext())}
                    <span aria-hidden="true" className="sort-mark">
                      {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : ''}
                    </span>
                  </button>
                ) : header.id === 'select' ? (
                  selectAll
                ) : (
                  flexRender(header.column.columnDef.header, header.getContext())
                )}
              </div>
            )
          })}
        </div>
      ))}
    </div>
  )
})

function MembersTable({
  orgRef,
  org,
  first,
  filter,
  onFilter,
  offline,
  me,
}: {
  orgRef: OrgRef
  org: OrgSummary
  first: MemberWindow
  filter: Filter
  onFilter: (change: Partial<Filter>) => void
  offline: boolean
  /** The signed-in person's email, to mark their own row. */
  me: string | undefined
}) {
  // Selection is kept by user id with the member as seen, so it survives scrolling and filtering.
  const [selected, setSelected] = useState<Record<string, Member>>({})
  /** The filter whose matches "select all" picked, while nothing was toggled since. */
  const [allOf, setAllOf] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [dialog, setDialog] = useState<Dialog>(null)
  const panel = useUi((s) => s.memberPanel)
  const openPanel = useUi((s) => s.openMemberPanel)
  const { matched, total } = first
  const filterKey = JSON.stringify(filter)

  const canSelect = org.myRole === 'owner' && !offline
  const selectedList = useMemo(() => Object.values(selected), [selected])
  const allSelected = allOf === filterKey && selectedList.length > 0
  const someSelected = selectedList.length > 0
  const roleReason = offline ? OFFLINE_REASON : can(org.myRole, 'members.editRole') ? null : 'Only an Owner can change roles'
  const removeReason = offline ? OFFLINE_REASON : can(org.myRole, 'members.remove') ? null : 'Only an Owner can remove members'

  const toggle = useCallback((m: Member) => {
    setAllOf(null)
    setSelected((prev) => {
      const next = { ...prev }
      if (next[m.userId]) delete next[m.userId]
      else next[m.userId] = m
      return next
    })
  }, [])
  const { q, role, sort, desc } = filter
  const everyMatch = useCallback(() => readAllMembers(orgRef, { q, role, sort, desc }), [orgRef, q, role, sort, desc])
  const toggleAll = useCallback(async () => {
    if (allSelected) {
      setSelected({})
      setAllOf(null)
      return
    }
    setBusy(true)
    try {
      const all = await everyMatch()
      setSelected(Object.fromEntries(all.map((m) => [m.userId, m])))
      setAllOf(filterKey)
    } finally {
      setBusy(false)
    }
  }, [allSelected, everyMatch, filterKey])
  const exportCsv = async () => {
    setBusy(true)
    try {
      downloadText(`${org.slug}-members.csv`, membersCsv(await everyMatch()))
    } finally {
      setBusy(false)
    }
  }

  // The header keeps one callback: it renders again only when its own state changes.
  const toggleAllNow = useRef(toggleAll)
  toggleAllNow.current = toggleAll
  const onToggleAll = useCallback(() => void toggleAllNow.current(), [])
  const rowActions = useMemo<RowActions>(
    () => ({ toggle, open: (kind, member) => setDialog({ kind, members: [member] }), details: openPanel, roleReason, removeReason, canSelect, me }),
    [toggle, openPanel, roleReason, removeReason, canSelect, me],
  )

  const scrollRef = useRef<HTMLDivElement>(null)
  // The filter fields are uncontrolled: what they show at mount is all they take from here.
  const [shownAtMount] = useState(filter)
  const closeDialog = (done: boolean) => {
    if (done) {
      setSelected({})
      setAllOf(null)
    }
    setDialog(null)
  }

  return (
    <>
      <div className="toolbar row">
        <FilterFields shown={shownAtMount} onFilter={onFilter} />
        <span className="spacer" />
        <p className="muted member-count" aria-live="polite">
          {matched.toLocaleString()} of {total.toLocaleString()} members
        </p>
        <button className="btn" onClick={() => void exportCsv()} disabled={matched === 0 || busy}>
          Export CSV
        </button>
      </div>
      {someSelected && (
        <div className="bulk-bar row" role="region" aria-label="Selected members">
          <strong>{selectedList.length} selected</strong>
          <button className="btn btn-sm" disabled={roleReason !== null} title={roleReason ?? undefined} onClick={() => setDialog({ kind: 'role', members: selectedList })}>
            Change role…
          </button>
          <button
            className="btn btn-sm btn-danger"
            disabled={removeReason !== null}
            title={removeReason ?? undefined}
            onClick={() => setDialog({ kind: 'remove', members: selectedList })}
          >
            Remove…
          </button>
          <button
            className="btn btn-sm btn-ghost"
            onClick={() => {
              setSelected({})
              setAllOf(null)
            }}
          >
            Clear selection
          </button>
        </div>
      )}
      <div ref={scrollRef} className="vtable-scroll">
        <div role="table" aria-label={`Members of ${org.name}`} aria-rowcount={matched + 1} className="vtable">
          <MembersHeader
            sort={sort}
            desc={desc}
            onFilter={onFilter}
            allSelected={allSelected}
            someSelected={someSelected}
            selectable={canSelect && matched > 0}
            onToggleAll={onToggleAll}
          />
          <MemberRows orgRef={orgRef} first={first} filter={filter} scrollRef={scrollRef} selected={selected} actions={rowActions} />
        </div>
        {matched === 0 && (
          <EmptyState title={total === 0 ? 'No members yet' : 'No members match'}>
            {total > 0 && <p>Try another name, email or role.</p>}
          </EmptyState>
        )}
      </div>
      {dialog?.kind === 'role' && <RoleEditorDialog orgRef={orgRef} org={org} members={dialog.members} me={me} onClose={closeDialog} />}
      {dialog?.kind === 'remove' && <RemoveMemberDialog orgRef={orgRef} org={org} members={dialog.members} me={me} onClose={closeDialog} />}
      {panel && <MemberDetailPanel key={panel} orgRef={orgRef} org={org} userId={panel} me={me} />}
    </>
  )
}
