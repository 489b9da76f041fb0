/**
 * The packages as people install them: every workspace package packed with `pnpm pack` (which
 * builds it and turns `workspace:*` into versions), the tarballs installed with npm into an
 * empty folder outside the workspace (third-party dependencies from the registry), and then,
 * from there only, the README's tour run line by line through the installed `liuhen`, a small
 * simulated ledger audited, and the README's embedding example run as written. A file read at
 * run time but left out of a package, an import of a devDependency, or a tour line that no
 * longer works fails here. The tests run in order and build on each other (the tour's ledger
 * and bundle serve the later ones). Set LIUHEN_KEEP_PACK_TEST=1 to keep the folder for a look.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from './e2e/helpers.js'

const README = readFileSync(join(ROOT, 'README.md'), 'utf8')
const PACKAGES = readdirSync(join(ROOT, 'packages')).sort()

/** The text of the README between the heading `title` and the next heading of its level. */
function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`)
  if (start < 0) throw new Error(`README.md has no section "${title}"`)
  const end = README.indexOf('\n## ', start + 1)
  return README.slice(start, end < 0 ? undefined : end)
}

/** The tour's command lines, as the README shows them (indented, starting with `liuhen`). */
function tourCommands(): string[] {
  return section('A tour')
    .split('\n')
    .filter((l) => l.startsWith('    liuhen '))
    .map((l) => l.trim())
}

/** The README's embedding example: the one fenced js block of its section. */
function embeddingExample(): string {
  const match = /```js\n([\s\S]*?)```/.exec(section('Embedding the ledger'))
  if (!match?.[1]) throw new Error('README.md "Embedding the ledger" has no ```js block')
  return match[1]
}

interface Run {
  command: string
  code: number | null
  stdout: string
  stderr: string
}

/** The temporary folder of the whole check, and the app folder in it where the packages are installed. */
let base = ''
let dir = ''
let tarballDir = ''
let env: NodeJS.ProcessEnv = {}

/**
 * Runs `command` in a shell (in the install folder unless `cwd` is given); throws with everything
 * it printed unless it exits with `status` (0; `liuhen findings` exits 1 when there are findings).
 */
function sh(command: string, { cwd = dir, status = 0, timeout = 120_000 } = {}): Run {
  const r = spawnSync('sh', ['-c', command], { cwd, env, encoding: 'utf8', timeout, maxBuffer: 64 * 1024 * 1024 })
  const run = { command, code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }
  if (r.error || r.status !== status) {
    const cause = r.error ? `${r.error.message}` : `exit ${String(r.status)}${r.signal ? ` (${r.signal})` : ''}, not ${status}`
    throw new Error(`\`${command}\` in ${cwd} failed: ${cause}\n--- stdout\n${run.stdout.slice(-4000)}\n--- stderr\n${run.stderr.slice(-4000)}`)
  }
  return run
}

