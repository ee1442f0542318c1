/** Confirm removing one or several members from the organization. */
import type { Member, OrgSummary } from '../../../shared/api'
import type { OrgRef } from '../stores/ui'
import { useRemoveMembers } from './memberMutations'
import { Dialog, ErrorMessage } from './ui'

export function RemoveMemberDialog({
  orgRef,
  org,
  members,
  me,
  onClose,
}: {
  orgRef: OrgRef
  org: OrgSummary
  members: Member[]
  /** The signed-in user's email (lowercase): removing yourself gets its own warning. */
  me: string | undefined
  onClose: (removed: boolean) => void
}) {
  const remove = useRemoveMembers(orgRef)
  const self = members.find((m) => m.email.toLowerCase() === me)
  const who = members.length === 1 && members[0] ? (self ? 'yourself' : members[0].displayName) : `${members.length} members`
  return (
    <Dialog
      title={`Remove ${who} from ${org.name}?`}
      onClose={() => onClose(false)}
      actions={
        <>
          <button className="btn" data-close onClick={() => onClose(false)}>
            Cancel
          </button>
          <button
            className="btn btn-danger btn-solid"
            disabled={remove.isPending}
            onClick={() => remove.mutate(members, { onSuccess: () => onClose(true) })}
          >
            {remove.isPending ? 'Removing…' : 'Remove'}
          </button>
        </>
      }
    >
      {self && (
        <p className="alert alert-warning">
          {members.length > 1 ? 'You are among them: you' : 'You'} ({self.email}) will lose access to {org.name} at once, and only
          another Owner can invite you back.
        </p>
      )}
      {(!self || members.length > 1) && <p>They lose access to {org.name} and its workspaces. They can be invited again later.</p>}
      {members.length > 1 && (
        <ul className="compact-list">
          {members.slice(0, 10).map((m) => (
            <li key={m.userId}>
              {m.displayName} <span className="muted">{m.email}</span>
            </li>
          ))}
          {members.length > 10 && <li className="muted">and {members.length - 10} more</li>}
        </ul>
      )}
      <ErrorMessage error={remove.error} />
    </Dialog>
  )
}
