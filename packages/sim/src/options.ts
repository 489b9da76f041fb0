/**
 * Simulation parameters. Every workload figure of the domain notes, section (d) "Synthetic
 * workload", is a parameter with that figure as its default (see README for the table).
 */

/** Workload parameters; all have defaults (section (d) of the domain notes). */
export interface Workload {
  /** District departments (委办局 and vertical branches). */ districtDepts: number
  /** Streets/towns. */ streets: number
  /** Communities per street (12 × 15 = 180). */ communitiesPerStreet: number
  /** Municipal departments in up and down flows. */ municipalDepts: number
  /** Provincial virtual providers (reached via the city). */ provincialProviders: number
  /** Platform accounts by unit (25 per district dept, 40 per street, 8 per community, 30 bureau). */
  accounts: { districtDept: number; street: number; community: number; bureau: number }
  /** Leaders eligible to endorse escalations (district head and deputies). */ endorsers: number
  /** District-owned catalogue resources. */ catalogueSize: number
  /** Superior (municipal/provincial) resources visible for downflow. */ superiorResources: number
  /** Data items per resource: median, min, max. */ items: { median: number; min: number; max: number }
  sharing: { unconditional: number; conditional: number; none: number }
  grade: { general: number; important: number }
  /** Core-grade resources (a district rarely holds any; a few test the code paths). */ coreResources: number
  /** Share of resources with personal information, and with sensitive PI. */ pi: number
  sensitivePi: number
  updateCycle: { realtime: number; daily: number; weekly: number; monthly: number; none: number }
  /** catalogue.updated per week, of which regrades. */ catalogueChangesPerWeek: number
  regradesPerWeek: number
  /** catalogue.withdrawn per month (simulator choice; resources never requested). */ withdrawalsPerMonth: number
  /** Superior tasks registered (simulator choice). */ tasks: number
  /** New requests per working day (Poisson). */ requestsPerWorkingDay: number
  /** Sharing type of requested resources: conditional and none; the rest unconditional. */ requestConditional: number
  requestNone: number
  mechanism: { platform: number; exchange: number; escalation: number; bundling: number }
  direction: { horizontal: number; up: number; down: number }
  replyOutcome: { approved: number; approvedWithConditions: number; refused: number }
  /** Refusals disputed (by escalation), and disputes endorsed. */ disputeRate: number
  disputeEndorsedRate: number
  /** Conditional reply latency in working days (lognormal). */ replyLatency: { median: number; p90: number }
  /** Approval to grant, working days (lognormal). */ fulfilmentLatency: { median: number; p90: number }
  /** Providers that reply late (the seed's fear of 问责). */ reluctantProviders: number
  /** Escalations endorsed; endorsement form mix. */ endorsedRate: number
  endorsementForm: { instruction: number; minutes: number; verbal: number }
  /** New exchange agreements per month; validity in years; terminated early. */ agreementsPerMonth: number
  agreementYears: { one: number; two: number; three: number }
  agreementTerminatedRate: number
  /** Active grants at steady state (scaled by accessScale; see README). */ activeGrants: number
  /** Grants with short lives (1–6 months). */ shortLivedGrants: number
  /** Grants revoked per month (fraction of live grants). */ revocationsPerMonth: number
  /** Grants with no access (dormant). */ dormantGrants: number
  /** Storage allowed by grants. */ grantStorage: { none: number; cache: number; copy: number }
  /** Access calls per working day and per weekend/holiday day. */ accessPerWorkingDay: number
  accessPerRestDay: number
  /** Share of calls outside office hours. */ offHoursShare: number
  /** Top 5% of grants make this share of calls. */ topGrantShare: number
  operation: { verify: number; query: number; list: number; batch: number }
  /** Denied calls. */ deniedRate: number
  /** Calls without a case id (no finding). */ missingCaseRate: number
  /** Quality reports per working day; share from streets/communities. */ qualityPerWorkingDay: number
  qualityFromGrassroots: number
  qualityIssue: { outdated: number; wrong: number; missing: number; duplicate: number; inconsistent: number }
  /** Resolution latency, working days; rejected share; never resolved share. */ qualityResolution: { median: number; p90: number }
  qualityRejected: number
  qualityOpen: number
  /** Minor incidents per month, significant per year. */ minorIncidentsPerMonth: number
  significantIncidentsPerYear: number
  /** role.revoked per month (staff leaving; simulator choice). */ roleRevocationsPerMonth: number
}

/** Planted anomaly rates (ground truth); defaults from section (d) where it gives one. */
export interface Anomalies {
  /** Calls with no (or an unknown) grant. */ accessNoGrant: number
  /** Calls after expiry or revocation. */ accessExpiredOrRevoked: number
  /** Calls with fields beyond the grant. */ accessExtraItems: number
  /** Calls outside the grant's record scope; planted as another dept using the grant. */ accessOtherDept: number
  /** Calls that cache data under a `none` grant (simulator choice). */ accessStored: number
  /** Copy grants whose copies are never destroyed. */ copyNeverDestroyed: number
  /** Grants with a stale, absent, duplicated or invalid basis, or outliving it. */ grantBasis: number
  /** Not-shared resources granted, per year. */ notSharedGrantsPerYear: number
  /** Conditional replies pushed past the deadline are the reluctant providers' own; unconditional late. */ unconditionalLate: number
  /** Requests never answered. */ unanswered: number
  /** Stale-data episodes per month (a daily resource not updated for 6 days). */ staleEpisodesPerMonth: number
}

