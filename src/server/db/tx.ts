/**
 * The one way services open a transaction. Each store registers how it runs one for the
 * handles it gives out (PostgreSQL: a pooled connection in a transaction; SQLite: its write
 * queue, see sqlite.ts), so services never cast a driver-specific transaction handle.
 */
import type { Db } from './client'

export type TxRunner = <T>(fn: (tx: Db) => Promise<T>) => Promise<T>

const runners = new WeakMap<Db, TxRunner>()

export function setTxRunner(db: Db, run: TxRunner): void {
  runners.set(db, run)
}

export function withTx<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const run = runners.get(db)
  if (!run) throw new Error('withTx: this database handle belongs to no open store')
  return run(fn)
}
