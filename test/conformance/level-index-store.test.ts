import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LevelIndexStore } from '@liuhen/store-level'
import { indexStoreConformance } from './index-store.suite.js'

indexStoreConformance('LevelIndexStore', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'liuhen-index-')), 'index')
  return { store: () => new LevelIndexStore(dir) }
})
