/** Create an organization on one of the accounts' servers; that account becomes its Owner. */
import { useId, useState } from 'react'
import { slugFromName } from '../../../shared/api'
import { useCreateOrg } from '../hooks/orgs'
import { useAccounts } from '../hooks/queries'
import { useUi } from '../stores/ui'
import { accountLine } from './AccountLabel'
import { SlugField, slugProblem } from './SlugField'
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
  const ready = !!accountId && name.trim().length > 0 && !slugProblem(slug, true) && !create.isPending
  const submit = () =>
    ready && create.mutate({ accountId, name: name.trim(), ...(slug.trim() ? { slug: slug.trim().toLowerCase() } : {}) }, { onSuccess: close })
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
        <SlugField
          label="Slug (optional)"
          value={slug}
          onChange={setSlug}
          optional
          placeholder={name.trim() ? slugFromName(name) : 'acme-corp'}
          help="Left empty, it is made from the name."
        />
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
