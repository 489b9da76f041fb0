/**
 * The same-run comparison: every scenario runs each peer in turn, round after round, the order
 * rotating each round; a peer's figure is its median over the rounds. Rates are events (or
 * operations) per second. Every peer gets the same events and the same proof indices.
 */
import { accessEvents } from '../support/events.mjs'
import { median, removeDir, sampleIndices, scratch, timed } from './measure.mjs'

/** Sizes of one run: events per append scenario, commits of 256, log size read, proofs. */
export const SIZES = {
  default: { batch1: 300, batch100: 10_000, batch1000: 30_000, concurrent: 20, read: 100_000, proofs: 2000 },
  smoke: { batch1: 20, batch100: 300, batch1000: 1000, concurrent: 2, read: 1000, proofs: 50 },
}

/**
 * Peers: `open(dir)` gives an adapter (lib/liuhen.mjs, lib/hypercore.mjs, lib/raw.mjs). Liuhen
 * durable in format 2 (the default) and format 1 side by side; `all` adds Liuhen format 2 with
 * an unsynced index batch and the raw ceiling writing format 1's keys.
 */
export async function peers({ withHypercore, all = false }) {
  const { openLiuhen } = await import('./liuhen.mjs')
  const { openRaw } = await import('./raw.mjs')
  const list = [
    { name: 'liuhen', label: 'Liuhen durable (format 2)', open: (d, o) => openLiuhen(d, { sync: o?.sync ?? true }) },
    { name: 'liuhen-f1', label: 'Liuhen durable (format 1)', open: (d, o) => openLiuhen(d, { sync: o?.sync ?? true, format: 1 }) },
    { name: 'raw', label: 'raw ceiling durable', open: (d, o) => openRaw(d, { sync: o?.sync ?? true }) },
    { name: 'raw-nosync', label: 'raw ceiling no fsync', open: (d) => openRaw(d, { sync: false }) },
  ]
  if (all) {
    list.push({ name: 'liuhen-nosync', label: 'Liuhen format 2, index unsynced', open: (d) => openLiuhen(d, { sync: false }) })
    list.push({ name: 'raw-keys', label: "raw ceiling durable, format 1's keys", open: (d) => openRaw(d, { sync: true, ledgerKeys: true }) })
  }
  if (withHypercore) {
    const { openHypercore } = await import('./hypercore.mjs')
    list.push({ name: 'hypercore', label: 'hypercore (default, no fsync)', open: openHypercore })
  }
  return list
}

const rotate = (xs, r) => xs.map((_, i) => xs[(i + r) % xs.length])

/** Runs every scenario; `log` gets progress lines. Returns rows {id, title, unit, values, rounds}. */
export async function compare({ sizes, rounds, peers: list, log }) {
  const rows = []
  const row = (id, title, unit) => {
    const r = { id, title, unit, values: {}, rounds: {}, cpuRounds: {}, cpuUsPerOp: {} }
    rows.push(r)
    return r
  }
  const settle = (r) => {
    for (const [name, xs] of Object.entries(r.rounds)) r.values[name] = median(xs)
    for (const [name, xs] of Object.entries(r.cpuRounds)) r.cpuUsPerOp[name] = median(xs)
    log(
      `  ${r.title}: ${Object.entries(r.values)
        .map(([k, v]) => `${k} ${Math.round(v)}`)
        .join(', ')}`,
    )
  }
  /** Records a rate from `t` (a `timed` result) over `ops` operations, with its CPU per operation. */
  const record = (r, name, t, ops) => {
    ;(r.rounds[name] ??= []).push((ops / t.ms) * 1000)
    ;(r.cpuRounds[name] ??= []).push(t.cpuUs / ops)
  }

  for (const batch of [1, 100, 1000]) {
    const count = sizes[`batch${batch}`]
    const r = row(`append-${batch}`, `append, batches of ${batch}`, 'events/s')
    const warm = accessEvents(0, batch)
    const events = accessEvents(batch, count)
    for (let round = 0; round < rounds; round++) {
      for (const peer of rotate(list, round)) {
        await withPeer(peer, async (a) => {
          await a.appendBatch(warm)
          const t = await timed(async () => {
            for (let i = 0; i < count; i += batch) await a.appendBatch(events.slice(i, i + batch))
          })
          record(r, peer.name, t, count)
        })
      }
    }
    settle(r)
  }

  {
    const r = row('concurrent-256', '256 concurrent single appends', 'events/s')
    const commits = sizes.concurrent
    const events = accessEvents(0, 256 * (commits + 1))
    for (let round = 0; round < rounds; round++) {
      for (const peer of rotate(list, round)) {
        await withPeer(peer, async (a) => {
          await Promise.all(events.slice(0, 256).map((e) => a.append(e)))
          const t = await timed(async () => {
            for (let c = 1; c <= commits; c++) await Promise.all(events.slice(256 * c, 256 * (c + 1)).map((e) => a.append(e)))
          })
          record(r, peer.name, t, 256 * commits)
        })
      }
    }
    settle(r)
  }

  await readScenarios({ sizes, rounds, list, row, record, settle, log })
  return rows
}

