/**
 * Child processes of the tests that run while others do: `liuhen` runs awaited without blocking
 * the test's event loop (so it can feed a writer's stdin meanwhile), and a tiny static web server
 * over a folder (files by path, 404 for missing ones), as nginx would serve a log.
 */
import { spawn } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize, sep } from 'node:path'
import { BIN, ROOT, type Run } from '../e2e/helpers.js'

/** Runs `liuhen args...` in a child process without blocking; resolves when it exits. */
export function liuhenAsync(args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.on('error', () => undefined) // EPIPE when it exits without reading
    child.stdin.end(input ?? '')
  })
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** A static file server over `dir` on 127.0.0.1: its base URL (with a trailing slash). */
export async function serveFolder(dir: string): Promise<{ url: string; close(): Promise<void> }> {
  const base = normalize(dir)
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
      const file = normalize(join(base, path))
      if (!file.startsWith(base + sep)) return void res.writeHead(404).end()
      try {
        if (!(await stat(file)).isFile()) return void res.writeHead(404).end()
        const bytes = await readFile(file)
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes)
      } catch {
        res.writeHead(404).end()
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
