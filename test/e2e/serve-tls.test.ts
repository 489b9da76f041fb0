/**
 * `liuhen serve --tls-cert --tls-key`: the service over HTTPS (test/fixtures/tls, a self-signed
 * certificate for 127.0.0.1). A client that trusts the certificate verifies the log through it;
 * one that does not refuses the connection (exit 3), as TLS should.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { liuhenAsync } from '../support/child-runs.js'
import { BIN, ensureBuilt, expectRun, ROOT, SAMPLE, tempDir } from './helpers.js'

const TLS = join(ROOT, 'test', 'fixtures', 'tls')

describe('liuhen serve over TLS', () => {
  it('serves the log over HTTPS to a client that trusts its certificate, and to no other', async () => {
    ensureBuilt()
    const dir = join(tempDir(), 'l')
    const vkey = expectRun(['init', dir, '--origin', 'tls.liuhen.example/audit'], 0).stdout.trim()
    expectRun(['append', dir, SAMPLE], 0)
    expectRun(['serve', dir, '--listen', '127.0.0.1:0', '--tls-cert', join(TLS, 'cert.pem')], 2)
    const child = spawn(process.execPath, [BIN, 'serve', dir, '--listen', '127.0.0.1:0', '--tls-cert', join(TLS, 'cert.pem'), '--tls-key', join(TLS, 'key.pem')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /on (https:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
          if (m) resolve(m[1] as string)
        })
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)))
      })
      const trusted = await liuhenAsync(['verify', url, '--key', vkey], '', { NODE_EXTRA_CA_CERTS: join(TLS, 'cert.pem') })
      expect(trusted.code, trusted.stderr).toBe(0)
      expect(trusted.stdout).toMatch(/Result: VALID/)
      const untrusted = await liuhenAsync(['verify', url, '--key', vkey], '', { NODE_EXTRA_CA_CERTS: '' })
      expect(untrusted.code).toBe(3)
      expect(untrusted.stderr).toMatch(/cannot fetch .*SELF_SIGNED/)
    } finally {
      child.kill('SIGTERM')
    }
  })
})
