/** Top self-time functions of a V8 .cpuprofile (node --cpu-prof), as a markdown table. */
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BENCH_DIR } from './measure.mjs'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function where(url, line) {
  if (!url) return ''
  const path = url.startsWith('file://') ? fileURLToPath(url) : url
  const short = path.startsWith(ROOT) ? relative(ROOT, path).replace(/^.*node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?/, '') : path
  return `${short}:${line + 1}`
}

export function summarise(file, top = 20) {
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  let total = 0
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    total += dt
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    const key = `${functionName || '(anonymous)'} ${where(url, lineNumber)}`.trim()
    self.set(key, (self.get(key) ?? 0) + dt)
  })
  const rows = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)
  const lines = rows.map(([k, us]) => `| ${((100 * us) / total).toFixed(1)}% | ${(us / 1000).toFixed(0)} | \`${k}\` |`)
  return [`profile of ${(total / 1e6).toFixed(2)} s (${relative(BENCH_DIR, file)})`, '', '| self % | self ms | function |', '| --- | --- | --- |', ...lines].join('\n')
}
