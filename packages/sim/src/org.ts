/**
 * Organisations and accounts: the district's departments, streets, communities, the data
 * bureau, the district government's leaders, municipal departments and provincial providers.
 */
import type { Workload } from './options.js'

/** An organisation level, as in `org.registered`. */
export type Level = 'province' | 'city' | 'district' | 'street' | 'community'

/** A registered organisation. */
export interface Org {
  id: string
  name: string
  level: Level
  parent?: string
  /** What kind of unit it is (the bureau and the government are special actors). */
  kind: 'bureau' | 'government' | 'dept' | 'street' | 'community' | 'city' | 'province'
  people: Person[]
}

/** An account with its role. */
export interface Person {
  id: string
  dept: string
  role: 'leader' | 'reviewer' | 'caseworker' | 'auditor'
  rank?: string
  /** Never acts (kept for role revocations, so no later action depends on the role). */
  reserved?: boolean
}

/** The data bureau's id. */
export const BUREAU = 'district.data-bureau'
/** The district government (the district head and deputies who endorse escalations). */
export const GOVERNMENT = 'district.government'

const DEPTS: [string, string][] = [
  ['police', '公安分局'],
  ['civil-affairs', '民政局'],
  ['human-resources', '人力资源和社会保障局'],
  ['health', '卫生健康委员会'],
  ['market-regulation', '市场监督管理局'],
  ['housing', '住房和城乡建设委员会'],
  ['planning-resources', '规划和自然资源分局'],
  ['education', '教育委员会'],
  ['medical-insurance', '医疗保障局'],
  ['veterans', '退役军人事务局'],
  ['disabled-persons', '残疾人联合会'],
  ['emergency', '应急管理局'],
  ['urban-management', '城市管理委员会'],
  ['statistics', '统计局'],
  ['petitions', '信访办'],
  ['finance', '财政局'],
  ['tax', '税务局'],
  ['development-reform', '发展和改革委员会'],
  ['commerce', '商务局'],
  ['ecology', '生态环境分局'],
  ['transport', '交通委员会'],
  ['water', '水务局'],
  ['agriculture', '农业农村局'],
  ['culture-tourism', '文化和旅游局'],
  ['science-technology', '科学技术和信息化局'],
  ['justice', '司法局'],
  ['audit', '审计局'],
  ['sports', '体育局'],
  ['womens-federation', '妇女联合会'],
  ['youth-league', '团区委'],
  ['archives', '档案馆'],
  ['housing-fund', '住房公积金管理中心'],
  ['forestry', '园林绿化局'],
  ['fire-rescue', '消防救援支队'],
  ['ethnic-religious', '民族宗教事务办'],
  ['state-assets', '国有资产监督管理委员会'],
  ['hospital-1', '区人民医院'],
  ['hospital-2', '区中医医院'],
  ['cdc', '疾病预防控制中心'],
  ['employment-service', '就业服务中心'],
]
const CITY: [string, string][] = [
  ['health', '市卫生健康委员会'],
  ['public-security', '市公安局'],
  ['civil-affairs', '市民政局'],
  ['human-resources', '市人力资源和社会保障局'],
  ['market-regulation', '市市场监督管理局'],
  ['housing', '市住房和城乡建设委员会'],
  ['planning-resources', '市规划和自然资源委员会'],
  ['education', '市教育委员会'],
  ['medical-insurance', '市医疗保障局'],
  ['tax', '市税务局'],
  ['statistics', '市统计局'],
  ['transport', '市交通委员会'],
  ['emergency', '市应急管理局'],
  ['ecology', '市生态环境局'],
  ['veterans', '市退役军人事务局'],
  ['finance', '市财政局'],
  ['water', '市水务局'],
  ['agriculture', '市农业农村局'],
  ['justice', '市司法局'],
  ['housing-fund', '市住房公积金管理中心'],
]
const PROVINCE: [string, string][] = [
  ['public-security', '省公安厅'],
  ['human-resources', '省人力资源和社会保障厅'],
  ['civil-affairs', '省民政厅'],
  ['market-regulation', '省市场监督管理局'],
  ['education', '省教育厅'],
]

