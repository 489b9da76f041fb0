import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileLogReader, FileLogStore } from '../src/index.js'
import { logStoreConformance } from '../../../test/conformance/log-store.suite.js'

logStoreConformance('FileLogStore', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-log-')), 'log')
  return {
    writer: () => new FileLogStore(dir),
    reader: () => new FileLogReader(dir),
    // A file where the folder of level-1 tiles goes: a commit reaching size 256 writes its entry
    // bundles and level-0 tiles, then fails making that folder.
    async sabotage() {
      mkdirSync(join(dir, 'tile'), { recursive: true })
      writeFileSync(join(dir, 'tile', '1'), 'in the way')
      return async () => rmSync(join(dir, 'tile', '1'))
    },
  }
})
