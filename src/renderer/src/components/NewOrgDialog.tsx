/** Create an organization on one of the accounts' servers; that account becomes its Owner. */
import { useId, useState } from 'react'
import { orgSlugSchema, slugFromName } from '../../../shared/api'
import { useCreateOrg } from '../hooks/orgs'
import { useAccounts } from '../hooks/queries'
import { useUi } from '../stores/ui'
import { accountLine } from './AccountLabel'
import { Dialog, ErrorMessage } from './ui'

export function NewOrgDialog() {
  const id = useId()
  const close = () => useUi.getState().setNewOrgOpen(false)
  const accounts = (useAccounts().data ?? []).filter((a) => a.state === 'signed_in')
  const current = useUi((s) => s.current)
  const [accountId, setAccountId] = useState(accounts.find((a) => a.id === current?.accountId)?.id ?? accounts[0]?.id ?? '')
  const [name, setName] = useState('')
  const [slug, setSlug] = useState('')
  const create = useCreateOrg()
  const slugCheck = slug.trim() ? orgSlugSchema.safeParse(slug) : null
  const slugError = slugCheck && !slugCheck.success ? slugCheck.error.issues[0]!.message : null
  const ready = !!accountId && name.trim().length > 0 && !slugError && !create.isPending
  const submit = () =>
    ready && create.mutate({ accountId, name: name.trim(), ...(slugCheck?.success ? { slug: slugCheck.data } : {}) }, { onSuccess: close })
  return (
    <Dialog
      title="New organization"
      onClose={close}
      actions={
        <>
          <button className="btn" data-close onClick={close}>
            Cancel
          </button>
          <button className="btn btn-primary" type="submit" form={`${id}-form`} disabled={!ready}>
            {create.isPending ? 'Creating…' : 'Create organization'}
          </button>
        </>
      }
    >
      <form
        id={`${id}-form`}
        className="stack"
        onSubmit={(e) => {
          e.preventDefault()
          submit()
        }}
      >
        <label className="field">
          <span>Name</span>
          <input className="input" value={name} maxLength={120} required onChange={(e) => setName(e.target.value)} />
        </label>
        <div className="field">
          <label htmlFor={`${id}-slug`}>
            <span>Slug (optional)</span>
          </label>
          <input
            id={`${id}-slug`}
            className="input"
            value={slug}
            maxLength={48}
            placeholder={name.trim() ? slugFromName(name) : 'acme-corp'}
            aria-invalid={slugError ? true : undefined}
            aria-describedby={`${id}-slug-help`}
            onChange={(e) => setSlug(e.target.value)}
          />
          <span id={`${id}-slug-help`} className={slugError ? 'field-error' : 'muted'}>
            {slugError ?? 'Left empty, it is made from the name.'}
          </span>
        </div>
        {accounts.length > 1 && (
          <label className="field">
            <span>Create it as</span>
            <select className="input" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {accountLine(a)}
                </option>
              ))}
            </select>
          </label>
        )}
        {accounts.length === 0 && <p className="alert alert-warning">Sign in to an account first.</p>}
        <p className="muted">You become its Owner. You can invite people once it exists.</p>
        <ErrorMessage error={create.error} />
      </form>
    </Dialog>
  )
}
