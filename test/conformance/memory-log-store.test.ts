import { MemoryIndex, MemoryIndexStore, MemoryLog, MemoryLogReader, MemoryLogStore } from '@liuhen/core'
import { indexStoreConformance } from './index-store.suite.js'
import { logStoreConformance } from './log-store.suite.js'

logStoreConformance('MemoryLogStore', async () => {
  const log = new MemoryLog()
  return { writer: () => new MemoryLogStore(log), reader: () => new MemoryLogReader(log) }
})

indexStoreConformance('MemoryIndexStore', async () => {
  const index = new MemoryIndex()
  return { store: () => new MemoryIndexStore(index) }
})
