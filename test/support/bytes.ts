/**
 * Damage for tests: flips bits of one byte in place. Unlike `bytes[i] ^= mask`, it refuses an
 * index outside the array, so a test cannot silently damage nothing.
 * @example flipBits(tile, 5 * 32) // the first byte of the sixth hash
 */
export function flipBits(bytes: Uint8Array, index: number, mask = 0x01): void {
  const byte = bytes[index]
  if (byte === undefined) throw new RangeError(`byte ${index} is outside the ${bytes.length} bytes`)
  bytes[index] = byte ^ mask
}
