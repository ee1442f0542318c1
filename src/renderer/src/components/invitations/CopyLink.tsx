/** Copies an invitation link and always shows it, since a clipboard may be refused. */
import { useEffect, useState } from 'react'

export function CopyLink({ url, label = 'Invitation link', onDismiss }: { url: string; label?: string; onDismiss?: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null)
  useEffect(() => {
    let live = true
    navigator.clipboard
      .writeText(url)
      .then(() => live && setCopied(true))
      .catch(() => live && setCopied(false))
    return () => {
      live = false
    }
  }, [url])
  return (
    <div className="copy-link">
      <label className="field">
        <span>{label}</span>
        <input className="input" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
      </label>
      <span role="status" className="muted">
        {copied === true ? 'Link copied' : copied === false ? 'Copy the link above' : ''}
      </span>
      {onDismiss && (
        <button type="button" className="btn btn-sm btn-ghost" onClick={onDismiss}>
          Dismiss link
        </button>
      )}
    </div>
  )
}
