/**
 * The catalogue: district-owned resources (Zipf-skewed over owners) and the superior resources
 * visible for downflow, with sharing type, grade, PI and update cycle drawn from section (d).
 */
import type { JsonValue } from '@liuhen/core'
import type { Rng } from './rng.js'
import type { Workload } from './options.js'
import type { Org, Orgs } from './org.js'

/** Sharing type of a catalogue entry. */
export type Sharing = 'unconditional' | 'conditional' | 'none'
/** Declared update cycle (undefined: not declared). */
export type Cycle = 'realtime' | 'daily' | 'weekly' | 'monthly'

/** A catalogue resource. */
export interface Resource {
  id: string
  name: string
  owner: Org
  /** The items of the first version (later versions only add items). */
  items: { name: string; pi?: boolean; sensitive?: boolean }[]
  sharing: Sharing
  grade: 'general' | 'important' | 'core'
  updateCycle?: Cycle
  /** Request popularity. */
  weight: number
  /** Owner class for flow direction: district dept, street, or superior (city/province). */
  cls: 'district' | 'street' | 'superior'
  /** Extra items added by later catalogue versions. */
  added: number
}

const PERSONAL = ['name', 'gender', 'birthDate', 'ethnicity', 'address', 'phone', 'householdNo', 'maritalStatus', 'employer', 'education', 'photoDigest', 'idValid']
const SENSITIVE = ['income', 'disabilityLevel', 'dibaoStatus', 'diagnosis', 'insuranceStatus', 'bankAccount', 'preciseLocation', 'minorGuardian', 'criminalRecord']
const GENERAL = [
  'recordNo',
  'status',
  'issueDate',
  'expiryDate',
  'category',
  'region',
  'amount',
  'licenceNo',
  'companyName',
  'legalRep',
  'creditCode',
  'registeredCapital',
  'businessScope',
  'approvalNo',
  'inspectionResult',
  'updatedBy',
  'sourceSystem',
  'remarks',
]
const TOPICS = [
  'household',
  'residents',
  'licences',
  'subsidies',
  'inspections',
  'registrations',
  'benefits',
  'cases',
  'facilities',
  'permits',
  'enrolment',
  'claims',
  'certificates',
  'records',
  'services',
  'assets',
]
const CONDITIONS = ['限于本部门法定职责范围内使用，须说明用途并经提供方审核', '仅提供核验结果，须提交个人信息保护影响评估', '按需逐条查询，不得批量留存']
const DENIALS = ['《中华人民共和国个人信息保护法》第二十八条', '《中华人民共和国数据安全法》第二十一条', '《政务数据共享条例》第十五条']

/** The catalogue of one run. */
export interface Catalogue {
  resources: Resource[]
  byId: Map<string, Resource>
}

/** Draws the catalogue for workload `w`. */
export function buildCatalogue(w: Workload, orgs: Orgs, rng: Rng): Catalogue {
  const resources: Resource[] = []
  const owners = [...orgs.districtDepts, ...orgs.streets]
  const zipf = owners.map((_, i) => 1 / (i + 1))
  const superZipf = orgs.superiors.map((_, i) => 1 / (i + 1))
  const make = (owner: Org, cls: Resource['cls']): void => {
    const key = owner.id.startsWith('district.') ? owner.id.slice('district.'.length) : owner.id.replace(/\./g, '-')
    const n = resources.length + 1
    const topic = rng.pick(TOPICS)
    const sharing = rng.weighted(w.sharing)
    const pi = rng.chance(w.pi)
    const sensitive = pi && rng.chance(w.sensitivePi / Math.max(w.pi, 1e-9))
    const count = Math.round(Math.min(w.items.max, Math.max(w.items.min, rng.lognormal(w.items.median, w.items.median * 2.5))))
    const names = [...(pi ? rng.sample(PERSONAL, 6) : []), ...(sensitive ? rng.sample(SENSITIVE, 3) : []), ...rng.sample(GENERAL, 12)]
    const items: Resource['items'] = []
    for (let i = 0; i < count; i++) {
      const name = names[i] ?? `field${String(i + 1).padStart(3, '0')}`
      const item: Resource['items'][number] = { name }
      if (PERSONAL.includes(name) || SENSITIVE.includes(name)) item.pi = true
      if (SENSITIVE.includes(name)) item.sensitive = true
      items.push(item)
    }
    const cycle = rng.weighted(w.updateCycle)
    const r: Resource = {
      id: `res.${key}.${topic}-${String(n).padStart(4, '0')}`,
      name: `${owner.name}${topic}数据${n}`,
      owner,
      items,
      sharing,
      cls,
      grade: rng.weighted(w.grade),
      weight: Math.pow(1 - rng.float(), -1 / 1.3),
      added: 0,
    }
    if (cycle !== 'none') r.updateCycle = cycle
    resources.push(r)
  }
  for (let i = 0; i < w.catalogueSize; i++) {
    const owner = owners[weightedIndex(zipf, rng)] as Org
    make(owner, owner.kind === 'street' ? 'street' : 'district')
  }
  for (let i = 0; i < w.superiorResources; i++) make(orgs.superiors[weightedIndex(superZipf, rng)] as Org, 'superior')
  for (let i = 0; i < Math.min(w.coreResources, resources.length); i++) {
    const r = resources[i * 7 + 3] ?? resources[i]
    if (r) {
      r.grade = 'core'
      r.sharing = 'none'
    }
  }
  return { resources, byId: new Map(resources.map((r) => [r.id, r])) }
}

/** An index drawn in proportion to `weights`. */
export function weightedIndex(weights: readonly number[], rng: Rng): number {
  let total = 0
  for (const x of weights) total += x
  let u = rng.float() * total
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number
    if (u < 0) return i
  }
  return weights.length - 1
}

/** The `data` of a catalogue.registered/updated event for the current version of `r`. */
export function catalogueData(r: Resource): Record<string, JsonValue> {
  const items: JsonValue[] = r.items.map((i) => ({ ...i }))
  for (let k = 1; k <= r.added; k++) items.push({ name: `extra${String(k).padStart(2, '0')}` })
  const data: Record<string, JsonValue> = { resource: r.id, name: r.name, owner: r.owner.id, items, sharing: r.sharing, grade: r.grade }
  if (r.sharing === 'conditional') data['conditions'] = CONDITIONS[r.id.length % CONDITIONS.length] as string
  if (r.sharing === 'none') data['denialBasis'] = DENIALS[r.id.length % DENIALS.length] as string
  if (r.updateCycle) data['updateCycle'] = r.updateCycle
  return data
}
