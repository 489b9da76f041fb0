/**
 * Scoring findings against a simulation's ground truth: a finding matches a label when code and
 * event id are equal. Recall and precision per code and overall.
 */

/** Recall and precision of one code, or of all. */
export interface ScoreLine {
  labels: number
  found: number
  matched: number
  recall: number
  precision: number
}

/** The score of a findings run. */
export interface Score {
  overall: ScoreLine
  byCode: Record<string, ScoreLine>
}

const line = (labels: number, found: number, matched: number): ScoreLine => ({
  labels,
  found,
  matched,
  recall: labels === 0 ? 1 : matched / labels,
  precision: found === 0 ? 1 : matched / found,
})

/**
 * Scores `findings` against `truth` labels.
 * @example scoreFindings(engine.finish(), sim.truth).overall.recall // 1
 */
export function scoreFindings(findings: readonly { code: string; event: string }[], truth: readonly { code: string; event: string }[]): Score {
  const key = (x: { code: string; event: string }): string => `${x.code}\0${x.event}`
  const labelled = new Set(truth.map(key))
  const codes = new Set([...truth.map((t) => t.code), ...findings.map((f) => f.code)])
  // Null prototype: codes come from a truth file, and `__proto__` must stay a code like any other.
  const byCode = Object.create(null) as Record<string, ScoreLine>
  let matchedAll = 0
  const found = new Set(findings.map(key))
  for (const code of [...codes].sort()) {
    const labels = truth.filter((t) => t.code === code).length
    const mine = [...found].filter((k) => k.startsWith(`${code}\0`))
    const matched = mine.filter((k) => labelled.has(k)).length
    matchedAll += matched
    byCode[code] = line(labels, mine.length, matched)
  }
  return { overall: line(labelled.size, found.size, matchedAll), byCode }
}
