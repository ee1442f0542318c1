/** Trusted email domains: what they do, each one's state and proof, and (for Owners) adding, verifying and removing. */
import { useState } from 'react'
import { domainSchema } from '../../../shared/api'
import { can } from '../../../shared/roles'
import { DomainCard } from '../components/DomainCard'
import { OFFLINE_REASON, OfflineBanner, useOffline } from '../components/OfflineBanner'
import { Dialog, EmptyState, ErrorMessage, Skeleton } from '../components/ui'
import { useDomainMutations, useDomains } from '../hooks/domains'
import { useOrg } from '../hooks/queries'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

export function DomainsPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref).data?.data
  const domains = useDomains(ref)
  const { add, remove } = useDomainMutations(ref)
  const offline = useOffline(ref.accountId, domains.data)
  const [draft, setDraft] = useState('')
  const [removing, setRemoving] = useState<string | null>(null)
  const parsed = domainSchema.safeParse(draft)
  const blocked = offline ? OFFLINE_REASON : org && !can(org.myRole, 'domains.manage') ? 'Only an Owner can change trusted domains' : null
  const items = domains.data?.data.items ?? []
  return (
    <section className="stack" aria-labelledby="domains-title">
      <div className="page-header">
        <h1 id="domains-title">Trusted domains</h1>
      </div>
      {offline && <OfflineBanner syncedAt={domains.data?.syncedAt ?? null} />}
      <p className="muted" style={{ maxWidth: '70ch', margin: 0 }}>
        A domain counts once you prove you control it with a DNS record. Then people with a verified address there are
        suggested when you invite, and the enrollment mode decides whether they are invited or may ask to join. Nobody
        joins without accepting.
      </p>
      <form
        className="card row"
        style={{ alignItems: 'flex-end', flexWrap: 'wrap' }}
        onSubmit={(e) => (e.preventDefault(), parsed.success && add.mutate(parsed.data, { onSuccess: () => setDraft('') }))}
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
      {domains.isLoading ? (
        <Skeleton rows={3} label="Loading domains" />
      ) : items.length === 0 ? (
        <div className="card">
          <EmptyState title="No trusted domains">Add your company's domain, then verify it with a DNS record.</EmptyState>
        </div>
      ) : (
        items.map((d) => <DomainCard key={d.domain} domain={d} orgRef={ref} blocked={blocked} onRemove={() => setRemoving(d.domain)} />)
      )}
      {removing && (
        <Dialog
          title={`Remove ${removing}?`}
          onClose={() => setRemoving(null)}
          actions={
            <>
              <button className="btn" data-close onClick={() => setRemoving(null)}>Cancel</button>
              <button className="btn btn-danger btn-solid" disabled={remove.isPending} onClick={() => remove.mutate(removing, { onSuccess: () => setRemoving(null) })}>Remove</button>
            </>
          }
        >
          <p>People at {removing} will no longer be suggested, invited or offered to join. Existing members and pending invitations stay.</p>
          <ErrorMessage error={remove.error} />
        </Dialog>
      )}
    </section>
  )
}
