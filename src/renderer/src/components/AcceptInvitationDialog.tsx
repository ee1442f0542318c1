/**
 * Accept an invitation link as the invitee: look at what it offers, then sign in to the
 * existing account or register a new one; main adds that account and the app opens the org.
 * A link to a plain-http server on another machine is opened only once the person ticks the
 * warning (main refuses it otherwise).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { parseInvitationUrl } from '../../../shared/api'
import { ROLE_LABELS } from '../../../shared/roles'
import { isInsecureRemote, serverLabel } from '../../../shared/servers'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useUi } from '../stores/ui'
import { Dialog, ErrorMessage, formatRelative, PasswordField } from './ui'

export function AcceptInvitationDialog({ onClose }: { onClose(): void }) {
  const client = useQueryClient()
  const [url, setUrl] = useState('')
  const [name, setName] = useState('')
  const [password, setPassword] = useState('')
  const link = parseInvitationUrl(url)
  const valid = link !== null
  const insecure = link !== null && isInsecureRemote(link.baseUrl)
  const [allowInsecureHttp, setAllowInsecureHttp] = useState(false)
  const preview = useQuery({
    queryKey: ['invitation-preview', url.trim(), allowInsecureHttp],
    queryFn: () => call(orgAdmin().invitations.preview({ url: url.trim(), allowInsecureHttp })),
    enabled: valid && (!insecure || allowInsecureHttp),
    retry: false,
  })
  const p = preview.data
  const accept = useMutation({
    mutationFn: () =>
      call(
        orgAdmin().invitations.accept({ url: url.trim(), password, allowInsecureHttp, ...(p?.userExists ? {} : { displayName: name }) }),
      ),
    onSuccess: async ({ account, orgId }) => {
      await client.invalidateQueries({ queryKey: qk.accounts })
      useUi.getState().selectOrg({ accountId: account.id, orgId })
      onClose()
    },
  })
  const pending = p?.status === 'pending'
  const ready = pending && password.length >= 8 && (p.userExists || name.trim().length > 0)
  return (
    <Dialog
      title="Accept an invitation"
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-primary" disabled={!ready || accept.isPending} onClick={() => accept.mutate()}>
            {accept.isPending ? 'Joining…' : p?.userExists ? 'Sign in and join' : 'Create account and join'}
          </button>
        </>
      }
    >
      <form className="stack" onSubmit={(e) => (e.preventDefault(), ready && accept.mutate())}>
        <label className="field">
          <span>Invitation link</span>
          <input className="input" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://server/invite#…" autoFocus />
        </label>
        {url.trim() && !valid && <p className="field-error">This does not look like an invitation link.</p>}
        {insecure && (
          <label className="alert alert-warning row">
            <input type="checkbox" checked={allowInsecureHttp} onChange={(e) => setAllowInsecureHttp(e.target.checked)} />
            <span>
              {serverLabel(link.baseUrl)} is not encrypted (plain http:// on another machine): the link and your password would
              cross the network readable by others. Tick to continue anyway.
            </span>
          </label>
        )}
        <ErrorMessage error={preview.error} />
        {p && (
          <div className="card" aria-label="Invitation details">
            <strong>{p.orgName}</strong> invites <strong>{p.email}</strong> as {ROLE_LABELS[p.role]}.
            <div className="muted">
              {pending ? `Expires ${formatRelative(p.expiresAt)}` : `This invitation is ${p.status}. Ask for a new one.`}
            </div>
          </div>
        )}
        {pending && !p.userExists && (
          <label className="field">
            <span>Your name</span>
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" />
          </label>
        )}
        {pending && (
          <PasswordField
            value={password}
            onChange={setPassword}
            label={p.userExists ? `Password for ${p.email}` : 'Choose a password (8 characters or more)'}
            autoComplete={p.userExists ? 'current-password' : 'new-password'}
          />
        )}
        <ErrorMessage error={accept.error} />
        <button type="submit" hidden />
      </form>
    </Dialog>
  )
}
