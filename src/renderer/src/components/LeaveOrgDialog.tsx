/**
 * Confirm leaving an organization; the server's refusal (e.g. last Owner) is shown in place.
 * The only Owner gets a guided hand-off instead: pick a member, make them an Owner, then leave.
 * Each step is its own call, so a failure after the first says so: the new Owner stays, and
 * leaving can be tried again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { forgetOrg } from '../hooks/orgs'
import { useMembers, type OrgEntry } from '../hooks/queries'
import { call, orgAdmin, qk } from '../lib/bridge'
import { Dialog, ErrorMessage } from './ui'

export function LeaveOrgDialog({ entry, onClose }: { entry: OrgEntry; onClose: () => void }) {
  const client = useQueryClient()
  const soleOwner = entry.org.myRole === 'owner' && entry.org.ownerCount === 1
  const [successor, setSuccessor] = useState<{ userId: string; displayName: string } | null>(null)
  const [handedOff, setHandedOff] = useState(false)
  const leave = useMutation({
    mutationFn: () => call(orgAdmin().orgs.leave(entry.ref)),
    onSuccess: async () => {
      await forgetOrg(client, entry.ref)
      onClose()
    },
  })
  const promote = useMutation({
    mutationFn: (userId: string) => call(orgAdmin().members.changeRole({ ...entry.ref, userId, role: 'owner' })),
    onSuccess: () => {
      setHandedOff(true)
      void client.invalidateQueries({ queryKey: qk.members(entry.ref.accountId, entry.ref.orgId) })
      leave.mutate()
    },
  })
  const handOff = soleOwner && !handedOff
  const busy = leave.isPending || promote.isPending
  const name = entry.org.name
  return (
    <Dialog
      title={soleOwner ? `Hand off ${name} and leave` : `Leave ${name}?`}
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          {handOff ? (
            <button className="btn btn-danger btn-solid" disabled={!successor || busy} onClick={() => successor && promote.mutate(successor.userId)}>
              {promote.isPending ? 'Making them an Owner…' : successor ? `Make ${successor.displayName} an Owner, then leave` : 'Choose the new Owner'}
            </button>
          ) : (
            <button className="btn btn-danger btn-solid" disabled={busy} onClick={() => leave.mutate()}>
              {leave.isPending ? 'Leaving…' : handedOff ? 'Try leaving again' : `Leave ${name}`}
            </button>
          )}
        </>
      }
    >
      {handOff && (
        <>
          <p>You are the only Owner of {name}. An organization always keeps an Owner, so hand it to someone first:</p>
          <ol className="compact-list">
            <li>The member you choose becomes an Owner, with every Owner privilege.</li>
            <li>Then you ({entry.account.email}) leave {name} and lose access to it and its workspaces.</li>
          </ol>
          <SuccessorPicker entry={entry} value={successor} onChange={setSuccessor} />
        </>
      )}
      {handedOff && (
        <p className="alert alert-success" role="status">
          Step 1 done: {successor?.displayName} is now an Owner of {name}.
          {leave.isError && ' Leaving failed; you are still a member. Try again below.'}
        </p>
      )}
      {!soleOwner && (
        <p>
          You ({entry.account.email}) will lose access to {name} and its workspaces. To come back, someone must invite you again.
        </p>
      )}
      <ErrorMessage error={promote.error ?? leave.error} />
    </Dialog>
  )
}

/** Search the members (main filters the cached list) and pick one. */
function SuccessorPicker({
  entry,
  value,
  onChange,
}: {
  entry: OrgEntry
  value: { userId: string } | null
  onChange: (m: { userId: string; displayName: string }) => void
}) {
  const id = useId()
  const [q, setQ] = useState('')
  const me = entry.account.email.toLowerCase()
  const found = useMembers(entry.ref, { q, limit: 50 }).data?.data.members.filter((m) => m.email.toLowerCase() !== me) ?? []
  return (
    <div className="stack">
      <label className="field" htmlFor={`${id}-q`}>
        <span>Find the new Owner</span>
      </label>
      <input id={`${id}-q`} className="input" value={q} placeholder="Name or email" onChange={(e) => setQ(e.target.value)} />
      <label className="field" htmlFor={`${id}-pick`}>
        <span>New Owner</span>
      </label>
      <select
        id={`${id}-pick`}
        className="input"
        value={value?.userId ?? ''}
        onChange={(e) => {
          const m = found.find((f) => f.userId === e.target.value)
          if (m) onChange(m)
        }}
      >
        <option value="" disabled>
          {found.length ? 'Choose a member' : 'No member matches'}
        </option>
        {found.map((m) => (
          <option key={m.userId} value={m.userId}>
            {m.displayName} ({m.email})
          </option>
        ))}
      </select>
    </div>
  )
}