/** Options of {@link simulate}. */
export interface SimOptions {
  /** PRNG seed; same seed and options give byte-identical output. Default 1. */
  seed?: string | number
  /** Simulated days. Default 30. */
  days?: number
  /** First day, a Beijing date in 2026. Default '2026-02-09' (crosses the Spring Festival). */
  start?: string
  /** 'city' multiplies every volume by 10. Default 'district'. */
  profile?: 'district' | 'city'
  /**
   * Fraction of the access volume actually emitted (and of the steady-state grant pool, so each
   * grant keeps its call rate). Default 1 (100k calls per working day); 0.01 gives ~30k events a month.
   */
  accessScale?: number
  /** Workload overrides (shallow per field). */
  workload?: Partial<Workload>
  /** Anomaly-rate overrides. */
  anomalies?: Partial<Anomalies>
}

/** Defaults of section (d). */
export const DEFAULT_WORKLOAD: Workload = {
  districtDepts: 40,
  streets: 12,
  communitiesPerStreet: 15,
  municipalDepts: 20,
  provincialProviders: 5,
  accounts: { districtDept: 25, street: 40, community: 8, bureau: 30 },
  endorsers: 5,
  catalogueSize: 2000,
  superiorResources: 600,
  items: { median: 20, min: 3, max: 200 },
  sharing: { unconditional: 0.6, conditional: 0.36, none: 0.04 },
  grade: { general: 0.94, important: 0.06 },
  coreResources: 1,
  pi: 0.45,
  sensitivePi: 0.12,
  updateCycle: { realtime: 0.2, daily: 0.4, weekly: 0.15, monthly: 0.15, none: 0.1 },
  catalogueChangesPerWeek: 40,
  regradesPerWeek: 3,
  withdrawalsPerMonth: 2,
  tasks: 8,
  requestsPerWorkingDay: 15,
  requestConditional: 0.55,
  requestNone: 0.03,
  mechanism: { platform: 0.8, exchange: 0.08, escalation: 0.07, bundling: 0.05 },
  direction: { horizontal: 0.65, up: 0.15, down: 0.2 },
  replyOutcome: { approved: 0.6, approvedWithConditions: 0.2, refused: 0.2 },
  disputeRate: 0.3,
  disputeEndorsedRate: 0.5,
  replyLatency: { median: 4, p90: 12 },
  fulfilmentLatency: { median: 6, p90: 25 },
  reluctantProviders: 4,
  endorsedRate: 0.8,
  endorsementForm: { instruction: 0.5, minutes: 0.3, verbal: 0.2 },
  agreementsPerMonth: 3,
  agreementYears: { one: 0.8, two: 0.1, three: 0.1 },
  agreementTerminatedRate: 0.05,
  activeGrants: 6000,
  shortLivedGrants: 0.25,
  revocationsPerMonth: 0.01,
  dormantGrants: 0.03,
  grantStorage: { none: 0.85, cache: 0.1, copy: 0.05 },
  accessPerWorkingDay: 100_000,
  accessPerRestDay: 20_000,
  offHoursShare: 0.02,
  topGrantShare: 0.7,
  operation: { verify: 0.55, query: 0.35, list: 0.08, batch: 0.02 },
  deniedRate: 0.003,
  missingCaseRate: 0.01,
  qualityPerWorkingDay: 40,
  qualityFromGrassroots: 0.8,
  qualityIssue: { outdated: 0.35, wrong: 0.3, missing: 0.2, duplicate: 0.1, inconsistent: 0.05 },
  qualityResolution: { median: 5, p90: 20 },
  qualityRejected: 0.15,
  qualityOpen: 0.08,
  minorIncidentsPerMonth: 3,
  significantIncidentsPerYear: 1,
  roleRevocationsPerMonth: 2,
}

/** Default anomaly rates. */
export const DEFAULT_ANOMALIES: Anomalies = {
  accessNoGrant: 0.0005,
  accessExpiredOrRevoked: 0.001,
  accessExtraItems: 0.0005,
  accessOtherDept: 0.0005,
  accessStored: 0.0005,
  copyNeverDestroyed: 0.1,
  grantBasis: 0.005,
  notSharedGrantsPerYear: 2.5,
  unconditionalLate: 0.01,
  unanswered: 0.01,
  staleEpisodesPerMonth: 2,
}

/** Options with every default applied and the profile multiplier folded in. */
export interface Resolved {
  seed: string | number
  days: number
  start: string
  profile: 'district' | 'city'
  accessScale: number
  w: Workload
  a: Anomalies
}

/** Applies defaults; `city` multiplies the flow volumes by 10. */
export function resolveOptions(o: SimOptions): Resolved {
  const w: Workload = { ...DEFAULT_WORKLOAD, ...o.workload }
  const a: Anomalies = { ...DEFAULT_ANOMALIES, ...o.anomalies }
  const profile = o.profile ?? 'district'
  if (profile !== 'district' && profile !== 'city') throw new RangeError(`profile must be district or city, got ${String(profile)}`)
  const accessScale = o.accessScale ?? 1
  if (!(accessScale > 0 && accessScale <= 10)) throw new RangeError(`accessScale must be in (0, 10], got ${accessScale}`)
  if (profile === 'city') {
    const m = 10
    w.requestsPerWorkingDay *= m
    w.accessPerWorkingDay *= m
    w.accessPerRestDay *= m
    w.activeGrants *= m
    w.qualityPerWorkingDay *= m
    w.agreementsPerMonth *= m
    w.minorIncidentsPerMonth *= m
    w.significantIncidentsPerYear *= m
    w.catalogueChangesPerWeek *= m
    a.staleEpisodesPerMonth *= m
    a.notSharedGrantsPerYear *= m
  }
  return { seed: o.seed ?? 1, days: o.days ?? 30, start: o.start ?? '2026-02-09', profile, accessScale, w, a }
}
