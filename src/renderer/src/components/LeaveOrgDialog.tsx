/** Confirm leaving an organization; the server's refusal (e.g. last Owner) is shown in place. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import type { OrgEntry } from '../hooks/queries'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useUi } from '../stores/ui'
import { Dialog, ErrorMessage } from './ui'

export function LeaveOrgDialog({ entry, onClose }: { entry: OrgEntry; onClose: () => void }) {
  const client = useQueryClient()
  const leave = useMutation({
    mutationFn: () => call(orgAdmin().orgs.leave(entry.ref)),
    onSuccess: async () => {
      const { current, recent } = useUi.getState()
      const same = (r: { accountId: string; orgId: string } | null) => r?.accountId === entry.ref.accountId && r.orgId === entry.ref.orgId
      // The shell selects another organization once this one is gone.
      useUi.setState({ current: same(current) ? null : current, recent: recent.filter((r) => !same(r)) })
      client.removeQueries({ predicate: (q) => q.queryKey[1] === entry.ref.accountId && q.queryKey[2] === entry.ref.orgId })
      await client.invalidateQueries({ queryKey: qk.orgs(entry.ref.accountId) })
      onClose()
    },
  })
  return (
    <Dialog
      title={`Leave ${entry.org.name}?`}
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-danger btn-solid" disabled={leave.isPending} onClick={() => leave.mutate()}>
            {leave.isPending ? 'Leaving…' : `Leave ${entry.org.name}`}
          </button>
        </>
      }
    >
      <p>
        You ({entry.account.email}) will lose access to {entry.org.name} and its workspaces. To come back, someone must invite you again.
      </p>
      <ErrorMessage error={leave.error} />
    </Dialog>
  )
}
