/** One trusted domain: its state, the TXT record that proves it, "Verify now", and its enrollment mode. */
import { ENROLLMENT_LABELS, ENROLLMENT_MODES, type EnrollmentMode, type TrustedDomain } from '../../../shared/api'
import { useDomainMutations } from '../hooks/domains'
import type { OrgRef } from '../stores/ui'
import { CopyButton } from './CopyButton'
import { ErrorMessage, formatDate } from './ui'

const ENROLLMENT_HELP: Record<EnrollmentMode, string> = {
  manual: 'Nothing happens by itself; you invite people.',
  automatic_invitation: 'People with a verified address here get a Member invitation by email. They still accept it.',
  automatic_suggestion: 'People with a verified address here see this organization in their inbox and may ask to join; an Owner approves.',
}

export function DomainCard({ domain: d, orgRef, blocked, onRemove }: { domain: TrustedDomain; orgRef: OrgRef; blocked: string | null; onRemove(): void }) {
  const { verify, setEnrollment } = useDomainMutations(orgRef)
  const verified = d.status === 'verified'
  return (
    <article className="card stack domain-card" aria-label={d.domain}>
      <div className="row" style={{ justifyContent: 'space-between', flexWrap: 'wrap' }}>
        <div className="row">
          <strong>{d.domain}</strong>
          <span className={`badge ${verified ? 'badge-success' : 'badge-warning'}`}>{verified ? 'Verified' : 'Pending'}</span>
        </div>
        <div className="row">
          <span className="muted">
            {verified
              ? `Verified ${formatDate(d.verifiedAt!)}${d.verifiedBy === 'operator' ? ' by the server operator' : ' through DNS'}`
              : `Added ${formatDate(d.createdAt)}${d.addedBy ? ` by ${d.addedBy.displayName}` : ''}`}
          </span>
          <button className="btn btn-sm btn-danger" disabled={!!blocked} title={blocked ?? undefined} aria-label={`Remove ${d.domain}`} onClick={onRemove}>
            Remove
          </button>
        </div>
      </div>
      {!verified && (
        <>
          <p className="muted" style={{ margin: 0 }}>
            Pending domains have no effect. Create this TXT record at your DNS provider, then verify.
          </p>
          <dl className="dns-record">
            <dt>Type</dt>
            <dd><code>TXT</code></dd>
            <dt>Name</dt>
            <dd><code>{d.record.name}</code> <CopyButton value={d.record.name} label={`Copy the record name for ${d.domain}`} /></dd>
            <dt>Value</dt>
            <dd><code className="break">{d.record.value}</code> <CopyButton value={d.record.value} label={`Copy the record value for ${d.domain}`} /></dd>
          </dl>
          <div className="row">
            <button className="btn btn-primary" disabled={!!blocked || verify.isPending} title={blocked ?? undefined} onClick={() => verify.mutate(d.domain)}>
              {verify.isPending ? 'Checking…' : 'Verify now'}
            </button>
          </div>
          <ErrorMessage error={verify.error} />
        </>
      )}
      {verified && (
        <label className="field" style={{ maxWidth: 420 }}>
          <span>Enrollment</span>
          <select
            className="input"
            value={d.enrollment}
            disabled={!!blocked || setEnrollment.isPending}
            title={blocked ?? undefined}
            onChange={(e) => setEnrollment.mutate({ domain: d.domain, enrollment: e.target.value as EnrollmentMode })}
          >
            {ENROLLMENT_MODES.map((m) => (
              <option key={m} value={m}>{ENROLLMENT_LABELS[m]}</option>
            ))}
          </select>
          <small className="muted">{ENROLLMENT_HELP[d.enrollment]}</small>
        </label>
      )}
      {verified && <ErrorMessage error={setEnrollment.error} />}
    </article>
  )
}
