/**
 * A static file server for tests: serves the files under a folder by path, 404 for anything
 * else, on 127.0.0.1 and an ephemeral port, as nginx or `python3 -m http.server` would serve a
 * ledger's `log/`. `rewrite` lets a test play a hostile server (change, redirect, fail or
 * inflate a response).
 */
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize, sep } from 'node:path'

/** What a test may do to a request before the file is served: true when it answered it. */
export type Rewrite = (path: string, req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>

/** A running server: its base URL, the paths it was asked for, and `close`. */
export interface LogServer {
  url: string
  requests: string[]
  close(): Promise<void>
}

/** Serves `root` until `close`; `rewrite` may answer a request itself. */
export async function serveFolder(root: string, rewrite?: Rewrite): Promise<LogServer> {
  const requests: string[] = []
  const server = createServer((req, res) => {
    void (async () => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^[/\\]+/, '')
      requests.push(path)
      if (rewrite && (await rewrite(path, req, res))) return
      if (path.split(sep).includes('..')) {
        res.writeHead(404).end()
        return
      }
      try {
        const body = await readFile(join(root, path))
        res.writeHead(200, { 'content-length': body.length, 'content-type': 'application/octet-stream' }).end(body)
      } catch {
        res.writeHead(404).end()
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