/**
 * Reads and proofs over one prefilled log per peer. Liuhen format 2's reads go through a
 * lock-free reader beside its open writer (lib/liuhen.mjs), as an auditor's would.
 */
async function readScenarios({ sizes, rounds, list, row, record, settle, log }) {
  const readers = list.filter((p) => ['liuhen', 'liuhen-f1', 'raw', 'hypercore'].includes(p.name))
  const open = []
  const events = accessEvents(0, sizes.read)
  log(`  prefilling ${sizes.read} events per peer`)
  try {
    for (const peer of readers) {
      const dir = scratch(`read-${peer.name}`)
      const a = await peer.open(dir, { sync: false })
      for (let i = 0; i < events.length; i += 1000) await a.appendBatch(events.slice(i, i + 1000))
      open.push({ peer, a, dir, root: a.trustedRoot ? await a.trustedRoot() : undefined })
    }
    const read = row('read-verify', `sequential read-verify of ${sizes.read} entries`, 'entries/s')
    const audit = row('audit', `full audit (auditLog) of ${sizes.read} entries`, 'entries/s')
    const gen = row('proof-gen', 'inclusion proof generation', 'proofs/s')
    const vPath = row('proof-verify-path', 'inclusion proof verification (Merkle path)', 'proofs/s')
    const vSigned = row('proof-verify-signed', 'inclusion proof verification (path + signed root)', 'proofs/s')
    const indices = sampleIndices(sizes.read, sizes.proofs)
    for (let round = 0; round < rounds; round++) {
      for (const { peer, a, root } of rotate(open, round)) {
        const n = await timed(() => a.readVerify())
        if (n.value !== sizes.read) throw new Error(`${peer.name} read ${n.value} of ${sizes.read}`)
        record(read, peer.name, n, sizes.read)
        if (a.audit) record(audit, peer.name, await timed(() => a.audit()), sizes.read)
        if (!a.prove) continue
        const proofs = []
        const g = await timed(async () => {
          for (const i of indices) proofs.push(await a.prove(i))
        })
        record(gen, peer.name, g, indices.length)
        const p = await timed(async () => {
          for (const x of proofs) a.verifyPath(x, root)
        })
        record(vPath, peer.name, p, indices.length)
        const s = await timed(async () => {
          for (const x of proofs) await a.verifySigned(x)
        })
        record(vSigned, peer.name, s, indices.length)
      }
    }
    for (const r of [read, audit, gen, vPath, vSigned]) settle(r)
  } finally {
    for (const { a, dir } of open) {
      await a.close()
      removeDir(dir)
    }
  }
}

async function withPeer(peer, fn) {
  const dir = scratch(peer.name)
  const a = await peer.open(dir)
  try {
    await fn(a)
  } finally {
    await a.close()
    removeDir(dir)
  }
}
