// Medians and the table `npm run bench` prints.

/** Median wall time in ms of `runs` calls of `fn`. */
export function timeIt(runs: number, fn: () => unknown): number {
  return timeEach(runs, () => fn)
}

/** Like timeIt, with untimed preparation before each run: `prepare` returns what to time. */
export function timeEach(runs: number, prepare: () => () => unknown): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const fn = prepare()
    const start = performance.now()
    fn()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

export interface Row {
  name: string
  ours: number
  baseline: number
  baselineName?: string
  target?: string
  /** Whether `target` is met, printed as OK / not met; null: a figure the target asks to report. */
  met?: boolean | null
}

const verdict = (r: Row): string =>
  r.met == null ? (r.target ?? '') : `${r.target ?? ''} ${r.met ? 'OK' : 'not met'}`

const ms = (t: number): string => (t < 10 ? t.toFixed(2) : t.toFixed(0))

function ratio(ours: number, baseline: number): string {
  return ours <= baseline
    ? `${(baseline / ours).toFixed(1)}× faster`
    : `${(ours / baseline).toFixed(2)}× slower`
}

export function printTable(rows: Row[]): void {
  console.log(
    '\n| benchmark | ours, median ms | baseline | baseline, median ms | ours vs baseline | target |',
  )
  console.log('|---|---:|---|---:|---|---|')
  for (const r of rows) {
    const baseline = r.baselineName ?? "the seed's query"
    console.log(
      `| ${r.name} | ${ms(r.ours)} | ${baseline} | ${ms(r.baseline)} | ${ratio(r.ours, r.baseline)} | ${verdict(r)} |`,
    )
  }
  printTargets(rows)
}

/** One line per row with a target to meet: its value, the target, OK or not met; then how many were. */
export function printTargets(rows: Row[]): void {
  const checked = rows.filter((r) => r.met !== undefined)
  if (checked.length === 0) return
  console.log('\nTargets:')
  for (const r of checked) {
    const state = r.met === null ? 'figure ' : r.met ? 'OK     ' : 'not met'
    console.log(`  ${state}  ${r.name}: ${ms(r.ours)}${r.target ? ` (${r.target})` : ''}`)
  }
  const judged = checked.filter((r) => r.met !== null)
  console.log(`  ${judged.filter((r) => r.met).length} of ${judged.length} met`)
}
