/**
 * Sign in to an organization server, or sign up on it; used on the welcome screen and the
 * Accounts page. Proposes the server in use, warns before sending a password unencrypted to
 * another machine, and lands on the new account's first organization (a new sign-up, which
 * has none yet, on the Inbox page, where the emailed code is asked for).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { serverLabel } from '../../../shared/servers'
import { BridgeError, call, orgAdmin, qk } from '../lib/bridge'
import { useUi } from '../stores/ui'
import { Dialog, ErrorMessage, PasswordField } from './ui'

export function AddAccountForm() {
  const client = useQueryClient()
  const suggested = useQuery({ queryKey: qk.suggestServer, queryFn: () => call(orgAdmin().accounts.suggestServer({})) })
  const [typed, setTyped] = useState<string | null>(null)
  const baseUrl = typed ?? suggested.data?.url ?? ''
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  // Set: sign up with this name (the server emails a code to verify the address).
  const [newName, setNewName] = useState<string | null>(null)
  // Set: add an organization's API key (oak_…) instead of a person's email and password.
  const [apiKey, setApiKey] = useState<string | null>(null)
  const [insecureUrl, setInsecureUrl] = useState<string | null>(null)
  const add = useMutation({
    mutationFn: (allowInsecureHttp: boolean) =>
      call(
        apiKey !== null
          ? orgAdmin().accounts.addApiKey({ baseUrl, key: apiKey, allowInsecureHttp })
          : newName === null
            ? orgAdmin().accounts.add({ baseUrl, email, password, allowInsecureHttp })
            : orgAdmin().accounts.register({ baseUrl, email, password, displayName: newName, allowInsecureHttp }),
      ),
    onSuccess: async (account) => {
      setPassword('')
      setApiKey((k) => (k === null ? null : ''))
      // Land on the account's first organization: its list is known before the shell shows it,
      // so the shell never falls back to another account's organization meanwhile.
      const orgs = await call(orgAdmin().orgs.list({ accountId: account.id })).catch(() => null)
      if (orgs) client.setQueryData(qk.orgs(account.id), orgs)
      await client.invalidateQueries({ queryKey: qk.accounts })
      const first = orgs?.data[0]
      if (first) useUi.getState().selectOrg({ accountId: account.id, orgId: first.id })
      // A new account's next step is the code in its mailbox, asked for on the Inbox page.
      if (newName !== null) useUi.getState().setPage('inbox')
    },
    onError: (err) => {
      if (err instanceof BridgeError && err.code === 'insecure_http') setInsecureUrl(baseUrl)
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate(false)
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Add account">
      <label className="field">
        <span>Server URL</span>
        <input
          className="input"
          type="url"
          required
          placeholder="https://orgs.example.com"
          value={baseUrl}
          onChange={(e) => setTyped(e.target.value)}
        />
      </label>
      {apiKey !== null ? (
        <PasswordField label="API key" value={apiKey} onChange={setApiKey} />
      ) : (
        <>
          {newName !== null && (
            <label className="field">
              <span>Your name</span>
              <input className="input" required autoComplete="name" value={newName} onChange={(e) => setNewName(e.target.value)} />
            </label>
          )}
          <label className="field">
            <span>Email</span>
            <input className="input" type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <PasswordField value={password} onChange={setPassword} />
        </>
      )}
      {!insecureUrl && <ErrorMessage error={add.error} />}
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={add.isPending}>
          {newName !== null ? (add.isPending ? 'Creating…' : 'Create account') : add.isPending ? 'Signing in…' : 'Add account'}
        </button>
        {apiKey === null && (
          <button type="button" className="btn" onClick={() => setNewName(newName === null ? '' : null)}>
            {newName === null ? 'New here? Create an account' : 'I already have an account'}
          </button>
        )}
        {newName === null && (
          <button type="button" className="btn" onClick={() => setApiKey(apiKey === null ? '' : null)}>
            {apiKey === null ? 'Use an API key' : 'Use email and password'}
          </button>
        )}
      </div>
      {insecureUrl && (
        <Dialog
          title={apiKey !== null ? 'Send your API key unencrypted?' : 'Send your password unencrypted?'}
          onClose={() => setInsecureUrl(null)}
          actions={
            <>
              <button type="button" className="btn" data-close onClick={() => setInsecureUrl(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn-danger btn-solid"
                onClick={() => {
                  setInsecureUrl(null)
                  add.mutate(true)
                }}
              >
                {newName === null ? 'Sign in without encryption' : 'Sign up without encryption'}
              </button>
            </>
          }
        >
          <p>
            {serverLabel(insecureUrl)} uses plain <code>http://</code> on another machine. Your password, your session and
            everything you manage there would cross the network readable by anyone on the way.
          </p>
          <p>Use an https:// address if the server has one. Continue only on a network you trust.</p>
        </Dialog>
      )}
    </form>
  )
}
