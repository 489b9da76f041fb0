import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LevelStore } from '@liuhen/store-level'
import { storeConformance } from './store.suite.js'

storeConformance('LevelStore', async () => new LevelStore(join(mkdtempSync(join(tmpdir(), 'liuhen-store-')), 'db')))
