import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join, relative } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { invokedAs } from '../src/demo-report.js'

const path = process.env['PATH']
afterEach(() => {
  process.env['PATH'] = path
})

describe('invokedAs', () => {
  const root = mkdtempSync(join(tmpdir(), 'liuhen-invoked-'))
  const script = join(root, 'launcher.js')
  writeFileSync(script, '')

  it('is liuhen where that name on PATH is this launcher (an installed package)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'liuhen-bin-'))
    symlinkSync(script, join(bin, 'liuhen'))
    process.env['PATH'] = `${bin}${delimiter}${path ?? ''}`
    expect(invokedAs(script)).toBe('liuhen')
  })

  it("is the launcher's path otherwise: relative below the working folder, else absolute and quoted", () => {
    process.env['PATH'] = ''
    expect(invokedAs(join(process.cwd(), 'bin', 'liuhen'))).toBe(join('bin', 'liuhen'))
    expect(invokedAs(script)).toBe(relative(process.cwd(), script).startsWith('..') ? script : relative(process.cwd(), script))
    expect(invokedAs("/opt/it's here/liuhen")).toBe(`'/opt/it'\\''s here/liuhen'`)
  })
})
