/**
 * Every size and nesting limit of the ledger, in one place. The writers (the append path) refuse
 * what is past them and the readers accept everything within them, so no accepted event can make
 * a tool fail: a limit exists once, here, and both sides import it.
 *
 * Strings, lists and maps have no limit of their own: the entry limit bounds them (each string
 * byte, list element and map entry takes at least one byte of the entry), and the reader reads
 * every length form the writer writes.
 */

/**
 * Largest entry, in bytes: the C2SP tlog-tiles limit on one entry of an entry bundle (a 16-bit
 * length). An event is accepted only when its entry fits, with every reference resolved at the
 * largest index (so acceptance never depends on what the log holds): see `maxEntrySize`.
 */
export const MAX_ENTRY_BYTES = 65_535

/**
 * Largest event, in bytes of its compact UTF-8 JSON (`JSON.stringify`): 64 KiB. JSON may be
 * shorter than the entry (a float takes 9 bytes in MessagePack), so both limits hold.
 */
export const MAX_EVENT_JSON_BYTES = 64 * 1024

/**
 * Deepest nesting of an event: the number of objects and lists a value may sit within, the event
 * object itself counted (`{"data": {"a": [1]}}` nests 3 deep). Events of real platforms nest 4
 * deep; 32 leaves room for their extra fields and stays well inside {@link MAX_DECODE_DEPTH}.
 */
export const MAX_EVENT_DEPTH = 32

/**
 * Deepest nesting of any canonical MessagePack value the reader decodes (an entry is one more
 * level than its event), and that the writer writes. Decoding never recurses deeper than this,
 * whatever the bytes.
 */
export const MAX_DECODE_DEPTH = 64

/**
 * Longest line of JSON Lines input, in bytes, checked while reading (before the line is
 * buffered), so an endless line costs bounded memory. Generous beside
 * {@link MAX_EVENT_JSON_BYTES}: whitespace and escapes (`\u00e9`) are not part of an event's size.
 */
export const MAX_LINE_BYTES = 1024 * 1024

/** Most characters of an id or value an error message shows (see `showText`). */
export const MAX_SHOWN_CHARS = 80
