/** Choose a role for one or several members, with what each role may do. */
import { useState } from 'react'
import type { Member, OrgSummary } from '../../../shared/api'
import { PRIVILEGE_LABELS, ROLE_LABELS, ROLE_PRIVILEGES, ROLES, type Role } from '../../../shared/roles'
import type { OrgRef } from '../stores/ui'
import { useChangeRoles } from './memberMutations'
import { RoleChoice } from './RoleChoice'
import { Dialog, ErrorMessage } from './ui'

export function RoleEditorDialog({
  orgRef,
  org,
  members,
  me,
  onClose,
}: {
  orgRef: OrgRef
  org: OrgSummary
  members: Member[]
  /** The signed-in user's email (lowercase): changing your own role gets a warning. */
  me: string | undefined
  onClose: (saved: boolean) => void
}) {
  const first = members[0]
  const [role, setRole] = useState<Role>(members.every((m) => m.role === first?.role) && first ? first.role : 'member')
  const change = useChangeRoles(orgRef)
  // The server refuses to leave an organization without an Owner; say so before trying.
  const soleOwner = org.ownerCount === 1 ? members.find((m) => m.role === 'owner') : undefined
  const title = members.length === 1 && first ? `Change role of ${first.displayName}` : `Change role of ${members.length} members`
  const unchanged = members.every((m) => m.role === role)
  const self = members.find((m) => m.email.toLowerCase() === me)
  const demotingSelf = self && role !== self.role && ROLE_PRIVILEGES[role].length < ROLE_PRIVILEGES[self.role].length

  return (
    <Dialog
      title={title}
      onClose={() => onClose(false)}
      actions={
        <>
          <button className="btn" data-close onClick={() => onClose(false)}>
            Cancel
          </button>
          <button
            className="btn btn-primary"
            disabled={unchanged || change.isPending}
            onClick={() => change.mutate({ members, role }, { onSuccess: () => onClose(true) })}
          >
            {change.isPending ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      {soleOwner && (
        <p className="alert alert-info">
          {soleOwner.displayName} is the only Owner of {org.name}. Make someone else an Owner first.
        </p>
      )}
      {demotingSelf && (
        <p className="alert alert-warning" role="alert">
          You are changing your own role to {ROLE_LABELS[role]}. You will lose what {ROLE_LABELS[self.role]}s may do in {org.name}, and only
          an Owner can give it back.
        </p>
      )}
      <RoleChoice
        label="Role"
        roles={ROLES}
        value={role}
        onChange={setRole}
        roleLabel={(r) => ROLE_LABELS[r]}
        privileges={(r) => ROLE_PRIVILEGES[r].map((p) => PRIVILEGE_LABELS[p])}
        isDisabled={(r) => !!soleOwner && r !== 'owner'}
      />
      <ErrorMessage error={change.error} />
    </Dialog>
  )
}
