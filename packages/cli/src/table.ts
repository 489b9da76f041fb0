/** A plain aligned text table for human output (no dependency, no colours). */
import { inlineText } from '@liuhen/core'

/** Display width of a string: East Asian wide characters count two columns. */
export function displayWidth(text: string): number {
  let width = 0
  for (const ch of text) width += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/u.test(ch) ? 2 : 1
  return width
}

const pad = (text: string, width: number, right: boolean): string => {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return right ? fill + text : text + fill
}

/**
 * Formats rows under a header, columns separated by two spaces; columns whose name is listed in
 * `rightAligned` are right-aligned (numbers). Trailing spaces are trimmed.
 * @example formatTable(['code', 'count'], [['REPLY_LATE', '3']], ['count'])
 */
export function formatTable(header: readonly string[], cells: readonly (readonly string[])[], rightAligned: readonly string[] = []): string {
  // Cells hold event data (ids, departments, resources): escaped, so none breaks its row.
  const rows = cells.map((r) => r.map(inlineText))
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))))
  const right = header.map((h) => rightAligned.includes(h))
  const render = (cells: readonly string[]): string =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0, right[i] ?? false))
      .join('  ')
      .trimEnd()
  const rule = widths.map((w) => '-'.repeat(w)).join('  ')
  return [render(header), rule, ...rows.map(render)].join('\n') + '\n'
}
