/**
 * Scaling: one child process per size (lib/scale-child.mjs), its peak RSS from GNU time
 * (`/usr/bin/time -v`) where present, else from the child's own `resourceUsage().maxRSS`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { scratch } from './measure.mjs'

const CHILD = fileURLToPath(new URL('./scale-child.mjs', import.meta.url))
const GNU_TIME = '/usr/bin/time'

export function scaleSizes(max, smoke) {
  if (smoke) return [1000]
  const sizes = []
  for (let n = 10_000; n <= max; n *= 10) sizes.push(n)
  return sizes
}

export function scale(sizes, log, format = 2) {
  const points = []
  for (const n of sizes) {
    log(`  scaling: ${n} events`)
    const dir = scratch(`scale-${n}`)
    const timeFile = join(dir, '..', `time-${n}-${process.pid}.txt`)
    const useTime = existsSync(GNU_TIME)
    const argv = useTime ? [GNU_TIME, ['-v', '-o', timeFile, process.execPath, CHILD, String(n), dir, String(format)]] : [process.execPath, [CHILD, String(n), dir, String(format)]]
    const child = spawnSync(argv[0], argv[1], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 1 << 20 })
    rmSync(dir, { recursive: true, force: true })
    if (child.status !== 0) throw new Error(`scaling child for ${n} events exited with ${child.status ?? child.signal}`)
    const point = JSON.parse(child.stdout.trim().split('\n').pop())
    point.peakRss = point.maxRssSelf
    point.peakRssSource = 'process.resourceUsage().maxRSS'
    if (useTime) {
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(timeFile, 'utf8'))
      rmSync(timeFile, { force: true })
      if (m) {
        point.peakRss = Number(m[1]) * 1024
        point.peakRssSource = '/usr/bin/time -v'
      }
    }
    points.push(point)
  }
  return points
}
