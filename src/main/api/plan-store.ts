// Plans the handlers issued, kept where they are applied: an apply names a plan by its id and is
// refused once the plan expired or was used, so a hand-made or replayed plan can never be trusted.
import { randomUUID } from 'node:crypto'

export const PLAN_TTL_MS = 10 * 60_000
const MAX_PLANS = 20

interface Issued<T> {
  fileId: string
  kind: string
  work: T
  expires: number
}

export class PlanStore {
  private readonly plans = new Map<string, Issued<unknown>>()

  constructor(private readonly ttlMs = PLAN_TTL_MS) {}

  issue<T>(fileId: string, kind: string, work: T, now = Date.now()): { planId: string; expiresAt: string } {
    for (const [id, plan] of this.plans) if (plan.expires <= now) this.plans.delete(id)
    // The oldest go first: a client asking for plans in a loop cannot grow the store.
    while (this.plans.size >= MAX_PLANS) this.plans.delete(this.plans.keys().next().value!)
    const planId = randomUUID()
    this.plans.set(planId, { fileId, kind, work, expires: now + this.ttlMs })
    return { planId, expiresAt: new Date(now + this.ttlMs).toISOString() }
  }

  /** The plan, once: it is forgotten on the way out. Undefined when unknown, expired or for another file. */
  take<T>(fileId: string, kind: string, planId: string, now = Date.now()): T | undefined {
    const plan = this.plans.get(planId)
    if (!plan || plan.fileId !== fileId || plan.kind !== kind) return undefined
    this.plans.delete(planId)
    return plan.expires > now ? (plan.work as T) : undefined
  }
}
