/**
 * This process's peak memory in KB, for the benchmarks. Linux's maxRSS of a child counts the parent's
 * memory at the fork (it is kept across exec): a child of a 200 MB bench reported 200 MB doing nothing.
 * VmHWM is the peak of this process's own memory map. Self-contained, so a bench can run its text in
 * a bare `node -e` for a baseline.
 */
export function peakMemoryKb(): number {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(
      process.getBuiltinModule('node:fs').readFileSync('/proc/self/status', 'utf8'),
    )
    if (hwm) return Number(hwm[1])
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS
}
