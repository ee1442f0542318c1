/**
 * The one way services open a transaction. Each store decides how it isolates one
 * (PostgreSQL: a pooled connection in a transaction; the embedded store: its own rules),
 * so services never cast a driver-specific transaction handle.
 */
import type { Db } from './client'

export function withTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction((tx) => fn(tx as unknown as Db))
}
