/**
 * Generates Liuhen's own format-1 vectors (test/vectors/liuhen/README.md): positive cases from a
 * fixed twelve-entry log, and negatives made from them by named mutation, in the manner of
 * transparency-dev/merkle's cmd/proofgen. Everything is fixed (keys, times, events), so the
 * output is the same on every run and machine; `pnpm vectors` writes it and the test
 * test/vectors-liuhen.test.ts fails when the committed files differ.
 *
 * Only the public API of @liuhen/core is used to build the log. Negatives name the stable error
 * code they must throw; it is stated here, never read back from the verifier. For a proof at a
 * mutated index or size it follows from the proof length core's planner builds there (another
 * module than the verifier, so the two are checked against each other).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chainCases } from './generate/chain.js'
import { checkpointCases } from './generate/checkpoint.js'
import { encodingCases, leafHashCases } from './generate/encoding.js'
import { LOG } from './generate/log.js'
import { consistencyCases, inclusionCases } from './generate/proofs.js'
import type { Case } from './generate/support.js'

/** The folder the vectors are written to. */
export const VECTOR_DIR = join(dirname(fileURLToPath(import.meta.url)), 'liuhen')

/** The kinds, one folder each. */
export const KINDS = ['encoding', 'leaf-hash', 'inclusion', 'consistency', 'checkpoint', 'chain'] as const

/**
 * Every vector file: path relative to {@link VECTOR_DIR} → JSON text. Case names are unique
 * within a kind (the generator refuses duplicates).
 */
export function generateVectors(): Map<string, string> {
  const byKind: Record<(typeof KINDS)[number], Case[]> = {
    encoding: encodingCases(LOG),
    'leaf-hash': leafHashCases(LOG),
    inclusion: inclusionCases(),
    consistency: consistencyCases(),
    checkpoint: checkpointCases(LOG),
    chain: chainCases(LOG),
  }
  const files = new Map<string, string>()
  for (const kind of KINDS) {
    for (const { name, ...rest } of byKind[kind]) {
      const path = `${kind}/${name}.json`
      if (files.has(path)) throw new Error(`duplicate vector ${path}`)
      files.set(path, JSON.stringify(rest, null, 2) + '\n')
    }
  }
  return files
}

/** Writes the vectors, replacing the kind folders (so a case no longer generated goes away). */
export function writeVectors(files = generateVectors()): void {
  for (const kind of KINDS) rmSync(join(VECTOR_DIR, kind), { recursive: true, force: true })
  for (const [path, text] of files) {
    mkdirSync(dirname(join(VECTOR_DIR, path)), { recursive: true })
    writeFileSync(join(VECTOR_DIR, path), text)
  }
}

/** Committed vector files, path relative to {@link VECTOR_DIR}. */
export function listVectorFiles(): string[] {
  return KINDS.flatMap((kind) => (existsSync(join(VECTOR_DIR, kind)) ? readdirSync(join(VECTOR_DIR, kind)).map((n) => `${kind}/${n}`) : [])).sort()
}