/** The organisations and accounts of one run. */
export interface Orgs {
  all: Org[]
  byId: Map<string, Org>
  districtDepts: Org[]
  streets: Org[]
  communities: Org[]
  superiors: Org[]
  /** Leaders who endorse clean escalations. */
  endorsers: Person[]
  /** A deputy head whose leader role is revoked mid-run (planted invalid endorsements only). */
  lapsingLeader: Person
}

/** Builds organisations and accounts for workload `w` (deterministic, no randomness). */
export function buildOrgs(w: Workload): Orgs {
  const all: Org[] = []
  let pn = 0
  const add = (o: Omit<Org, 'people'>, roles: Person['role'][]): Org => {
    const org: Org = { ...o, people: roles.map((role) => ({ id: `p-${String(++pn).padStart(5, '0')}`, dept: o.id, role })) }
    all.push(org)
    return org
  }
  const staff = (n: number, reviewers: number, auditors = 0): Person['role'][] => {
    const r: Person['role'][] = ['leader']
    for (let i = 0; i < reviewers; i++) r.push('reviewer')
    for (let i = 0; i < auditors; i++) r.push('auditor')
    while (r.length < Math.max(n, reviewers + auditors + 3)) r.push('caseworker')
    return r
  }
  add({ id: BUREAU, name: '区政务服务和数据管理局', level: 'district', kind: 'bureau' }, staff(w.accounts.bureau, 4, 2))
  const gov = add({ id: GOVERNMENT, name: '区人民政府', level: 'district', kind: 'government' }, [])
  const ranks = ['区长', ...Array.from({ length: Math.max(0, w.endorsers - 1) }, () => '副区长')]
  for (const rank of [...ranks, '副区长']) gov.people.push({ id: `p-${String(++pn).padStart(5, '0')}`, dept: GOVERNMENT, role: 'leader', rank })
  const districtDepts: Org[] = []
  for (let i = 0; i < w.districtDepts; i++) {
    const [key, name] = DEPTS[i] ?? [`dept-${i + 1}`, `区属单位${i + 1}`]
    const o = add({ id: `district.${key}`, name, level: 'district', kind: 'dept' }, staff(w.accounts.districtDept, 2))
    const leader = o.people[0]
    if (leader) leader.rank = '局长'
    const last = o.people[o.people.length - 1]
    if (last) last.reserved = true
    districtDepts.push(o)
  }
  const streets: Org[] = []
  const communities: Org[] = []
  for (let s = 1; s <= w.streets; s++) {
    const sid = String(s).padStart(2, '0')
    const st = add({ id: `street.${sid}`, name: `第${s}街道办事处`, level: 'street', kind: 'street' }, staff(w.accounts.street, 1))
    streets.push(st)
    for (let c = 1; c <= w.communitiesPerStreet; c++) {
      const cid = String(c).padStart(2, '0')
      communities.push(add({ id: `community.${sid}.${cid}`, name: `第${s}街道第${c}社区居委会`, level: 'community', kind: 'community', parent: st.id }, staff(w.accounts.community, 0)))
    }
  }
  const superiors: Org[] = []
  for (let i = 0; i < w.municipalDepts; i++) {
    const [key, name] = CITY[i] ?? [`dept-${i + 1}`, `市属单位${i + 1}`]
    superiors.push(add({ id: `city.${key}`, name, level: 'city', kind: 'city' }, staff(3, 1)))
  }
  add({ id: 'city.data-bureau', name: '市政务服务和数据管理局', level: 'city', kind: 'city' }, staff(3, 1))
  for (let i = 0; i < w.provincialProviders; i++) {
    const [key, name] = PROVINCE[i] ?? [`dept-${i + 1}`, `省属单位${i + 1}`]
    superiors.push(add({ id: `province.${key}`, name, level: 'province', kind: 'province' }, staff(3, 1)))
  }
  const leaders = gov.people.slice()
  const lapsingLeader = leaders.pop()
  if (!lapsingLeader) throw new Error('internal: no leaders')
  return { all, byId: new Map(all.map((o) => [o.id, o])), districtDepts, streets, communities, superiors, endorsers: leaders, lapsingLeader }
}

/** Accounts of `org` with `role` that may act (reserved ones excluded). */
export function staffOf(org: Org, role: Person['role']): Person[] {
  const list = org.people.filter((p) => p.role === role && !p.reserved)
  return list.length > 0 ? list : org.people.filter((p) => !p.reserved)
}
