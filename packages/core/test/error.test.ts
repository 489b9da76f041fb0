import { describe, expect, it } from 'vitest'
import { environmentError } from '@liuhen/core'

describe('environmentError', () => {
  it('codes a full disk and unwritable media by error number, and nothing else', () => {
    for (const errno of ['ENOSPC', 'EDQUOT']) expect(environmentError(errno, 'x')?.code).toBe('STORE_NO_SPACE')
    for (const errno of ['EROFS', 'EACCES', 'EPERM']) expect(environmentError(errno, 'x')?.code).toBe('STORE_READ_ONLY')
    for (const errno of ['EIO', 'EMFILE', undefined]) expect(environmentError(errno, 'x')).toBeUndefined()
  })

  it('names what failed and keeps the errno, the details and the cause', () => {
    const cause = new Error('low')
    const err = environmentError('ENOSPC', 'cannot write f', { detail: 'd' }, cause)
    expect(err?.message).toBe('cannot write f: no space left on the device (ENOSPC)')
    expect(err?.details).toEqual({ errno: 'ENOSPC', detail: 'd' })
    expect(err?.cause).toBe(cause)
  })
})
