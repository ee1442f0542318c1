/** Copies one value; says so, or says to select it by hand when the clipboard is refused. */
import { useState } from 'react'

export function CopyButton({ value, label }: { value: string; label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'refused'>('idle')
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('refused'),
    )
  return (
    <button type="button" className="btn btn-sm" aria-label={label} onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'refused' ? 'Select and copy' : 'Copy'}
    </button>
  )
}
