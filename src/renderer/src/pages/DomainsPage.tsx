/** Trusted email domains: what they do, which there are, and (for Owners) adding and removing. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { domainSchema } from '../../../shared/api'
import { can } from '../../../shared/roles'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { Dialog, EmptyState, ErrorMessage, formatDate, Skeleton } from '../components/ui'
import { useDomains, useOrg } from '../hooks/queries'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useCurrentOrg } from '../stores/ui'

export function DomainsPage() {
  const ref = useCurrentOrg()
  const client = useQueryClient()
  const org = useOrg(ref).data?.data
  const domains = useDomains(ref)
  const offline = useOffline(ref.accountId, domains.data)
  const [draft, setDraft] = useState('')
  const [removing, setRemoving] = useState<string | null>(null)
  const parsed = domainSchema.safeParse(draft)
  const blocked = offline ? OFFLINE_REASON : org && !can(org.myRole, 'domains.manage') ? 'Only an Owner can change trusted domains' : null
  const refresh = () => void client.invalidateQueries({ queryKey: qk.domains(ref.accountId, ref.orgId) })
  const add = useMutation({
    mutationFn: (domain: string) => call(orgAdmin().domains.add({ ...ref, domain })),
    onSuccess: () => (setDraft(''), refresh()),
  })
  const remove = useMutation({
    mutationFn: (domain: string) => call(orgAdmin().domains.remove({ ...ref, domain })),
    onSuccess: () => (setRemoving(null), refresh()),
  })
  const items = domains.data?.data.items ?? []
  return (
    <section className="stack" aria-labelledby="domains-title">
      <div className="page-header">
        <h1 id="domains-title">Trusted domains</h1>
      </div>
      {offline && <OfflineBanner syncedAt={domains.data?.syncedAt ?? null} />}
      <p className="muted" style={{ maxWidth: '70ch', margin: 0 }}>
        People whose email address is in a trusted domain are suggested when you invite. Inviting someone in a trusted
        domain who already has an account adds them at once; anyone else receives a normal invitation.
      </p>
      <form
        className="card row"
        style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}
        onSubmit={(e) => (e.preventDefault(), parsed.success && add.mutate(parsed.data))}
      >
        <label className="field" style={{ flex: 1, minWidth: 220 }}>
          <span>Domain</span>
          <input className="input" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="example.com" disabled={!!blocked} title={blocked ?? undefined} />
        </label>
        <button className="btn btn-primary" type="submit" disabled={!!blocked || !parsed.success || add.isPending} title={blocked ?? undefined}>
          Add domain
        </button>
        {draft && !parsed.success && <p className="field-error" style={{ width: '100%' }}>{parsed.error.issues[0]?.message}</p>}
        {blocked && !offline && <p className="muted reason" style={{ width: '100%' }}>{blocked}.</p>}
      </form>
      <ErrorMessage error={domains.error ?? add.error} />
      <div className="card">
        {domains.isLoading ? (
          <Skeleton rows={3} label="Loading domains" />
        ) : items.length === 0 ? (
          <EmptyState title="No trusted domains">Add your company's domain to find colleagues quickly.</EmptyState>
        ) : (
          <table className="simple" aria-label="Trusted domains">
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Added by</th>
                <th scope="col">Added</th>
                <th scope="col"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.domain} aria-label={d.domain}>
                  <td><strong>{d.domain}</strong></td>
                  <td className="muted">{d.addedBy?.displayName ?? '—'}</td>
                  <td>{formatDate(d.createdAt)}</td>
                  <td className="cell-actions">
                    <button className="btn btn-sm btn-danger" disabled={!!blocked} title={blocked ?? undefined} aria-label={`Remove ${d.domain}`} onClick={() => setRemoving(d.domain)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {removing && (
        <Dialog
          title={`Remove ${removing}?`}
          onClose={() => setRemoving(null)}
          actions={
            <>
              <button className="btn" data-close onClick={() => setRemoving(null)}>Cancel</button>
              <button className="btn btn-danger btn-solid" disabled={remove.isPending} onClick={() => remove.mutate(removing)}>Remove</button>
            </>
          }
        >
          <p>People at {removing} will no longer be suggested or added at once. Existing members stay.</p>
          <ErrorMessage error={remove.error} />
        </Dialog>
      )}
    </section>
  )
}
