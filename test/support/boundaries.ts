/**
 * The package boundaries of DESIGN.md ("Packages"), as data and as checks over sources and
 * manifests. Import specifiers are read with the TypeScript compiler's own pre-processor, so
 * `import`, `export … from`, `import type`, `import()` and `require()` are all seen, and nothing
 * in a string or a comment is mistaken for one.
 */
import { isBuiltin } from 'node:module'
import { posix } from 'node:path'
import ts from 'typescript'

/**
 * The workspace packages each package may depend on. DESIGN.md: core depends on nothing of ours
 * and is under everything; verify on core only (an auditor installs no native addon); query on
 * core, schema and verify; sim on schema; store-level, store-files and client on core; ledger on core and the stores (it
 * knows no event contract: the caller plugs one in); cli on all. Imports flow one way.
 */
export const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  'store-level': ['core'],
  'store-files': ['core'],
  client: ['core'],
  schema: ['core'],
  verify: ['core'],
  ledger: ['core', 'store-level', 'store-files'],
  query: ['core', 'schema', 'verify'],
  sim: ['core', 'schema'],
  server: ['core', 'ledger', 'store-files', 'query', 'verify'],
  cli: ['core', 'store-level', 'store-files', 'client', 'server', 'ledger', 'schema', 'verify', 'query', 'sim'],
}

const SCOPE = '@liuhen/'

/** The dependency fields of a package.json that matter here. */
export interface Manifest {
  name?: string
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

/** One source file of a package: its path relative to the package folder (posix), and its text. */
export interface SourceFile {
  path: string
  text: string
}

/** Every module specifier `text` names. */
export function specifiersOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName)
}

/** The package a bare specifier names (`@scope/name` or `name`); undefined for relative paths and Node built-ins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || isBuiltin(specifier)) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/** Names of the packages a manifest says it needs at run time. */
export function runtimeDependencies(manifest: Manifest): Set<string> {
  return new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})])
}

/**
 * What the sources of package `name` (folder `packages/<name>`, sources under `src/`) import
 * against the rules: another workspace package only as DESIGN.md allows and only through its
 * entry point, any package only when the manifest lists it in `dependencies` (devDependencies
 * are not installed with a published package), relative paths never out of `src/`.
 */
export function importViolations(name: string, files: readonly SourceFile[], manifest: Manifest): string[] {
  const allowed = ALLOWED[name] ?? []
  const declared = runtimeDependencies(manifest)
  const out: string[] = []
  for (const file of files) {
    for (const spec of specifiersOf(file.text)) {
      const where = `packages/${name}/${file.path} imports '${spec}'`
      const pkg = packageOf(spec)
      if (pkg === undefined) {
        if (spec.startsWith('.') && !posix.normalize(posix.join(posix.dirname(file.path), spec)).startsWith('src/')) out.push(`${where}, outside its src/`)
        if (spec.startsWith('/')) out.push(`${where}, an absolute path`)
        continue
      }
      if (pkg.startsWith(SCOPE)) {
        const target = pkg.slice(SCOPE.length)
        if (target === name) out.push(`${where}: a package reaches its own modules by relative path, not by its name`)
        else if (!allowed.includes(target)) out.push(`${where}: DESIGN.md lets ${name} depend on ${allowed.join(', ') || 'nothing of ours'}`)
        if (spec !== pkg) out.push(`${where}: only a package's entry point may be imported, not its files`)
      }
      if (!declared.has(pkg) && pkg !== manifest.name) out.push(`${where}, but its package.json does not list ${pkg} in dependencies`)
    }
  }
  return out
}

/** What a manifest declares against the rules: workspace dependencies only as DESIGN.md allows. */
export function manifestViolations(name: string, manifest: Manifest): string[] {
  const allowed = ALLOWED[name] ?? []
  return [...runtimeDependencies(manifest)]
    .filter((dep) => dep.startsWith(SCOPE) && !allowed.includes(dep.slice(SCOPE.length)))
    .map((dep) => `packages/${name}/package.json depends on ${dep}: DESIGN.md lets ${name} depend on ${allowed.join(', ') || 'nothing of ours'}`)
}

/** A cycle in `graph` (package → the packages it depends on), as a path that returns to its start; undefined when there is none. */
export function findCycle(graph: Readonly<Record<string, readonly string[]>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>()
  // Iterative depth-first search: each frame is a node and the index of its next edge.
  for (const start of Object.keys(graph)) {
    if (state.has(start)) continue
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }]
    state.set(start, 'open')
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: string; next: number }
      const edges = graph[top.node] ?? []
      if (top.next >= edges.length) {
        state.set(top.node, 'done')
        stack.pop()
        continue
      }
      const to = edges[top.next++] as string
      if (state.get(to) === 'open') {
        const path = stack.map((f) => f.node)
        return [...path.slice(path.indexOf(to)), to]
      }
      if (!state.has(to)) {
        state.set(to, 'open')
        stack.push({ node: to, next: 0 })
      }
    }
  }
  return undefined
}
