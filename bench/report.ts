/** Each benchmark figure printed beside its target, PASS or FAIL, and a closing tally. */
const results: boolean[] = []

export const ms = (n: number) => `${n.toFixed(1)} ms`

type Options = { unit?: string; note?: string; /** The target is "at most", not "under". */ atMost?: boolean }

/** `value` and `target` in milliseconds unless `unit` says otherwise; lower is better. */
export function figure(label: string, value: number, target: number, { unit = 'ms', note = '', atMost = false }: Options = {}): void {
  const pass = atMost ? value <= target : value < target
  results.push(pass)
  const show = (n: number) => (unit === 'ms' ? ms(n) : `${n.toFixed(1)} ${unit}`)
  console.log(`${pass ? 'PASS' : 'FAIL'}  ${label.padEnd(60)} ${show(value).padStart(11)}   target ${atMost ? '≤' : '<'} ${show(target)}${note ? `   ${note}` : ''}`)
}

export function tally(): void {
  const failed = results.filter((r) => !r).length
  console.log(`\n${results.length - failed} of ${results.length} targets met${failed ? ` (${failed} missed)` : ''}`)
}

/** Percentile of a sample (nearest rank). */
export const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN
