/** Timing, medians, temp dirs and the sizes of a run. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** benchmarks/ */
export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)))

/**
 * Milliseconds taken by `fn` (awaited), and the CPU time the whole process spent meanwhile
 * (`cpuUs`: user + system, every thread: LevelDB's and RocksDB's included, GC included).
 */
export async function timed(fn) {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  const value = await fn()
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  const used = process.cpuUsage(cpu)
  return { ms, value, cpuUs: used.user + used.system }
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Percentile `p` (0..1) of `xs`, nearest rank. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]
}

/**
 * A scratch directory under benchmarks/.data (git-ignored), on the same disk as the repository,
 * so every peer writes to the same device.
 */
export function scratch(name) {
  const dir = join(BENCH_DIR, '.data', `${name}-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  return dir
}

export function removeDir(dir) {
  rmSync(dir, { recursive: true, force: true })
}

/** Bytes used on disk by `dir` (du), or undefined where du is missing. */
export function diskBytes(dir) {
  try {
    return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) * 1024
  } catch {
    return undefined
  }
}

/** Samples process RSS every `ms` until stopped; returns the peak in bytes. */
export function rssSampler(ms = 50) {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, ms)
  timer.unref()
  return {
    stop() {
      clearInterval(timer)
      return Math.max(peak, process.memoryUsage().rss)
    },
  }
}

/** Deterministic indices in [0, n) (xorshift), the same for every peer. */
export function sampleIndices(n, count, seed = 0x9e3779b9) {
  let x = seed >>> 0 || 1
  return Array.from({ length: count }, () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % n
  })
}
