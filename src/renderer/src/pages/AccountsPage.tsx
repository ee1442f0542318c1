/** Accounts on organization servers: state, name, sign in/out, forget, add another, accept an invitation. */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import type { AccountSummary } from '../../../shared/ipc'
import { AcceptInvitationDialog } from '../components/AcceptInvitationDialog'
import { AccountServer, AccountStateBadge, accountTitle } from '../components/AccountLabel'
import { AddAccountForm } from '../components/AddAccountForm'
import { SignInDialog } from '../components/SessionExpiredDialog'
import { Dialog, ErrorMessage, Skeleton } from '../components/ui'
import { useAccounts } from '../hooks/queries'
import { call, orgAdmin, qk } from '../lib/bridge'
import { useUi } from '../stores/ui'

export function AccountsPage() {
  const accounts = useAccounts()
  const [accepting, setAccepting] = useState(false)
  return (
    <section className="stack" aria-labelledby="accounts-title">
      <div className="page-header">
        <h1 id="accounts-title">Accounts</h1>
        <span className="spacer" />
        <button className="btn" onClick={() => setAccepting(true)}>
          I have an invitation link
        </button>
      </div>
      {accounts.isLoading && <Skeleton label="Loading accounts" rows={2} />}
      <ErrorMessage error={accounts.error} />
      <ul className="account-list">
        {accounts.data?.map((a) => (
          <AccountItem key={a.id} account={a} />
        ))}
      </ul>
      <div className="card stack add-account">
        <h2>Add account</h2>
        <AddAccountForm />
      </div>
      {accepting && <AcceptInvitationDialog onClose={() => setAccepting(false)} />}
    </section>
  )
}

function AccountItem({ account }: { account: AccountSummary }) {
  const client = useQueryClient()
  const [dialog, setDialog] = useState<'signIn' | 'forget' | 'rename' | null>(null)
  const signOut = useMutation({
    mutationFn: () => call(orgAdmin().accounts.signOut({ accountId: account.id })),
    onSuccess: () => client.invalidateQueries({ queryKey: qk.accounts }),
  })
  return (
    <li className="card account-item" aria-label={account.email}>
      <div className="stack" style={{ gap: 2, minWidth: 0 }}>
        <strong>{accountTitle(account)}</strong>
        <span>{account.name ? `${account.displayName} · ${account.email}` : account.displayName}</span>
        <AccountServer account={account} />
      </div>
      <span className="spacer" />
      <AccountStateBadge account={account} />
      <button className="btn" onClick={() => setDialog('rename')}>
        Rename
      </button>
      {account.status === 'signed_in' ? (
        <button className="btn" disabled={signOut.isPending} onClick={() => signOut.mutate()}>
          Sign out
        </button>
      ) : (
        <button className="btn btn-primary" onClick={() => setDialog('signIn')}>
          Sign in
        </button>
      )}
      <button className="btn btn-danger" onClick={() => setDialog('forget')}>
        Forget
      </button>
      <ErrorMessage error={signOut.error} />
      {dialog === 'signIn' && (
        <SignInDialog
          account={account}
          title={`Sign in as ${account.email}`}
          intro={`Enter the password for ${account.email} on ${account.baseUrl}.`}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'forget' && <ForgetDialog account={account} onClose={() => setDialog(null)} />}
      {dialog === 'rename' && <RenameDialog account={account} onClose={() => setDialog(null)} />}
    </li>
  )
}

function ForgetDialog({ account, onClose }: { account: AccountSummary; onClose: () => void }) {
  const client = useQueryClient()
  const forget = useMutation({
    mutationFn: () => call(orgAdmin().accounts.forget({ accountId: account.id })),
    onSuccess: async () => {
      useUi.getState().forgetAccount(account.id)
      client.removeQueries({ predicate: (q) => q.queryKey[1] === account.id })
      await client.invalidateQueries({ queryKey: qk.accounts })
      onClose()
    },
  })
  return (
    <Dialog
      title={`Forget ${account.email}?`}
      onClose={onClose}
      actions={
        <>
          <button className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button className="btn btn-danger btn-solid" disabled={forget.isPending} onClick={() => forget.mutate()}>
            Forget account
          </button>
        </>
      }
    >
      <p>This signs out and deletes the data cached on this computer for {account.email}. The account itself stays on the server.</p>
      <ErrorMessage error={forget.error} />
    </Dialog>
  )
}

/** A name of one's own, to tell two accounts with the same email on two servers apart. */
function RenameDialog({ account, onClose }: { account: AccountSummary; onClose: () => void }) {
  const client = useQueryClient()
  const [name, setName] = useState(account.name ?? '')
  const rename = useMutation({
    mutationFn: () => call(orgAdmin().accounts.rename({ accountId: account.id, name })),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: qk.accounts })
      onClose()
    },
  })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    rename.mutate()
  }
  return (
    <Dialog title={`Name ${account.email}`} onClose={onClose}>
      <form className="stack" onSubmit={submit}>
        <label className="field">
          <span>Account name</span>
          <input className="input" maxLength={60} value={name} placeholder={account.email} onChange={(e) => setName(e.target.value)} />
        </label>
        <p className="muted">Shown instead of the email in the sidebar and in Ctrl+K. Leave empty to show the email.</p>
        <ErrorMessage error={rename.error} />
        <div className="dialog-actions">
          <button type="button" className="btn" data-close onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={rename.isPending}>
            Save name
          </button>
        </div>
      </form>
    </Dialog>
  )
}
