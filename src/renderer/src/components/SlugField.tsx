/** The slug input of New organization and Settings: checked as typed with the server's rule; the help is its description. */
import { useId } from 'react'
import { orgSlugSchema } from '../../../shared/api'

/** The slug's problem, or null when it is valid (or empty where empty is allowed). */
export function slugProblem(slug: string, optional = false): string | null {
  if (optional && !slug.trim()) return null
  const check = orgSlugSchema.safeParse(slug)
  return check.success ? null : check.error.issues[0]!.message
}

export function SlugField({ label, value, onChange, help, placeholder, optional }: {
  label: string
  value: string
  onChange: (slug: string) => void
  help: string
  placeholder?: string
  optional?: boolean
}) {
  const id = useId()
  const problem = slugProblem(value, optional)
  return (
    <div className="field">
      <label htmlFor={id}>
        <span>{label}</span>
      </label>
      <input
        id={id}
        className="input"
        value={value}
        maxLength={48}
        placeholder={placeholder}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-help`}
        onChange={(e) => onChange(e.target.value)}
      />
      <span id={`${id}-help`} className={problem ? 'field-error' : 'muted'}>
        {problem ?? help}
      </span>
    </div>
  )
}
