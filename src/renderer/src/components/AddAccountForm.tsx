/** Sign in to an organization server, or sign up on it; used on the welcome screen and the Accounts page. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useUi } from '../stores/ui'
import { ErrorMessage, PasswordField } from './ui'

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4010'

export function AddAccountForm({ onAdded }: { onAdded?: (accountId: string) => void }) {
  const client = useQueryClient()
  const [baseUrl, setBaseUrl] = useState(DEFAULT_SERVER_URL)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  // Set: sign up with this name (the server emails a code to verify the address).
  const [newName, setNewName] = useState<string | null>(null)
  const add = useMutation({
    mutationFn: () =>
      call(
        newName === null
          ? orgAdmin().accounts.add({ baseUrl, email, password })
          : orgAdmin().accounts.register({ baseUrl, email, password, displayName: newName }),
      ),
    onSuccess: async (account) => {
      setPassword('')
      await client.invalidateQueries({ queryKey: qk.accounts })
      // A new account's next step is the code in its mailbox, asked for on the Inbox page.
      if (newName !== null) useUi.getState().setPage('inbox')
      onAdded?.(account.id)
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    add.mutate()
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Add account">
      <label className="field">
        <span>Server URL</span>
        <input className="input" type="url" required value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} />
      </label>
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
      <ErrorMessage error={add.error} />
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={add.isPending}>
          {newName !== null ? (add.isPending ? 'Creating…' : 'Create account') : add.isPending ? 'Signing in…' : 'Add account'}
        </button>
        <button type="button" className="btn" onClick={() => setNewName(newName === null ? '' : null)}>
          {newName === null ? 'New here? Create an account' : 'I already have an account'}
        </button>
      </div>
    </form>
  )
}
