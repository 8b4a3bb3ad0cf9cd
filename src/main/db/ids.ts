import { randomFillSync } from 'node:crypto'

// Random bytes are drawn 64 KiB at a time: one crypto call per id cost more than the insert's own work
// in a batch.
const pool = Buffer.alloc(64 * 1024)
let used = pool.length

function randomBytes10(): Buffer {
  if (used + 10 > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  used += 10
  return pool.subarray(used - 10, used)
}

/**
 * A UUIDv7: time-ordered, so rows this project writes land at the end of the primary-key index and
 * deleting a run of them (compaction) touches few pages, unlike random UUIDv4 keys.
 */
export function newEventId(now: number = Date.now()): string {
  const bytes = Buffer.alloc(16)
  bytes.writeUIntBE(now, 0, 6)
  randomBytes10().copy(bytes, 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
