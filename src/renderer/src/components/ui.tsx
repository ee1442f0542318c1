/** Small shared primitives of the design system; pages compose these. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react'
import { ROLE_LABELS, type Role } from '../../../shared/roles'
import { BridgeError } from '../lib/bridge'

export function RoleBadge({ role }: { role: Role }) {
  return <span className={`badge badge-${role}`}>{ROLE_LABELS[role]}</span>
}

/** A role select's options, each value a role and its label. */
export function RoleOptions({ roles }: { roles: readonly Role[] }) {
  return roles.map((r) => (
    <option key={r} value={r}>
      {ROLE_LABELS[r]}
    </option>
  ))
}

/** A small action button; when the viewer may not use it, disabled with the reason as its tooltip. */
export function ReasonButton({
  label,
  name,
  reason,
  danger,
  onClick,
}: {
  label: string
  /** The accessible name when the label alone is ambiguous ("Rename Research"). */
  name?: string
  reason: string | null
  danger?: boolean
  onClick: () => void
}) {
  return (
    <button className={`btn btn-sm${danger ? ' btn-danger' : ''}`} aria-label={name} disabled={reason !== null} title={reason ?? undefined} onClick={onClick}>
      {label}
    </button>
  )
}

/** The server's own message in place, never a generic failure. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null
  const message = error instanceof Error ? error.message : String(error)
  const code = error instanceof BridgeError ? error.code : undefined
  return (
    <div role="alert" className="alert alert-error" data-code={code}>
      {message}
    </div>
  )
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children}
    </div>
  )
}

export function Skeleton({ rows = 6, label = 'Loading' }: { rows?: number; label?: string }) {
  return (
    <div className="stack" aria-busy="true" aria-label={label} style={{ gap: 8 }}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton" style={{ height: 28, opacity: 1 - i * 0.1 }} />
      ))}
    </div>
  )
}

/**
 * Where a dialog's focus starts: a field to fill, else the chosen radio (e.g. the member's
 * current role), else Cancel, so Enter, Enter never confirms a removal.
 */
function initialFocus(dialog: HTMLElement | null): HTMLElement | null {
  if (!dialog) return null
  const order = [
    'input:not([type=radio]):not([type=checkbox]):not(:disabled):not([readonly]), select:not(:disabled), textarea:not(:disabled)',
    'input[type=radio]:checked:not(:disabled)',
    'button[data-close]',
    'button:not(:disabled)',
  ]
  for (const selector of order) {
    const el = dialog.querySelector<HTMLElement>(selector)
    if (el) return el
  }
  return null
}

/** A modal dialog: labelled by its title, Escape closes, focus moves inside on open. */
export function Dialog({
  title,
  onClose,
  children,
  actions,
}: {
  title: string
  onClose: () => void
  children: ReactNode
  actions?: ReactNode
}) {
  const titleId = useId()
  const ref = useRef<HTMLDivElement>(null)
  // Callers pass inline closures: keep the latest without re-running the mount effect,
  // which would pull focus back to the first field on every render.
  const closeRef = useRef(onClose)
  closeRef.current = onClose
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    initialFocus(ref.current)?.focus()
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeRef.current()
      if (e.key === 'Tab' && ref.current) trapTab(ref.current, e)
    }
    window.addEventListener('keydown', onKey)
    return () => {
      window.removeEventListener('keydown', onKey)
      // Back to the control that opened the dialog (if it is still there).
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={ref} role="dialog" aria-modal="true" aria-labelledby={titleId} className="dialog">
        <h2 id={titleId}>{title}</h2>
        {/* The body scrolls, the actions stay in view on short windows. */}
        <div className="dialog-body">{children}</div>
        {actions && <div className="dialog-actions">{actions}</div>}
      </div>
    </div>
  )
}

/** Keep Tab / Shift+Tab inside the modal. */
function trapTab(container: HTMLElement, e: KeyboardEvent) {
  const focusable = [...container.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter(
    (el) => !el.hasAttribute('disabled'),
  )
  const first = focusable[0]
  const last = focusable[focusable.length - 1]
  if (!first || !last) return
  if (e.shiftKey && document.activeElement === first) {
    e.preventDefault()
    last.focus()
  } else if (!e.shiftKey && (document.activeElement === last || !container.contains(document.activeElement))) {
    e.preventDefault()
    first.focus()
  }
}

// Building an Intl formatter costs far more than formatting: build each once (scrolling
// 100 000 members spent 37 % of its CPU here).
const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' })

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso))
}

export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now
  const abs = Math.abs(diff)
  const rtf = relativeFormat
  // Seconds would tick visibly apart between two labels rendered a moment apart.
  if (abs < 60_000) return 'just now'
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute')
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour')
  return rtf.format(Math.round(diff / 86_400_000), 'day')
}

/** The current time, re-rendered every `everyMs` so relative times ("2 minutes ago") stay true. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(t)
  }, [everyMs])
  return now
}

/** A labelled password input; sign-in forms and prompts share it. */
export function PasswordField({
  value,
  onChange,
  label = 'Password',
  autoComplete = 'current-password',
}: {
  value: string
  onChange: (value: string) => void
  label?: string
  autoComplete?: 'current-password' | 'new-password'
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input className="input" type="password" required autoComplete={autoComplete} value={value} onChange={(e) => onChange(e.target.value)} />
    </label>
  )
}
