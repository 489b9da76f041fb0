/**
 * `liuhen serve` as a child process for the end-to-end tests: started on a loopback address,
 * resolved with its base URL once it prints it, rejected if it exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { BIN, ROOT } from '../e2e/helpers.js'

/** A running server: its process, its base URL, and its exit (code and stderr). */
export interface ServeProcess {
  child: ChildProcess
  url: string
  exited: Promise<{ code: number | null; stderr: string }>
}

/** Runs `liuhen serve ...args`; `args` name the ledger and the options, `--listen` included. */
export async function startServe(args: string[]): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stderr })))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /on (https?:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
      if (m) resolve(m[1] as string)
    })
    void exited.then(({ code }) => reject(new Error(`serve exited ${code}: ${stderr}`)))
  })
  return { child, url, exited }
}
