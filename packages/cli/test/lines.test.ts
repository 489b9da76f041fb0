/** readLines: JSON Lines as bytes, each line capped before it is buffered and strictly UTF-8. */
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readLines } from '../src/lines.js'

async function collect(input: AsyncIterable<Uint8Array | string>, max?: number): Promise<{ text: string; no: number; bytes: number }[]> {
  const out = []
  for await (const l of readLines(input, max)) out.push(l)
  return out
}

describe('readLines', () => {
  it('splits at \\n across chunks, keeps numbers and byte counts', async () => {
    const input = Readable.from([Buffer.from('{"a":1}\n\n{"b"'), Buffer.from(':"部'), Buffer.from([0xe9, 0x97, 0xa8]), Buffer.from('"}\r\nlast')])
    expect(await collect(input)).toEqual([
      { text: '{"a":1}', no: 1, bytes: 8 },
      { text: '', no: 2, bytes: 1 },
      { text: '{"b":"部门"}\r', no: 3, bytes: 16 },
      { text: 'last', no: 4, bytes: 4 },
    ])
  })

  it('refuses an endless line after reading only about the limit', async () => {
    let produced = 0
    const zero = Buffer.alloc(64 * 1024)
    // /dev/zero as a stream: it never ends and never breaks a line.
    const endless = new Readable({
      read() {
        produced += zero.length
        this.push(zero)
      },
    })
    await expect(collect(endless, 1024 * 1024)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', details: { line: 1 } })
    expect(produced).toBeLessThan(2 * 1024 * 1024)
    expect(endless.destroyed).toBe(true)
  })

  it('names the long line after good ones', async () => {
    const input = Readable.from([`ok\nok\n${'x'.repeat(100)}\n`])
    await expect(collect(input, 50)).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE', message: 'line 3: longer than 50 bytes' })
  })

  it('refuses bytes that are not UTF-8, naming the line', async () => {
    for (const bad of [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      const input = Readable.from([Buffer.concat([Buffer.from('{}\n"'), Buffer.from(bad), Buffer.from('"\n')])])
      await expect(collect(input)).rejects.toMatchObject({ code: 'INPUT_INVALID', details: { line: 2 } })
    }
  })
})
