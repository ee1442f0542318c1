/**
 * Signing in again to an existing account: after the refresh token was refused (session
 * expired, asked for automatically, over whatever view is open) or after signing out.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { AccountSummary } from '../../../shared/ipc'
import { useAccounts } from '../hooks/queries'
import { useLive } from '../hooks/useBridgeEvents'
import { call, orgAdmin, qk } from '../lib/bridge'
import { Dialog, ErrorMessage, PasswordField } from './ui'

export function SignInDialog({
  account,
  title,
  intro,
  onClose,
  onSignedIn = onClose,
}: {
  account: AccountSummary
  title: string
  intro: string
  /** "Later": dismissed without signing in. */
  onClose: () => void
  onSignedIn?: () => void
}) {
  const client = useQueryClient()
  const [password, setPassword] = useState('')
  const signIn = useMutation({
    mutationFn: () => call(orgAdmin().accounts.signIn({ accountId: account.id, password })),
    onSuccess: async () => {
      useLive.setState((s) => ({ expired: { ...s.expired, [account.id]: false } }))
      // Everything of this account may have failed while signed out: fetch it again.
      await client.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'accounts' || q.queryKey[1] === account.id })
      onSignedIn()
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    signIn.mutate()
  }
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <p>{intro}</p>
        <PasswordField value={password} onChange={setPassword} />
        <ErrorMessage error={signIn.error} />
        <div className="dialog-actions">
          <button type="button" className="btn" data-close onClick={onClose}>
            Later
          </button>
          <button type="submit" className="btn btn-primary" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

export function SessionExpiredDialog() {
  const accounts = useAccounts().data ?? []
  const expired = useLive((s) => s.expired)
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set())
  const account = accounts.find((a) => (expired[a.id] || (a.status === 'expired' && expired[a.id] !== false)) && !dismissed.has(a.id))
  if (!account) return null
  const dismiss = () => setDismissed((s) => new Set(s).add(account.id))
  // A key has no password: it was revoked or expired, and only a new key brings the account back.
  if (account.kind === 'apiKey') {
    return (
      <Dialog title="API key no longer accepted" onClose={dismiss} actions={<button className="btn btn-primary" data-close onClick={dismiss}>OK</button>}>
        <p>
          {account.displayName} on {account.baseUrl} has expired or was revoked. Ask an Owner of the organization for a new
          key, then add it under Accounts → Use an API key.
        </p>
      </Dialog>
    )
  }
  return (
    <SignInDialog
      key={account.id}
      account={account}
      title="Session expired"
      intro={`Your session as ${account.email} on ${account.baseUrl} has ended. Enter your password to continue where you were.`}
      onClose={dismiss}
      // Signed in: no longer expired, so nothing to dismiss (a later expiry asks again).
      onSignedIn={() => undefined}
    />
  )
}
