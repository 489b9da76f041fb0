/**
 * The package boundaries of DESIGN.md, checked on the real sources and manifests: a package
 * imports only what the design lets it depend on and what its package.json declares, and the
 * workspace's dependency graph has no cycle. The checks are shown to catch each kind of
 * violation on small made-up inputs first.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ALLOWED, findCycle, importViolations, manifestViolations, runtimeDependencies, type Manifest, type SourceFile } from './support/boundaries.js'

const PACKAGES = fileURLToPath(new URL('../packages', import.meta.url))

/** The names of the workspace's package folders. */
const packageNames = (): string[] =>
  readdirSync(PACKAGES, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()

const manifestOf = (name: string): Manifest => JSON.parse(readFileSync(join(PACKAGES, name, 'package.json'), 'utf8'))

/** Every TypeScript source under `packages/<name>/src`, paths relative to the package folder. */
function sourcesOf(name: string): SourceFile[] {
  const dir = join(PACKAGES, name)
  return readdirSync(join(dir, 'src'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.[cm]?ts$/.test(d.name))
    .map((d) => {
      const path = join(d.parentPath, d.name)
      return { path: relative(dir, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }
    })
}

describe('the boundary checks catch', () => {
  const ledger: Manifest = { name: '@liuhen/ledger', dependencies: { '@liuhen/core': 'workspace:*', '@liuhen/schema': 'workspace:*' } }

  it('an import of a workspace package the design does not allow, static or dynamic', () => {
    const files = [
      { path: 'src/a.ts', text: "import { assertEventBatch } from '@liuhen/schema'" },
      { path: 'src/b.ts', text: "const q = await import('@liuhen/schema')\nexport type { X } from '@liuhen/core'" },
    ]
    expect(importViolations('ledger', files, ledger)).toEqual([
      expect.stringContaining("packages/ledger/src/a.ts imports '@liuhen/schema': DESIGN.md lets ledger depend on core, store-level"),
      expect.stringContaining("packages/ledger/src/b.ts imports '@liuhen/schema'"),
    ])
    expect(manifestViolations('ledger', ledger)).toEqual([expect.stringContaining('packages/ledger/package.json depends on @liuhen/schema')])
  })

  it('a package not listed in dependencies, or listed only in devDependencies', () => {
    const manifest = { dependencies: { '@liuhen/core': 'workspace:*' }, devDependencies: { msgpackr: '^1' } }
    const files = [{ path: 'src/a.ts', text: "import { pack } from 'msgpackr'\nimport x from 'left-pad/index.js'\nimport { readFileSync } from 'node:fs'\nimport 'fs'" }]
    expect(importViolations('verify', files, manifest)).toEqual([
      expect.stringContaining("imports 'msgpackr', but its package.json does not list msgpackr in dependencies"),
      expect.stringContaining("imports 'left-pad/index.js', but its package.json does not list left-pad"),
    ])
  })

  it("a reach into another package's files, and a relative path out of src/", () => {
    const files = [{ path: 'src/x/a.ts', text: "import '@liuhen/core/internal/util.js'\nimport '../../../core/src/hash.js'\nimport '../b.js'\n// import '@liuhen/ledger'" }]
    expect(importViolations('verify', files, { dependencies: { '@liuhen/core': '*' } })).toEqual([
      expect.stringContaining("imports '@liuhen/core/internal/util.js': only a package's entry point"),
      expect.stringContaining("imports '../../../core/src/hash.js', outside its src/"),
    ])
  })

  it('a cycle, named as a path', () => {
    expect(findCycle({ a: ['b'], b: ['c', 'd'], c: [], d: ['a'] })).toEqual(['a', 'b', 'd', 'a'])
    expect(findCycle({ a: ['b', 'c'], b: ['c'], c: [] })).toBeUndefined()
  })
})

describe('the workspace keeps the boundaries of DESIGN.md', () => {
  const names = packageNames()

  it('every package has its place in the table of allowed dependencies, and the table has no cycle', () => {
    expect(names).toEqual(Object.keys(ALLOWED).sort())
    expect(findCycle(ALLOWED)).toBeUndefined()
  })

  it.each(names)('%s imports only what DESIGN.md allows and its package.json declares', (name) => {
    const manifest = manifestOf(name)
    const files = sourcesOf(name)
    expect(files.length).toBeGreaterThan(0)
    expect([...manifestViolations(name, manifest), ...importViolations(name, files, manifest)]).toEqual([])
  })

  it("each package's TypeScript project references are its workspace dependencies", () => {
    for (const name of names) {
      const refs = (JSON.parse(readFileSync(join(PACKAGES, name, 'tsconfig.json'), 'utf8')).references ?? []).map((r: { path: string }) => r.path.replace('../', ''))
      const deps = [...runtimeDependencies(manifestOf(name))].filter((d) => d.startsWith('@liuhen/')).map((d) => d.slice('@liuhen/'.length))
      expect(refs.sort(), name).toEqual(deps.sort())
    }
  })

  it('the dependency graph the manifests declare has no cycle', () => {
    const graph = Object.fromEntries(names.map((name) => [name, [...runtimeDependencies(manifestOf(name))].filter((d) => d.startsWith('@liuhen/')).map((d) => d.slice('@liuhen/'.length))]))
    expect(findCycle(graph)).toBeUndefined()
  })
})
