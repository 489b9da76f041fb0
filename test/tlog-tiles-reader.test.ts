// The independent tlog-tiles reader (test/support/tlog-tiles-reader.mjs, written from the C2SP
// specs) against Tessera's test log, against logs built here by a naive builder that follows the
// spec's formulas (not Liuhen's code), and against damage. Liuhen's core functions are then
// checked to produce the same paths, bytes, roots and signed checkpoints as that builder.
import { createHash, generateKeyPairSync, sign } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CompactRange,
  encodeEntryBundle,
  entriesPath,
  formatCheckpoint,
  hashLeaf,
  openCheckpoint,
  parseEntryBundle,
  planRoot,
  readNodesFromTiles,
  signCheckpoint,
  signerFromKey,
  tilePath,
  verifierFromKey,
  vkeyOfSignerKey,
} from '@liuhen/core'
import { flipBits } from './support/bytes.js'
import { verifyCheckpoint } from './support/c2sp-checkpoint.mjs'
import { openLog, verifyLog } from './support/tlog-tiles-reader.mjs'

const TESSERA = fileURLToPath(new URL('vectors/tessera-testdata-log/log', import.meta.url))
const TESSERA_VKEY = 'example.com/log/testdata+33d7b496+AeHTu4Q3hEIMHNqc6fASMsq3rKNx280NI+oO5xCFkkSx'
const TESSERA_WORDS = 'one two three four five six seven eit nain ten ileven twelf threeten fourten fivten'.split(' ')

// ---- A naive static-log builder, straight from the spec texts ----------------------------------

const sha256 = (...parts: Uint8Array[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest()
// RFC 9162 §2.1.1: MTH({}) = SHA-256(), MTH({d0}) = SHA-256(0x00 || d0), MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])).
function mth(leaves: readonly Buffer[], from: number, to: number): Buffer {
  if (to - from === 0) return sha256()
  if (to - from === 1) return leaves[from] as Buffer
  let k = 1
  while (k * 2 < to - from) k *= 2
  return sha256(Buffer.of(1), mth(leaves, from, from + k), mth(leaves, from + k, to))
}
// tlog-tiles: index 1234067 is `x001/x234/067`; a partial tile of width W has `.p/W`.
function path(level: number | 'entries', n: number, width: number): string {
  const digits = String(n).padStart(Math.ceil(String(n).length / 3) * 3, '0')
  const groups = digits.match(/\d{3}/g) as string[]
  return `tile/${level}/${groups.map((g, i) => (i < groups.length - 1 ? 'x' : '') + g).join('/')}${width === 256 ? '' : `.p/${width}`}`
}

/** An Ed25519 log key from node:crypto, as a C2SP vkey, a Liuhen skey, and a note signer. */
function makeKey(name: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  const pub = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const seed = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32)
  const keyId = sha256(Buffer.from(`${name}\n`), Buffer.of(1), pub).subarray(0, 4)
  return {
    vkey: `${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.of(1), pub]).toString('base64')}`,
    skey: `PRIVATE+KEY+${name}+${keyId.toString('hex')}+${Buffer.concat([Buffer.of(1), seed]).toString('base64')}`,
    signNote: (text: string) => `${text}\n\u2014 ${name} ${Buffer.concat([keyId, sign(null, Buffer.from(text), privateKey)]).toString('base64')}\n`,
  }
}
type Key = ReturnType<typeof makeKey>

/** Writes a static log of `entries` for each size of `sizes`, ascending, as a growing log would. */
function buildLog(dir: string, origin: string, key: Key, entries: readonly Buffer[], sizes: readonly number[]) {
  const leaves = entries.map((e) => sha256(Buffer.of(0), e))
  const notes = new Map<number, string>()
  const roots = new Map<number, Buffer>()
  const files: { level: number | 'entries'; index: number; width: number; path: string }[] = []
  const put = (level: number | 'entries', index: number, width: number, bytes: () => Buffer) => {
    const p = path(level, index, width)
    if (existsSync(join(dir, p))) return
    mkdirSync(dirname(join(dir, p)), { recursive: true })
    writeFileSync(join(dir, p), bytes())
    files.push({ level, index, width, path: p })
  }
  for (const s of sizes) {
    for (let l = 0; Math.floor(s / 256 ** l) > 0; l++) {
      const count = Math.floor(s / 256 ** l) // hashes at level l
      for (let n = 0; n * 256 < count; n++) {
        const width = Math.min(256, count - n * 256)
        // The n-th tile at level l: MTH(D[(n·256 + i)·256^l : (n·256 + i + 1)·256^l]), i < width.
        put(l, n, width, () => Buffer.concat(Array.from({ length: width }, (_, i) => mth(leaves, (n * 256 + i) * 256 ** l, (n * 256 + i + 1) * 256 ** l))))
        if (l > 0) continue
        put('entries', n, width, () => Buffer.concat(entries.slice(n * 256, n * 256 + width).flatMap((e) => [Buffer.of(e.length >> 8, e.length & 0xff), e])))
      }
    }
    const root = mth(leaves, 0, s)
    roots.set(s, root)
    notes.set(s, key.signNote(`${origin}\n${s}\n${root.toString('base64')}\n`))
  }
  writeFileSync(join(dir, 'checkpoint'), notes.get(sizes.at(-1) as number) as string)
  return { leaves, notes, roots, files }
}

/** Serves `dir` read-only on 127.0.0.1 (404 for what it lacks), as any static web server would. */
/** With `gzip`, every file is sent gzip-compressed without negotiation, which tlog-tiles allows. */
async function serve(dir: string, override?: (url: string, res: import('node:http').ServerResponse) => boolean, gzip = false): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    if (override?.(url, res)) return
    const file = normalize(join(dir, url))
    if (!file.startsWith(dir) || !existsSync(file)) return void res.writeHead(404).end()
    try {
      const bytes = readFileSync(file)
      if (gzip) res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' }).end(gzipSync(bytes))
      else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes)
    } catch {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return { url: `http://127.0.0.1:${address.port}/`, server }
}
const close = (server: Server) => new Promise((resolve) => server.close(resolve))

