/** What every vector generator shares: the case shape and the named byte mutations. */

/**
 * One vector before it is written: `name` becomes the file name, the rest its JSON. Each case
 * has a `desc`, its inputs, and either its expected output or `wantErr`, a stable error code.
 */
export interface Case {
  name: string
  desc: string
  wantErr?: string
  [field: string]: unknown
}

/** A copy of `bytes` with bit `bit` of byte `at` flipped (default: the low bit of the first byte). */
export function flip(bytes: Uint8Array, at = 0, bit = 0): Uint8Array {
  const out = bytes.slice()
  out[at] = (out[at] as number) ^ (1 << bit)
  return out
}
