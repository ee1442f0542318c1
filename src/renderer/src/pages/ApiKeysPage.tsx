/**
 * API keys of the organization: everyone with the privilege sees the list (never a secret);
 * Owners create one (role up to their own, an expiry) and see its secret once, and revoke.
 */
import { useState, type FormEvent } from 'react'
import type { ApiKey, CreatedApiKey } from '../../../shared/api'
import { can, ROLE_LABELS, ROLES, type Role } from '../../../shared/roles'
import { CopyButton } from '../components/CopyButton'
import { OFFLINE_REASON, useOffline } from '../components/OfflineBanner'
import { Dialog, EmptyState, ErrorMessage, RoleOptions, Skeleton } from '../components/ui'
import { useApiKeyMutations, useApiKeys } from '../hooks/api-keys'
import { useOrg } from '../hooks/queries'
import { useCurrentOrg } from '../stores/ui'
import '../styles/pages.css'

const DAY = 86_400_000
const PRESETS = [7, 30, 90, 365] as const
const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '—')

function status(k: ApiKey): string {
  if (k.revokedAt) return `Revoked ${date(k.revokedAt)}`
  if (Date.parse(k.expiresAt) <= Date.now()) return 'Expired'
  return 'Active'
}

export function ApiKeysPage() {
  const ref = useCurrentOrg()
  const org = useOrg(ref).data?.data
  const keys = useApiKeys(ref)
  const offline = useOffline(ref.accountId)
  const [creating, setCreating] = useState(false)
  const [created, setCreated] = useState<CreatedApiKey | null>(null)
  const [revoking, setRevoking] = useState<ApiKey | null>(null)
  const { revoke } = useApiKeyMutations(ref)
  const manage = org ? can(org.myRole, 'apiKeys.manage') : false
  const blocked = offline ? OFFLINE_REASON : !manage ? 'Only an Owner can create or revoke API keys' : null
  const items = keys.data?.items ?? []
  return (
    <section className="stack" aria-labelledby="keys-title">
      <div className="page-header">
        <h1 id="keys-title">API keys</h1>
        <button className="btn btn-primary" disabled={!!blocked} title={blocked ?? undefined} onClick={() => setCreating(true)}>
          Create API key
        </button>
      </div>
      <p className="muted" style={{ maxWidth: '70ch', margin: 0 }}>
        A key acts on this organization's API with the role it was given, until it expires or an Owner revokes it. It
        belongs to the organization, not to the person who made it. Add one to this app under Accounts → Use an API key.
      </p>
      {blocked && !offline && <p className="muted reason">{blocked}.</p>}
      <ErrorMessage error={keys.error} />
      <div className="card">
        {keys.isLoading ? (
          <Skeleton rows={3} label="Loading API keys" />
        ) : items.length === 0 ? (
          <EmptyState title="No API keys yet">Owners create keys for scripts and integrations.</EmptyState>
        ) : (
          <table className="simple" aria-label="API keys">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                <th scope="col">Role</th>
                <th scope="col">Created by</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Expires</th>
                <th scope="col">Status</th>
                {manage && <th scope="col"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td><code>oak_{k.prefix}</code></td>
                  <td>{ROLE_LABELS[k.role]}</td>
                  <td>{k.createdBy?.displayName ?? 'A former member'}</td>
                  <td>{date(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? date(k.lastUsedAt) : 'Never'}</td>
                  <td>{date(k.expiresAt)}</td>
                  <td>{status(k)}</td>
                  {manage && (
                    <td>
                      {!k.revokedAt && (
                        <button className="btn btn-sm btn-danger" disabled={!!blocked} aria-label={`Revoke ${k.name}`} onClick={() => setRevoking(k)}>
                          Revoke
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {creating && org && (
        <CreateKeyDialog
          myRole={org.myRole}
          onClose={() => setCreating(false)}
          onCreated={(k) => {
            setCreating(false)
            setCreated(k)
          }}
        />
      )}
      {created && (
        <Dialog
          title={`API key ${created.key.name} created`}
          onClose={() => setCreated(null)}
          actions={<button className="btn btn-primary" data-close onClick={() => setCreated(null)}>Done</button>}
        >
          <p role="alert"><strong>Copy this key now: you won't see it again.</strong> Only its prefix is kept on the server.</p>
          <div className="copy-link">
            <label className="field" style={{ flex: 1 }}>
              <span>Secret key</span>
              <input className="input" readOnly value={created.token} onFocus={(e) => e.target.select()} />
            </label>
            <CopyButton value={created.token} label="Copy the API key" />
          </div>
        </Dialog>
      )}
      {revoking && (
        <Dialog
          title={`Revoke ${revoking.name}?`}
          onClose={() => setRevoking(null)}
          actions={
            <>
              <button className="btn" data-close onClick={() => setRevoking(null)}>Cancel</button>
              <button className="btn btn-danger btn-solid" disabled={revoke.isPending} onClick={() => revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) })}>
                Revoke key
              </button>
            </>
          }
        >
          <p>Anything using <code>oak_{revoking.prefix}</code> stops working at once. This cannot be undone.</p>
          <ErrorMessage error={revoke.error} />
        </Dialog>
      )}
    </section>
  )
}

function CreateKeyDialog({ myRole, onClose, onCreated }: { myRole: Role; onClose: () => void; onCreated: (k: CreatedApiKey) => void }) {
  const ref = useCurrentOrg()
  const { create } = useApiKeyMutations(ref)
  // Never above the creator's own role: ROLES runs from Owner down.
  const roles = ROLES.slice(ROLES.indexOf(myRole))
  const [name, setName] = useState('')
  const [role, setRole] = useState<Role>('member')
  const [preset, setPreset] = useState<string>('30')
  const [custom, setCustom] = useState('')
  const today = new Date().toISOString().slice(0, 10)
  const max = new Date(Date.now() + 365 * DAY).toISOString().slice(0, 10)
  const expiresAt = preset === 'custom' ? (custom ? new Date(`${custom}T23:59:59Z`).toISOString() : '') : new Date(Date.now() + Number(preset) * DAY).toISOString()
  const submit = (e: FormEvent) => {
    e.preventDefault()
    create.mutate({ name: name.trim(), role, expiresAt }, { onSuccess: onCreated })
  }
  return (
    <Dialog
      title="Create API key"
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>Cancel</button>
          <button className="btn btn-primary" type="submit" form="create-key" disabled={create.isPending || !name.trim() || !expiresAt}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </>
      }
    >
      <form id="create-key" className="stack" onSubmit={submit}>
        <label className="field">
          <span>Name</span>
          <input className="input" required maxLength={80} value={name} onChange={(e) => setName(e.target.value)} placeholder="CI deploys" />
        </label>
        <label className="field">
          <span>Acts as</span>
          <select className="input" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <RoleOptions roles={roles} />
          </select>
        </label>
        <label className="field">
          <span>Expires</span>
          <select className="input" value={preset} onChange={(e) => setPreset(e.target.value)}>
            {PRESETS.map((d) => <option key={d} value={String(d)}>In {d} days</option>)}
            <option value="custom">On a date…</option>
          </select>
        </label>
        {preset === 'custom' && (
          <label className="field">
            <span>Expiry date</span>
            <input className="input" type="date" required min={today} max={max} value={custom} onChange={(e) => setCustom(e.target.value)} />
          </label>
        )}
        <ErrorMessage error={create.error} />
      </form>
    </Dialog>
  )
}
