/**
 * What a full audit checks once the entries are streamed (internal/run.ts): signed roots beyond
 * the log, entries beyond the head, the head itself, the latest checkpoint, tiles and ids that
 * should not exist.
 */
import { bytesEqual, toHex, type TreeHead } from '@liuhen/core'
import { checkExtraTiles, countIds, findExtraIds } from './extras.js'
import { firstEntryFrom } from './reads.js'
import type { AuditRun } from './run.js'

/** Checks after the stream: leftover checkpoints, extra entries, head, tiles, id index. */
export async function finishAudit(run: AuditRun, head: TreeHead | undefined): Promise<void> {
  const { failures, feed, source, tree } = run
  const n = run.pos
  run.flushShift()
  tree.settleUnsigned()
  for (const r of await feed.rest()) {
    const kind = r.from === 'stored' || (head && head.size >= r.size) ? 'truncation' : 'rollback'
    const what = r.from === 'stored' ? 'the store holds a checkpoint' : 'a held checkpoint is'
    failures.add({ code: 'AUDIT_INCONSISTENT', kind, size: r.size, message: `${kind}: ${what} signed at size ${r.size}, but the log has ${n} entries` })
  }
  if (head) {
    const extra = await firstEntryFrom(source, head.size)
    if (extra !== undefined) failures.fail('AUDIT_ENTRY_UNEXPECTED', `entry ${extra} is stored beyond the head's size ${head.size}`, { index: extra })
    if (!tree.broken) checkHead(run, head)
  }
  if (feed.latestStored?.size !== n && !tree.broken && n > 0) {
    failures.fail('AUDIT_CHECKPOINT_MISSING', `no checkpoint signed by the key at the tree size ${n}`, { size: n }, String(n), String(feed.latestStored?.size ?? 'none'))
  }
  if (!tree.broken) await checkExtraTiles(source, n, failures, 4 * n + 64)
  if (run.checkIds && (await countIds(source, n)) !== run.mappedIds) await findExtraIds(source, n, failures, n + 10_000)
}

function checkHead(run: AuditRun, head: TreeHead): void {
  const range = run.tree.main
  const fail = (what: string, expected: string, actual: string): void =>
    run.failures.fail('AUDIT_HEAD_MISMATCH', `the head's ${what} differs from the recomputed tree`, { size: head.size }, expected, actual)
  if (head.size !== range.size) fail('size', String(range.size), String(head.size))
  if (!bytesEqual(head.root, range.root())) fail('root', toHex(range.root()), toHex(head.root))
  if (!run.failures.isBad(range.size - 1) && head.time !== run.lastTime) fail('time', String(run.lastTime), String(head.time))
  const want = range.hashes
  const same = head.frontier.length === want.length && want.every((h, i) => head.frontier[i] instanceof Uint8Array && bytesEqual(h, head.frontier[i] as Uint8Array))
  if (!same) fail('frontier', want.map(toHex).join(','), head.frontier.map((h) => (h instanceof Uint8Array ? toHex(h) : '?')).join(','))
}
