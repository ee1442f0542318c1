/** Delete an organization: Cancel first, and Delete only once its name is typed exactly. */
import { useState } from 'react'
import type { OrgDetail } from '../../../shared/api'
import { useDeleteOrg } from '../hooks/orgs'
import type { OrgRef } from '../stores/ui'
import { Dialog, ErrorMessage } from './ui'

export function DeleteOrgDialog({ orgRef, org, onClose }: { orgRef: OrgRef; org: OrgDetail; onClose: () => void }) {
  const [typed, setTyped] = useState('')
  const remove = useDeleteOrg(orgRef)
  const matches = typed.trim() === org.name
  return (
    <Dialog
      title={`Delete ${org.name}?`}
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-danger btn-solid" disabled={!matches || remove.isPending} onClick={() => remove.mutate(typed)}>
            {remove.isPending ? 'Deleting…' : 'Delete organization'}
          </button>
        </>
      }
    >
      <p className="alert alert-warning">
        All {org.memberCount} member{org.memberCount === 1 ? '' : 's'} of {org.name}, you included, lose access at once. Its{' '}
        {org.pendingInvitationCount} pending invitation{org.pendingInvitationCount === 1 ? '' : 's'} stop working. This cannot be undone.
      </p>
      <label className="field">
        <span>
          Type <strong>{org.name}</strong> to confirm
        </span>
        <input className="input" value={typed} autoComplete="off" spellCheck={false} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <ErrorMessage error={remove.error} />
    </Dialog>
  )
}