const temp = mkdtempSync(join(tmpdir(), 'tlog-tiles-reader-'))
afterAll(() => rmSync(temp, { recursive: true, force: true }))

describe('the independent reader', () => {
  it('imports only node built-ins and itself, so it shares no code with Liuhen', () => {
    for (const file of ['tlog-tiles-reader.mjs', 'c2sp-checkpoint.mjs']) {
      const text = readFileSync(new URL(`support/${file}`, import.meta.url), 'utf8')
      const specifiers = [...text.matchAll(/(?:^import\b[^'"]*|\bimport\s*\()\s*['"]([^'"]+)['"]/gm)].map((m) => m[1])
      expect(specifiers.length, file).toBeGreaterThan(0)
      for (const s of specifiers) expect(s, file).toMatch(/^(node:[a-z/]+|\.\/c2sp-checkpoint\.mjs)$/)
    }
  })
})

// ---- (a) Tessera's log ---------------------------------------------------------------------------

describe("the independent reader on Tessera's test log", () => {
  it('verifies it from the folder', async () => {
    const { checkpoint, entries } = await verifyLog(TESSERA, TESSERA_VKEY)
    expect(checkpoint.size).toBe(15)
    expect(entries.map(String)).toEqual(TESSERA_WORDS)
  })

  it('verifies it through a static HTTP server', async () => {
    const { url, server } = await serve(TESSERA)
    try {
      const { entries } = await verifyLog(url, TESSERA_VKEY)
      expect(entries.map(String)).toEqual(TESSERA_WORDS)
      const log = await openLog(url.slice(0, -1), TESSERA_VKEY) // a prefix without the slash too
      expect((await log.readEntries(3, 5)).map(String)).toEqual(['four', 'five'])
    } finally {
      await close(server)
    }
  })

  it('verifies it from a server that sends every file gzip-compressed', async () => {
    const { url, server } = await serve(TESSERA, undefined, true)
    try {
      expect((await verifyLog(url, TESSERA_VKEY)).entries.map(String)).toEqual(TESSERA_WORDS)
    } finally {
      await close(server)
    }
  })

  it('accepts every checkpoint.<N> as a checkpoint of size N signed by the log key', () => {
    for (let n = 0; n <= 15; n++) {
      const cp = verifyCheckpoint(readFileSync(join(TESSERA, `checkpoint.${n}`)), TESSERA_VKEY)
      expect([cp.origin, cp.size]).toEqual(['example.com/log/testdata', n])
      const leaves = TESSERA_WORDS.slice(0, n).map((w) => sha256(Buffer.of(0), Buffer.from(w)))
      expect(cp.root.equals(mth(leaves, 0, n))).toBe(true)
    }
  })
})

// ---- (b) logs across tile boundaries, and Liuhen's core against the same bytes ----------------

describe('the independent reader on logs across tile boundaries', () => {
  const ORIGIN = 'example.com/reader-test'
  const SIZES = [0, 1, 255, 256, 257, 65_536, 65_539, 70_000] // 70,000 is the spec's example
  const key = makeKey(ORIGIN)
  // Varied lengths: an empty entry, one of the largest a uint16 length allows, the rest short.
  const entries = Array.from({ length: 70_000 }, (_, i) => (i === 3 ? Buffer.alloc(0) : i === 300 ? Buffer.alloc(65_535, i % 251) : Buffer.from(`entry ${i}`)))
  const dir = join(temp, 'grown')
  let built: ReturnType<typeof buildLog>

  beforeAll(() => {
    built = buildLog(dir, ORIGIN, key, entries, SIZES)
  })

  it('verifies the log at every size, from the folder and over HTTP', async () => {
    const { url, server } = await serve(dir)
    try {
      for (const size of SIZES) {
        writeFileSync(join(dir, 'checkpoint'), built.notes.get(size) as string)
        const got = await verifyLog(size % 2 === 0 ? dir : url, key.vkey)
        expect(got.checkpoint.size).toBe(size)
        expect(got.entries.length).toBe(size)
        expect(got.entries.every((e, i) => e.equals(entries[i] as Buffer))).toBe(true)
      }
    } finally {
      await close(server)
    }
  })

  it('reads a range of entries across bundles without reading the whole log', async () => {
    writeFileSync(join(dir, 'checkpoint'), built.notes.get(70_000) as string)
    const log = await openLog(dir, key.vkey)
    expect(log.levels).toBe(3)
    expect((await log.readEntries(65_530, 65_540)).map(String)).toEqual(entries.slice(65_530, 65_540).map(String))
    expect(await log.readEntries(100, 100)).toEqual([])
    await expect(log.readEntries(69_999, 70_001)).rejects.toThrow(/not within 0\.\.70000/)
    await expect(log.readTile(3, 0)).rejects.toThrow(/tile 3\/0 is outside a tree of size 70000/)
  })

  it('refuses a full level-1 tile that does not hash to its hash in level 2', async () => {
    const copy = join(temp, 'grown-damaged')
    cpSync(dir, copy, { recursive: true })
    writeFileSync(join(copy, 'checkpoint'), built.notes.get(70_000) as string)
    const tile = readFileSync(join(copy, 'tile/1/000'))
    flipBits(tile, 8191)
    writeFileSync(join(copy, 'tile/1/000'), tile)
    await expect(verifyLog(copy, key.vkey)).rejects.toThrow(/^tile\/1\/000 does not hash to hash 0 of tile\/2\/000\.p\/1$/)
  })

  it("matches Liuhen's paths, bundles, leaf hashes, roots and signed checkpoints", async () => {
    for (const f of built.files) {
      expect(f.level === 'entries' ? entriesPath(f.index, f.width) : tilePath(f.level, f.index, f.width)).toBe(f.path)
      if (f.level !== 'entries') continue
      const bytes = readFileSync(join(dir, f.path))
      const slice = entries.slice(f.index * 256, f.index * 256 + f.width)
      expect(Buffer.from(encodeEntryBundle(slice)).equals(bytes)).toBe(true)
      expect(parseEntryBundle(bytes, f.width).map((e) => Buffer.from(e).toString('hex'))).toEqual(slice.map((e) => e.toString('hex')))
    }
    expect(entries.every((e, i) => Buffer.from(hashLeaf(e)).equals(built.leaves[i] as Buffer))).toBe(true)
    const range = CompactRange.empty()
    expect(vkeyOfSignerKey(key.skey)).toBe(key.vkey)
    for (const size of SIZES) {
      while (range.size < size) range.append(built.leaves[range.size] as Buffer)
      const root = built.roots.get(size) as Buffer
      expect(Buffer.from(range.root()).equals(root), `CompactRange root of ${size}`).toBe(true)
      // Liuhen's tile reading over the spec's tiles of this size: a tile is full, or partial at the edge.
      const read = async (level: number, index: number) => {
        const count = Math.floor(size / 256 ** level)
        return readFileSync(join(dir, path(level, index, Math.min(256, count - index * 256))))
      }
      const plan = planRoot(size)
      expect(Buffer.from(plan.build(await readNodesFromTiles(read, plan.ids))[0] as Uint8Array).equals(root), `root of ${size} from tiles`).toBe(true)
      const note = built.notes.get(size) as string
      expect(signCheckpoint({ origin: ORIGIN, size, root, extensions: [] }, signerFromKey(key.skey))).toBe(note)
      expect(formatCheckpoint({ origin: ORIGIN, size, root, extensions: [] })).toBe(note.slice(0, note.indexOf('\n\n') + 1))
      expect(openCheckpoint(note, verifierFromKey(key.vkey)).checkpoint.size).toBe(size)
    }
  })
})

// ---- (c) damage ----------------------------------------------------------------------------------

describe('the independent reader refuses', () => {
  const ORIGIN = 'example.com/damaged'
  const key = makeKey(ORIGIN)
  const entries = Array.from({ length: 773 }, (_, i) => Buffer.from(`event ${i}`)) // 3·256 + 5
  const base = join(temp, 'base')
  let cases = 0
  let notes: Map<number, string>
  beforeAll(() => {
    notes = buildLog(base, ORIGIN, key, entries, [700, 773]).notes
  })
  /** A fresh copy of the 773-entry log, changed by `damage`. */
  const damaged = (damage: (dir: string) => void) => {
    const dir = join(temp, `case-${cases++}`)
    cpSync(base, dir, { recursive: true })
    damage(dir)
    return dir
  }
  const flip = (file: string, at: number) => (dir: string) => {
    const bytes = readFileSync(join(dir, file))
    flipBits(bytes, at < 0 ? bytes.length + at : at)
    writeFileSync(join(dir, file), bytes)
  }
  // The signature's last base64 group decoded, a byte of the Ed25519 signature flipped, encoded again.
  const flipSignature = (dir: string) => {
    const note = readFileSync(join(dir, 'checkpoint'), 'utf8')
    const at = note.lastIndexOf(' ') + 1
    const sig = Buffer.from(note.slice(at, -1), 'base64')
    flipBits(sig, 10)
    writeFileSync(join(dir, 'checkpoint'), `${note.slice(0, at)}${sig.toString('base64')}\n`)
  }
  const resign = (body: string) => (dir: string) => writeFileSync(join(dir, 'checkpoint'), key.signNote(body))
  const rootOf = (size: number) => mth(entries.map((e) => sha256(Buffer.of(0), e)).slice(0, size), 0, size).toString('base64')

  it.each([
    ['a flipped byte in a full level-0 tile', flip('tile/0/001', 40), /^tile\/0\/001 does not hash to hash 1 of tile\/1\/000\.p\/3$/],
    ['a flipped byte in a partial tile', flip('tile/0/003.p/5', 5), /^root of size 773 from tile\/1\/000\.p\/3, tile\/0\/003\.p\/5 is /],
    ['a flipped byte in a level-1 tile', flip('tile/1/000.p/3', 70), /tile\/1\/000\.p\/3/],
    ['a flipped byte in an entry bundle', flip('tile/entries/002', 2 + 6), /^entry 512 in tile\/entries\/002 does not hash to hash 0 of tile\/0\/002$/],
    [
      'a truncated bundle',
      (d: string) => writeFileSync(join(d, 'tile/entries/003.p/5'), readFileSync(join(d, 'tile/entries/003.p/5')).subarray(0, -1)),
      /^tile\/entries\/003\.p\/5 cuts entry 772 short$/,
    ],
    [
      'a bundle with an extra entry',
      (d: string) => writeFileSync(join(d, 'tile/entries/003.p/5'), Buffer.concat([readFileSync(join(d, 'tile/entries/003.p/5')), Buffer.of(0, 0)])),
      /003\.p\/5 holds bytes after its 5 entries/,
    ],
    ['a tile one byte too long', (d: string) => writeFileSync(join(d, 'tile/0/000'), Buffer.alloc(8193)), /^tile\/0\/000 is over the 8192 bytes it may be$/],
    ['a missing partial tile', (d: string) => unlinkSync(join(d, 'tile/0/003.p/5')), /^tile\/0\/003\.p\/5 is missing, and so is the full one$/],
    ['a missing full tile', (d: string) => unlinkSync(join(d, 'tile/0/001')), /^tile\/0\/001 is missing$/],
    ['a missing entry bundle', (d: string) => unlinkSync(join(d, 'tile/entries/000')), /^tile\/entries\/000 is missing$/],
    ['a wrong root', resign(`${ORIGIN}\n773\n${rootOf(772)}\n`), /^root of size 773 from .* the checkpoint's is /],
    ['a larger size', resign(`${ORIGIN}\n774\n${rootOf(773)}\n`), /tile\/0\/003\.p\/6 is missing/],
    [
      'a checkpoint signed by another key',
      (d: string) => writeFileSync(join(d, 'checkpoint'), makeKey(ORIGIN).signNote(`${ORIGIN}\n773\n${rootOf(773)}\n`)),
      /^checkpoint: signed note has no signature by example\.com\/damaged\+[0-9a-f]{8}$/,
    ],
    ['a flipped byte in the signature', flipSignature, /^checkpoint: signature by example\.com\/damaged does not verify$/],
    [
      'a checkpoint of another origin',
      (d: string) => writeFileSync(join(d, 'checkpoint'), key.signNote(`example.com/other\n773\n${rootOf(773)}\n`)),
      /origin "example\.com\/other" is not "example\.com\/damaged"/,
    ],
    ['a size with a leading zero', resign(`${ORIGIN}\n0773\n${rootOf(773)}\n`), /checkpoint size "0773" is not a decimal/],
    ['a root of 31 bytes', resign(`${ORIGIN}\n773\n${Buffer.alloc(31).toString('base64')}\n`), /checkpoint root is 31 bytes/],
    ['a root in non-canonical base64', resign(`${ORIGIN}\n773\n${rootOf(773).slice(0, 42)}B=\n`), /checkpoint root is not canonical base64/],
    ['a checkpoint without a root line', resign(`${ORIGIN}\n773\n`), /needs origin, size and root lines/],
    ['a checkpoint with an empty extension line', resign(`${ORIGIN}\n773\n${rootOf(773)}\n\n`), /blank line|empty extension/],
    ['a control character', resign(`${ORIGIN}\r\n773\n${rootOf(773)}\n`), /control character/],
    ['a checkpoint that is not UTF-8', (d: string) => writeFileSync(join(d, 'checkpoint'), Buffer.concat([Buffer.of(0xff), readFileSync(join(d, 'checkpoint'))])), /not valid UTF-8/],
    ['no checkpoint', (d: string) => unlinkSync(join(d, 'checkpoint')), /^checkpoint is missing$/],
  ])('%s', async (_, damage, message) => {
    await expect(verifyLog(damaged(damage), key.vkey)).rejects.toThrow(message)
  })

  it('the same damage served over HTTP (404 for a missing tile)', async () => {
    const dir = damaged((d) => unlinkSync(join(d, 'tile/1/000.p/3')))
    const { url, server } = await serve(dir)
    try {
      await expect(verifyLog(url, key.vkey)).rejects.toThrow(/^tile\/1\/000\.p\/3 is missing, and so is the full one$/)
    } finally {
      await close(server)
    }
  })

  it('a hostile server that streams an endless checkpoint, after the limit', async () => {
    const { url, server } = await serve(base, (path, res) => {
      if (path !== '/checkpoint') return false
      res.writeHead(200)
      const chunk = Buffer.alloc(64 * 1024, 0x61)
      const more = () => {
        while (res.write(chunk));
        res.once('drain', more)
      }
      res.on('close', () => res.removeAllListeners('drain'))
      more()
      return true
    })
    try {
      await expect(verifyLog(url, key.vkey)).rejects.toThrow(/^checkpoint is over the 1048576 bytes it may be$/)
    } finally {
      server.closeAllConnections()
      await close(server)
    }
  })

  it('but accepts a checkpoint that also carries signatures of other keys, and ignores them', async () => {
    const other = makeKey(ORIGIN) // the same name, another key ID: an unknown key, not a bad signature
    const dir = damaged((d) => {
      const note = readFileSync(join(d, 'checkpoint'), 'utf8')
      const witness = makeKey('witness.example/w1').signNote(note.slice(0, note.indexOf('\n\n') + 1))
      const foreign = [other.signNote('x\n'), witness].map((n) => n.slice(n.lastIndexOf('\u2014'))).join('')
      writeFileSync(join(d, 'checkpoint'), note + foreign)
    })
    expect((await verifyLog(dir, key.vkey)).checkpoint.size).toBe(773)
  })

  it('but reads an older checkpoint from the full tile once the partial one is gone, as the spec allows', async () => {
    // Size 700 needs tile/0/002.p/188 and its bundle; at 773 the full tile 002 exists.
    const dir = damaged((d) => {
      writeFileSync(join(d, 'checkpoint'), notes.get(700) as string)
      unlinkSync(join(d, 'tile/0/002.p/188'))
      unlinkSync(join(d, 'tile/entries/002.p/188'))
    })
    const { entries: got } = await verifyLog(dir, key.vkey)
    expect(got.map(String)).toEqual(entries.slice(0, 700).map(String))
  })
})
