/** The pinned key: a verifier or its vkey text. */
import { verifierFromKey, type NoteVerifier } from '@liuhen/core'

/** A log's verifier, or the C2SP vkey text it is made from. */
export type PinnedKey = NoteVerifier | string

/** The verifier of `key`; throws `KEY_MALFORMED` on a bad vkey text. */
export function toVerifier(key: PinnedKey): NoteVerifier {
  return typeof key === 'string' ? verifierFromKey(key) : key
}
