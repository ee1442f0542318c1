/**
 * Add someone to a workspace, or change their role there, with what each workspace role may do.
 * Opened from a workspace (pick the person: searched among organization members in main) or from
 * the member panel (pick the workspace).
 */
import { useId, useState } from 'react'
import type { User, Workspace } from '../../../shared/api'
import { WORKSPACE_PRIVILEGE_LABELS, WORKSPACE_ROLE_LABELS, WORKSPACE_ROLE_PRIVILEGES, WORKSPACE_ROLES, type WorkspaceRole } from '../../../shared/roles'
import { useMembers } from '../hooks/queries'
import { useWorkspaceMutations } from '../hooks/workspaces'
import type { OrgRef } from '../stores/ui'
import { RoleChoice } from './RoleChoice'
import { Dialog, ErrorMessage } from './ui'

type Person = Pick<User, 'id' | 'displayName' | 'email'>

export function WorkspaceMemberDialog({
  orgRef,
  workspace,
  choices = [],
  person,
  role: initialRole = 'member',
  onClose,
}: {
  orgRef: OrgRef
  /** The workspace, or null to choose one of `choices`. */
  workspace: Workspace | null
  choices?: Workspace[]
  /** The person, or null to search organization members. */
  person: Person | null
  role?: WorkspaceRole
  onClose: () => void
}) {
  const id = useId()
  const [role, setRole] = useState<WorkspaceRole>(initialRole)
  const [picked, setPicked] = useState<Person | null>(person)
  const [wsId, setWsId] = useState(workspace?.id ?? choices[0]?.id ?? '')
  const { setMember } = useWorkspaceMutations(orgRef)
  const target = workspace ?? choices.find((w) => w.id === wsId) ?? null
  const existing = target?.members?.find((m) => m.id === picked?.id)
  const changing = !!person && !!workspace && !!existing
  const title = changing ? `Role of ${person.displayName} in ${workspace.name}` : `Add ${person ? person.displayName : 'a member'} to ${workspace ? workspace.name : 'a workspace'}`
  return (
    <Dialog
      title={title}
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button
            className="btn btn-primary"
            disabled={!picked || !target || existing?.role === role || setMember.isPending}
            onClick={() => picked && target && setMember.mutate({ workspaceId: target.id, userId: picked.id, role }, { onSuccess: onClose })}
          >
            {setMember.isPending ? 'Saving…' : changing ? 'Save' : 'Add'}
          </button>
        </>
      }
    >
      {!workspace && (
        <label className="field">
          <span>Workspace</span>
          <select className="input" value={wsId} onChange={(e) => setWsId(e.target.value)}>
            {choices.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {!person && <MemberPicker orgRef={orgRef} workspace={workspace} picked={picked} onPick={setPicked} name={`${id}-person`} />}
      <RoleChoice
        label="Workspace role"
        roles={WORKSPACE_ROLES}
        value={role}
        onChange={setRole}
        roleLabel={(r) => WORKSPACE_ROLE_LABELS[r]}
        privileges={(r) => WORKSPACE_ROLE_PRIVILEGES[r].map((p) => WORKSPACE_PRIVILEGE_LABELS[p])}
      />
      <ErrorMessage error={setMember.error} />
    </Dialog>
  )
}

/** Organization members matching what is typed (main searches its cached list; a few rows at a time). */
function MemberPicker({
  orgRef,
  workspace,
  picked,
  onPick,
  name,
}: {
  orgRef: OrgRef
  workspace: Workspace | null
  picked: Person | null
  onPick: (p: Person) => void
  name: string
}) {
  const [q, setQ] = useState('')
  const found = useMembers(orgRef, { q: q.trim(), limit: 8 })
  const inIt = new Set(workspace?.members?.map((m) => m.id))
  const rows = found.data?.data.members ?? []
  return (
    <div className="stack">
      <label className="field">
        <span>Find a member of the organization</span>
        <input className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Name or email" autoFocus />
      </label>
      <div role="radiogroup" aria-label="Member" className="picker-list">
        {rows.map((m) => {
          const already = inIt.has(m.userId)
          return (
            <label key={m.userId} className={`picker-option${picked?.id === m.userId ? ' selected' : ''}`}>
              <input
                type="radio"
                name={name}
                checked={picked?.id === m.userId}
                disabled={already}
                onChange={() => onPick({ id: m.userId, displayName: m.displayName, email: m.email })}
              />
              <span className="truncate">
                {m.displayName} <span className="muted">{m.email}</span>
              </span>
              {already && <span className="badge">Already in</span>}
            </label>
          )
        })}
        {found.data && rows.length === 0 && <p className="muted">No member matches “{q}”.</p>}
      </div>
      {found.data && found.data.data.matched > rows.length && <p className="muted">{found.data.data.matched - rows.length} more match — type more to narrow down.</p>}
    </div>
  )
}
