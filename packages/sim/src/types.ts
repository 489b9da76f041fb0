/** Ground truth: a planted anomaly, with the finding code the ledger must report. */
export interface Label {
  /** A finding code of DOMAIN.md (ACCESS_NO_GRANT, REPLY_LATE, ...). */
  code: string
  /** Id of the event the finding is about (request, grant, access or quality.raised). */
  event: string
  /** What was planted. */
  note?: string
}
