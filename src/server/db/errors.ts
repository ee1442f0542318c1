/**
 * The last line of defence for what the database refuses: a rule enforced by a constraint, or
 * a value a column cannot hold, answers a 4xx in the error shape instead of a 500. Services
 * still turn the conflicts they expect into specific errors; this catches the rest.
 */
import { AppError } from '../../shared/errors'

const CONFLICT = new Set([
  '23505', // PostgreSQL unique_violation
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  'SQLITE_CONSTRAINT_UNIQUE',
  'SQLITE_CONSTRAINT_PRIMARYKEY',
  'SQLITE_BUSY',
])

/** Drizzle wraps driver errors; the driver's code sits somewhere on the cause chain. */
function driverCode(err: unknown): string | undefined {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && (/^[0-9A-Z]{5}$/.test(code) || code.startsWith('SQLITE_'))) return code
  }
  return undefined
}

export function fromDatabaseError(err: unknown): AppError | null {
  const code = driverCode(err)
  if (!code) return null
  if (CONFLICT.has(code)) return new AppError('conflict', 'Someone else changed this at the same moment. Reload and try again.')
  // Class 22 (data exception): a value the column or operator cannot take (NUL byte, bad date, …).
  if (code.startsWith('22') || code === 'SQLITE_MISMATCH') return new AppError('bad_request', 'The request holds a value the server cannot store or compare')
  return null
}
