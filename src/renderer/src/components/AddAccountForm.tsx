/** Sign in to an organization server; used on the welcome screen and the Accounts page. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { call, orgAdmin, qk } from '../lib/bridge'
import { ErrorMessage, PasswordField } from './ui'

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4010'

export function AddAccountForm({ onAdded }: { onAdded?: (accountId: string) => void }) {
  const client = useQueryClient()
  const [baseUrl, setBaseUrl] = useState(DEFAULT_SERVER_URL)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const add = useMutation({
    mutationFn: () => call(orgAdmin().accounts.add({ baseUrl, email, password })),
    onSuccess: async (account) => {
      setPassword('')
      await client.invalidateQueries({ queryKey: qk.accounts })
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
      <label className="field">
        <span>Email</span>
        <input className="input" type="email" required autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <PasswordField value={password} onChange={setPassword} />
      <ErrorMessage error={add.error} />
      <div className="row">
        <button className="btn btn-primary" type="submit" disabled={add.isPending}>
          {add.isPending ? 'Signing in…' : 'Add account'}
        </button>
      </div>
    </form>
  )
}
