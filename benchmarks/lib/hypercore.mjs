/**
 * hypercore (holepunchto/hypercore 11.x, on RocksDB via hypercore-storage), installed from
 * benchmarks/peers with npm. Events are stored as their JSON bytes. hypercore does not fsync
 * each append: its default write path is what is measured.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { BENCH_DIR } from './measure.mjs'

const PEERS = join(BENCH_DIR, 'peers')

/** Installs benchmarks/peers (npm ci, from its lockfile) when its node_modules is missing. */
export function ensurePeers(log = console.error) {
  if (existsSync(join(PEERS, 'node_modules', 'hypercore', 'package.json'))) return
  log('benchmarks/peers is not installed: running npm ci --prefix benchmarks/peers')
  execFileSync('npm', ['ci', '--prefix', PEERS, '--no-audit', '--no-fund'], { stdio: 'inherit' })
}

function load() {
  const require = createRequire(join(PEERS, 'package.json'))
  return {
    Hypercore: require('hypercore'),
    version: require('hypercore/package.json').version,
    MerkleTree: require('hypercore/lib/merkle-tree.js').MerkleTree,
    crypto: require('hypercore-crypto'),
    b4a: require('b4a'),
  }
}

let lib
/** hypercore and its helpers, loaded from benchmarks/peers. */
export function loadHypercore() {
  lib ??= load()
  return lib
}

export function hypercoreVersion() {
  lib ??= load()
  return lib.version
}

export async function openHypercore(dir) {
  lib ??= load()
  const { Hypercore, MerkleTree, crypto, b4a } = lib
  const core = new Hypercore(join(dir, 'core'))
  await core.ready()
  const encode = (e) => Buffer.from(JSON.stringify(e))
  return {
    core,
    appendBatch: (events) => core.append(events.map(encode)),
    append: (event) => core.append(encode(event)),
    /** Its sequential read stream, each block parsed; local blocks are not re-verified. */
    async readVerify() {
      let n = 0
      for await (const block of core.createReadStream({ start: 0, end: core.length })) {
        JSON.parse(block)
        n++
      }
      return n
    },
    /** A block proof (the block's value, its Merkle nodes, the upgrade to the signed length). */
    async prove(index) {
      return { proof: await core.proof({ block: { index, nodes: 0 }, upgrade: { start: 0, length: core.length } }) }
    },
    /** The tree hash a verifier already trusts (read once). */
    trustedRoot: () => core.treeHash(),
    /** Hashes the block and its path up to the roots, compares the trusted tree hash; no signature. */
    verifyPath({ proof }, treeHash) {
      const batch = MerkleTree.verifyFullyRemote(core.state, proof)
      if (!b4a.equals(crypto.tree(batch.roots), treeHash)) throw new Error('tree hash differs')
    },
    /** Its public remote-proof check: the Merkle path and the signature of the upgrade. */
    async verifySigned({ proof }) {
      await core.verifyFullyRemote(proof)
    },
    close: () => core.close(),
  }
}
