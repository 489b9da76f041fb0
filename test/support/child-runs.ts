/**
 * Child processes of the tests that run while others do: `liuhen` runs awaited without blocking
 * the test's event loop (so it can feed a writer's stdin meanwhile, or a server in this process
 * can answer it). The static web server over a folder is log-server.ts.
 */
import { spawn } from 'node:child_process'
import { BIN, ROOT, type Run } from '../e2e/helpers.js'

/**
 * Runs `liuhen args...` in a child process without blocking; resolves when it exits. `env` is
 * added to this process's environment.
 */
export function liuhenAsync(args: string[], input?: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } })
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
