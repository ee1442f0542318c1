/** A radio group of roles, each with the privileges it grants (organization and workspace role editors). */
import { useId } from 'react'

export function RoleChoice<R extends string>({
  label,
  roles,
  value,
  onChange,
  roleLabel,
  privileges,
  isDisabled = () => false,
}: {
  label: string
  roles: readonly R[]
  value: R
  onChange: (role: R) => void
  roleLabel: (role: R) => string
  privileges: (role: R) => readonly string[]
  isDisabled?: (role: R) => boolean
}) {
  const baseId = useId()
  return (
    <div role="radiogroup" aria-label={label} className="role-options">
      {roles.map((r) => {
        const disabled = isDisabled(r)
        const descId = `${baseId}-${r}`
        return (
          <div key={r} className={`role-option${value === r ? ' selected' : ''}${disabled ? ' disabled' : ''}`}>
            <label className="row">
              <input
                type="radio"
                name={`${baseId}-role`}
                value={r}
                checked={value === r}
                disabled={disabled}
                aria-describedby={descId}
                onChange={() => onChange(r)}
              />
              <strong>{roleLabel(r)}</strong>
            </label>
            <ul id={descId} className="privileges">
              {privileges(r).map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )
      })}
    </div>
  )
}