describe('the packed packages, installed with npm outside the workspace', { timeout: 300_000 }, () => {
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'liuhen-pack-'))
    const tarballs = join(base, 'tarballs')
    const app = join(base, 'app')
    mkdirSync(app)
    // Lifecycle variables of an enclosing `pnpm test` describe the workspace, not the new folder.
    env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_(package|lifecycle)_/i.test(k)))
    sh(`npx -y pnpm@10 -r pack --pack-destination ${JSON.stringify(tarballs)}`, { cwd: ROOT, timeout: 240_000 })
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'liuhen-install-check', private: true, type: 'module' }))
    tarballDir = tarballs
    const files = readdirSync(tarballs).map((f) => JSON.stringify(join(tarballs, f)))
    sh(`npm install --no-audit --no-fund --prefer-offline ${files.join(' ')}`, { cwd: app, timeout: 240_000 })
    cpSync(join(ROOT, 'examples'), join(app, 'examples'), { recursive: true })
    env = { ...env, PATH: `${join(app, 'node_modules', '.bin')}${delimiter}${env['PATH'] ?? ''}` }
    dir = app
  }, 600_000)

  afterAll(() => {
    if (base !== '' && process.env['LIUHEN_KEEP_PACK_TEST'] !== '1') rmSync(base, { recursive: true, force: true })
  })

  it('installs every package from its tarball, built, without sources or workspace ranges', () => {
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { resolved?: string }> }
    for (const name of PACKAGES) {
      const at = join(dir, 'node_modules', '@liuhen', name)
      // From the tarball, not from a registry that might hold a package of the same name.
      expect(lock.packages[`node_modules/@liuhen/${name}`]?.resolved, name).toMatch(new RegExp(`liuhen-${name}-[\\d.]+\\.tgz$`))
      const manifest = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8'))
      expect(manifest.private, name).toBeUndefined()
      expect(JSON.stringify(manifest.dependencies ?? {}), name).not.toContain('workspace:')
      expect(existsSync(join(at, 'src')), `${name} ships src/`).toBe(false)
      // Every export but the workspace's source condition resolves to a file in the package.
      const targets = Object.values(manifest.exports as Record<string, Record<string, string> | string | null>).flatMap((t) =>
        t === null ? [] : typeof t === 'string' ? [t] : Object.entries(t).flatMap(([condition, path]) => (condition === '@liuhen/source' ? [] : [path])),
      )
      expect(targets.length, name).toBeGreaterThan(0)
      for (const target of targets.filter((t) => !t.includes('*'))) expect(existsSync(join(at, target)), `${name}: ${target}`).toBe(true)
    }
    expect(sh('liuhen --version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    // What is read at run time, or published for others, ships: the deadline configuration and
    // the JSON Schemas (reachable through the schema package's exports).
    expect(existsSync(join(dir, 'node_modules', '@liuhen', 'query', 'config', 'deadlines.json'))).toBe(true)
    const schema = sh(`node --input-type=module -e "console.log(import.meta.resolve('@liuhen/schema/schemas/grant.issued.schema.json'))"`).stdout.trim()
    expect(JSON.parse(readFileSync(new URL(schema), 'utf8'))).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#' })
  })

  it("runs the README's tour as written, with the installed liuhen", () => {
    const commands = tourCommands()
    expect(commands.map((c) => c.split(/\s+/)[1])).toEqual(['init', 'append', 'checkpoint', 'verify', 'prove', 'findings', 'chain', 'bundle', 'verify-bundle'])
    // The sample holds planted anomalies: findings reports them and exits 1, as documented.
    const out = commands.map((c) => sh(c, { status: c.startsWith('liuhen findings') ? 1 : 0 }).stdout)
    expect(out[3]).toMatch(/Result: VALID/)
    expect(JSON.parse(out[4] as string)).toMatchObject({ index: 42 })
    // findings reads the deadline configuration and the calendar, files of the packages.
    expect(out[5]).toMatch(/^Findings as of .*: [1-9]/)
    expect(out[6]).toMatch(/Result: VERIFIED/)
    expect(out[8]).toMatch(/Result: VALID/)
    expect(existsSync(join(dir, 'chain.json'))).toBe(true)
  })

  it("runs the README's embedding example as written, and the CLI reads what it appended", () => {
    writeFileSync(join(dir, 'embed.mjs'), embeddingExample())
    const first = sh('node embed.mjs').stdout
    expect(first).toMatch(/^org-0100 included under root [0-9a-f]{64}\n$/)
    // Appending the same event again is idempotent: the same id, nothing new.
    expect(sh('node embed.mjs').stdout).toBe(first)
    const verify = sh('liuhen verify district-ledger --key district-ledger/ledger.vkey').stdout
    expect(verify).toMatch(/Result: VALID/)
    expect(sh('liuhen tail district-ledger --from 113').stdout).toContain('org-0100')
  })

  it('type-checks the embedding example against the installed declarations (types point to dist)', () => {
    writeFileSync(join(dir, 'embed.ts'), embeddingExample())
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
    // Node's own types from the workspace; everything of ours from the installed packages.
    const options = '--noEmit --strict --skipLibCheck --module nodenext --moduleResolution nodenext --target es2022 --types node'
    sh(`node ${JSON.stringify(tsc)} ${options} --typeRoots ${JSON.stringify(join(ROOT, 'node_modules', '@types'))} embed.ts`)
  })

  it("verifies the tour's bundle offline with only @liuhen/core and @liuhen/verify installed (no native addon)", () => {
    const auditor = join(base, 'auditor')
    mkdirSync(auditor)
    writeFileSync(join(auditor, 'package.json'), JSON.stringify({ name: 'liuhen-auditor-check', private: true, type: 'module' }))
    const two = ['core', 'verify'].map((name) => readdirSync(tarballDir).find((f) => f.startsWith(`liuhen-${name}-`)) as string)
    sh(`npm install --no-audit --no-fund --prefer-offline ${two.map((f) => JSON.stringify(join(tarballDir, f))).join(' ')}`, { cwd: auditor, timeout: 240_000 })
    expect(existsSync(join(auditor, 'node_modules', 'classic-level')), 'the native LevelDB addon came along').toBe(false)
    const script = [
      "import { readFileSync } from 'node:fs'",
      "import { verifyBundle } from '@liuhen/verify'",
      "const [bundle, key] = process.argv.slice(2).map((f) => readFileSync(f, 'utf8'))",
      'const r = verifyBundle(JSON.parse(bundle), { key: key.trim() })',
      "console.log(r.ok, r.chain.length, r.failures.map((f) => f.code).join(' '))",
    ].join('\n')
    writeFileSync(join(auditor, 'check.mjs'), script)
    const out = sh(`node check.mjs ${JSON.stringify(join(dir, 'chain.json'))} ${JSON.stringify(join(dir, 'district-ledger', 'ledger.vkey'))}`, { cwd: auditor }).stdout
    expect(out).toBe('true 6 \n')
  })

  it('simulates a small district ledger, audits it and reports its findings', () => {
    const sim = JSON.parse(sh('liuhen simulate sim --seed 7 --days 3 --access-scale 0.01 --no-progress --json').stdout)
    expect(sim.events).toBeGreaterThan(100)
    expect(sh('liuhen verify sim --key sim/ledger.vkey --no-progress').stdout).toMatch(/Result: VALID/)
    const run = spawnSync('sh', ['-c', 'liuhen findings sim --json'], { cwd: dir, env, encoding: 'utf8' })
    expect(run.status, run.stderr).toBeLessThan(2) // 0 without findings, 1 with
    expect(JSON.parse(run.stdout).findings.length > 0).toBe(run.status === 1)
  })
})
