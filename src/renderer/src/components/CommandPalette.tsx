/** Ctrl/Cmd+K: jump to any organization of any account by (fuzzy) name. */
import fuzzysort from 'fuzzysort'
import { useId, useMemo, useState, type KeyboardEvent } from 'react'
import { useOrgDirectory, type OrgEntry } from '../hooks/queries'
import { focusMainContent } from '../lib/focus'
import { useUi } from '../stores/ui'
import { accountLine } from './AccountLabel'
import { Dialog, RoleBadge } from './ui'

export function CommandPalette() {
  const { entries } = useOrgDirectory()
  const { recent, selectOrg, setPaletteOpen } = useUi()
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const listId = useId()

  // Ranked like the palettes people know (Sublime, VS Code): letters in order, word starts and
  // runs count most, so "glbx" finds Globex and "inc" puts Initech first.
  const results = useMemo<OrgEntry[]>(() => {
    if (query.trim()) {
      return fuzzysort
        .go(query.trim(), entries, { keys: [(e) => e.org.name, (e) => e.account.name ?? '', (e) => e.account.email], threshold: 0.1, limit: 50 })
        .map((r) => r.obj)
    }
    const rank = (e: OrgEntry) => {
      const i = recent.findIndex((r) => r.accountId === e.ref.accountId && r.orgId === e.ref.orgId)
      return i === -1 ? Number.MAX_SAFE_INTEGER : i
    }
    return [...entries].sort((a, b) => rank(a) - rank(b))
  }, [query, entries, recent])
  const activeIndex = Math.min(active, Math.max(results.length - 1, 0))
  const optionId = (i: number) => `${listId}-${i}`
  const choose = (e: OrgEntry) => {
    selectOrg(e.ref)
    focusMainContent()
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (results.length === 0) return
      const step = e.key === 'ArrowDown' ? 1 : -1
      setActive((activeIndex + step + results.length) % results.length)
    } else if (e.key === 'Enter') {
      e.preventDefault()
      const chosen = results[activeIndex]
      if (chosen) choose(chosen)
    }
  }

  return (
    <Dialog title="Switch organization" onClose={() => setPaletteOpen(false)}>
      <div className="palette">
        <label className="sr-only" htmlFor={`${listId}-input`}>
          Search organizations
        </label>
        <input
          id={`${listId}-input`}
          className="input palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={results.length ? optionId(activeIndex) : undefined}
          placeholder="Type an organization name…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label="Organizations" className="palette-list">
          {results.map((e, i) => (
            <li
              key={`${e.ref.accountId}/${e.ref.orgId}`}
              id={optionId(i)}
              role="option"
              aria-selected={i === activeIndex}
              className="palette-option"
              onMouseEnter={() => setActive(i)}
              onClick={() => choose(e)}
            >
              <span className="org-name">{e.org.name}</span>
              <span className="muted palette-account">{accountLine(e.account)}</span>
              <RoleBadge role={e.org.myRole} />
            </li>
          ))}
        </ul>
        {results.length === 0 && <p className="muted">No organization matches “{query}”.</p>}
        <button className="btn palette-new" onClick={() => useUi.getState().setNewOrgOpen(true)}>
          New organization…
        </button>
      </div>
    </Dialog>
  )
}
