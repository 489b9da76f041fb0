import { MemoryStore } from '@liuhen/core'
import { storeConformance } from './store.suite.js'

storeConformance('MemoryStore', async () => new MemoryStore())
