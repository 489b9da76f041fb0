#!/usr/bin/env node
// Writes district-sample.jsonl: a small, consistent district workload (DOMAIN.md event contract)
// for trying the CLI. Deterministic: record digests are HMAC-SHA-256 under fixed demo keys, one
// per resource, as the platform would hold them outside the ledger. Run: node examples/district-sample.mjs
import { createHash, createHmac } from 'node:crypto'
import { writeFileSync } from 'node:fs'

// Demo resource keys. Real keys are secrets held by the platform, never in the ledger.
const KEYS = {
  'res.police.household': 'demo-key-household',
  'res.hrss.employment': 'demo-key-employment',
  'res.market.license': 'demo-key-license',
}
const digest = (resource, recordId) => createHmac('sha256', KEYS[resource]).update(recordId, 'utf8').digest('hex')
const sha = (text) => createHash('sha256').update(text, 'utf8').digest('hex')

const events = []
let clock = Date.parse('2026-01-05T09:00:00+08:00')
/** Business time: advances by `minutes`, printed in China Standard Time. */
function at(minutes) {
  clock += minutes * 60_000
  // Offices work 09:00-18:00 China Standard Time (UTC+8): later events move to the next morning.
  const hour = new Date(clock + 8 * 3600_000).getUTCHours()
  if (hour >= 18 || hour < 9) {
    const day = Math.floor((clock + 8 * 3600_000) / 86_400_000) + (hour >= 18 ? 1 : 0)
    clock = day * 86_400_000 + (9 - 8) * 3600_000 + (events.length % 7) * 60_000
  }
  return new Date(clock + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, '+08:00')
}
function add(id, type, minutes, actor, data, refs) {
  events.push({ id, type, at: at(minutes), actor, ...(refs ? { refs } : {}), data })
  return id
}

// Organisations and people.
const bureau = { dept: 'district.data-bureau', person: 'p-0001' }
const orgs = [
  ['district.gov-office', '区政府办公室', 'district', undefined],
  ['district.data-bureau', '区政务服务数据管理局', 'district', 'district.gov-office'],
  ['district.civil-affairs', '区民政局', 'district', 'district.gov-office'],
  ['district.public-security', '区公安分局', 'district', 'district.gov-office'],
  ['district.hrss', '区人力资源和社会保障局', 'district', 'district.gov-office'],
  ['district.market', '区市场监督管理局', 'district', 'district.gov-office'],
  ['street.xiangmihu', '香蜜湖街道办事处', 'street', 'district.gov-office'],
  ['street.lianhua', '莲花街道办事处', 'street', 'district.gov-office'],
]
orgs.forEach(([org, name, level, parent], i) => add(`org-${String(i + 1).padStart(4, '0')}`, 'org.registered', 5, bureau, { org, name, level, ...(parent ? { parent } : {}) }))
const roles = [
  ['p-0007', 'district.gov-office', 'leader', '副区长'],
  ['p-0002', 'district.data-bureau', 'auditor'],
  ['p-1043', 'district.civil-affairs', 'caseworker'],
  ['p-1044', 'district.civil-affairs', 'caseworker'],
  ['p-3002', 'district.public-security', 'reviewer'],
  ['p-4002', 'district.hrss', 'reviewer'],
  ['p-5001', 'street.xiangmihu', 'leader'],
  ['p-5011', 'street.xiangmihu', 'caseworker'],
  ['p-6011', 'street.lianhua', 'caseworker'],
]
roles.forEach(([person, dept, role, rank], i) => add(`role-${String(i + 1).padStart(4, '0')}`, 'role.assigned', 30, { dept }, { person, dept, role, ...(rank ? { rank } : {}) }))
add(
  'task-0001',
  'task.registered',
  60,
  { dept: 'district.gov-office', person: 'p-0007' },
  { task: 'T-2026-DIBAO', title: '最低生活保障对象动态核查', docNo: '区府办〔2026〕12号', owner: 'district.civil-affairs', until: '2026-12-31T23:59:59+08:00' },
)

// Catalogue.
const household = [{ name: 'name', pi: true }, { name: 'address', pi: true }, { name: 'idNumber', pi: true, sensitive: true }, { name: 'householdSize' }]
add(
  'cat-0001',
  'catalogue.registered',
  24 * 60,
  { dept: 'district.public-security', person: 'p-3002' },
  {
    resource: 'res.police.household',
    name: '户籍人口信息',
    owner: 'district.public-security',
    items: household,
    sharing: 'conditional',
    conditions: '仅限社会救助核查，须经申请审批',
    grade: 'important',
    updateCycle: 'daily',
  },
)
add(
  'cat-0002',
  'catalogue.registered',
  20,
  { dept: 'district.hrss', person: 'p-4002' },
  {
    resource: 'res.hrss.employment',
    name: '就业登记信息',
    owner: 'district.hrss',
    items: [{ name: 'name', pi: true }, { name: 'employer' }, { name: 'status' }],
    sharing: 'conditional',
    conditions: '用于社会救助家庭经济状况核对',
    grade: 'general',
    updateCycle: 'monthly',
  },
)
add(
  'cat-0003',
  'catalogue.registered',
  20,
  { dept: 'district.market' },
  {
    resource: 'res.market.license',
    name: '营业执照信息',
    owner: 'district.market',
    items: [{ name: 'entityName' }, { name: 'creditCode' }, { name: 'legalRep', pi: true }],
    sharing: 'unconditional',
    grade: 'general',
    updateCycle: 'daily',
  },
)
add(
  'cat-0004',
  'catalogue.registered',
  20,
  { dept: 'district.public-security' },
  {
    resource: 'res.police.criminal-record',
    name: '违法犯罪记录',
    owner: 'district.public-security',
    items: [{ name: 'caseType', pi: true, sensitive: true }],
    sharing: 'none',
    denialBasis: '《治安管理处罚法》第一百三十六条',
    grade: 'core',
  },
)
const snapshot = (resource, version, records, refs) =>
  add(
    `ver-${resource.split('.').pop()}-${version}`,
    'resource.updated',
    60,
    { dept: resource === 'res.police.household' ? 'district.public-security' : resource === 'res.hrss.employment' ? 'district.hrss' : 'district.market', system: 'sync' },
    { resource, version, records, snapshotDigest: sha(`${resource}@${version}`) },
    refs,
  )
const hhV1 = snapshot('res.police.household', '2026-01-12', 412977, { catalogue: 'cat-0001' })
snapshot('res.hrss.employment', '2026-01', 188320, { catalogue: 'cat-0002' })
const licV1 = snapshot('res.market.license', '2026-01-12', 96410, { catalogue: 'cat-0003' })

// Flow 1 (platform, conditional): civil affairs checks households for dibao, approved by reply.
add(
  'req-0001',
  'request.submitted',
  24 * 60,
  { dept: 'district.civil-affairs', person: 'p-1043', role: 'caseworker' },
  {
    resource: 'res.police.household',
    items: ['name', 'address', 'householdSize'],
    purpose: 'dibao-check',
    legalBasis: '《社会救助暂行办法》第十一条',
    mechanism: 'platform',
    scenario: '低保动态核查',
  },
  { catalogue: 'cat-0001' },
)
add('rep-0001', 'request.replied', 26 * 60, { dept: 'district.public-security', person: 'p-3002', role: 'reviewer' }, { decision: 'approved', conditions: '用而不存' }, { request: 'req-0001' })
add(
  'grant-0001',
  'grant.issued',
  30,
  { dept: 'district.public-security', person: 'p-3002' },
  {
    grantee: 'district.civil-affairs',
    resource: 'res.police.household',
    items: ['name', 'address', 'householdSize'],
    purpose: 'dibao-check',
    validFrom: '2026-01-15T00:00:00+08:00',
    validUntil: '2026-06-30T23:59:59+08:00',
    storage: 'none',
  },
  { request: 'req-0001', reply: 'rep-0001' },
)

// Flow 2 (exchange under an agreement): civil affairs and HRSS sign a two-way data agreement.
add(
  'req-0002',
  'request.submitted',
  60,
  { dept: 'district.civil-affairs', person: 'p-1044' },
  { resource: 'res.hrss.employment', items: ['name', 'status'], purpose: 'dibao-income-check', legalBasis: '《社会救助暂行办法》第十一条', mechanism: 'exchange' },
  { catalogue: 'cat-0002' },
)
add(
  'agr-0001',
  'agreement.signed',
  3 * 24 * 60,
  { dept: 'district.civil-affairs', person: 'p-1044' },
  {
    signers: [
      { dept: 'district.civil-affairs', person: 'p-1044' },
      { dept: 'district.hrss', person: 'p-4002' },
    ],
    parties: ['district.civil-affairs', 'district.hrss'],
    flows: [{ resource: 'res.hrss.employment', items: ['name', 'status'], from: 'district.hrss', to: 'district.civil-affairs' }],
    method: 'api',
    validFrom: '2026-01-20T00:00:00+08:00',
    validUntil: '2026-12-31T23:59:59+08:00',
    docDigest: sha('agreement civil-affairs hrss 2026'),
  },
  { requests: ['req-0002'] },
)
add(
  'grant-0002',
  'grant.issued',
  30,
  { dept: 'district.hrss', person: 'p-4002' },
  {
    grantee: 'district.civil-affairs',
    resource: 'res.hrss.employment',
    items: ['name', 'status'],
    purpose: 'dibao-income-check',
    validFrom: '2026-01-20T00:00:00+08:00',
    validUntil: '2026-12-31T23:59:59+08:00',
    storage: 'none',
  },
  { request: 'req-0002', agreement: 'agr-0001' },
)

// Flow 3 (unconditional data): a street reads business licences through a platform auto-grant.
add(
  'req-0003',
  'request.submitted',
  60,
  { dept: 'street.lianhua', person: 'p-6011' },
  { resource: 'res.market.license', items: ['entityName', 'creditCode'], purpose: 'grid-business-census', legalBasis: '区府办〔2026〕12号', mechanism: 'platform' },
  { catalogue: 'cat-0003' },
)
add(
  'grant-0003',
  'grant.issued',
  5,
  bureau,
  {
    grantee: 'street.lianhua',
    resource: 'res.market.license',
    items: ['entityName', 'creditCode'],
    purpose: 'grid-business-census',
    validFrom: '2026-01-20T00:00:00+08:00',
    validUntil: '2026-03-31T23:59:59+08:00',
    storage: 'cache',
  },
  { request: 'req-0003', catalogue: 'cat-0003' },
)

// Flow 4 (escalation): a street is refused ID numbers; the deputy head endorses by instruction.
add(
  'req-0004',
  'request.submitted',
  60,
  { dept: 'street.xiangmihu', person: 'p-5011' },
  { resource: 'res.police.household', items: ['name', 'idNumber'], purpose: 'grid-census', legalBasis: '区府办〔2026〕12号', mechanism: 'escalation' },
  { catalogue: 'cat-0001' },
)
add(
  'rep-0004',
  'request.replied',
  2 * 24 * 60,
  { dept: 'district.public-security', person: 'p-3002' },
  { decision: 'refused', reason: '身份证号属敏感个人信息，超出街道职责' },
  { request: 'req-0004' },
)
add(
  'esc-0001',
  'escalation.requested',
  60,
  { dept: 'street.xiangmihu', person: 'p-5001', role: 'leader' },
  { leader: 'p-0007', summary: '网格普查需核对身份证号，公安分局以超出职责为由拒绝' },
  { request: 'req-0004' },
)
add(
  'esc-0002',
  'escalation.decided',
  24 * 60,
  { dept: 'district.gov-office', person: 'p-0007', role: 'leader' },
  { decision: 'endorsed', form: 'instruction', memoDigest: sha('批示：同意提供，用后销毁') },
  { escalation: 'esc-0001' },
)
add(
  'grant-0004',
  'grant.issued',
  60,
  { dept: 'district.public-security', person: 'p-3002' },
  {
    grantee: 'street.xiangmihu',
    resource: 'res.police.household',
    items: ['name', 'idNumber'],
    purpose: 'grid-census',
    validFrom: '2026-01-26T00:00:00+08:00',
    validUntil: '2026-02-28T23:59:59+08:00',
    storage: 'copy',
  },
  { request: 'req-0004', endorsement: 'esc-0002' },
)

// Flow 5 (binding to a task): a street's dibao check is bound to the district task.
add(
  'req-0005',
  'request.submitted',
  60,
  { dept: 'street.xiangmihu', person: 'p-5011' },
  { resource: 'res.hrss.employment', items: ['name', 'status'], purpose: 'dibao-check', legalBasis: '区府办〔2026〕12号', mechanism: 'bundling' },
  { catalogue: 'cat-0002' },
)
add('bnd-0001', 'binding.declared', 30, { dept: 'street.xiangmihu', person: 'p-5001' }, { rationale: '低保动态核查任务需核对就业状态' }, { request: 'req-0005', task: 'task-0001' })
add('bnd-0002', 'binding.confirmed', 24 * 60, { dept: 'district.civil-affairs', person: 'p-1043' }, { decision: 'confirmed' }, { binding: 'bnd-0001' })
add(
  'grant-0005',
  'grant.issued',
  60,
  { dept: 'district.hrss', person: 'p-4002' },
  {
    grantee: 'street.xiangmihu',
    resource: 'res.hrss.employment',
    items: ['name', 'status'],
    purpose: 'dibao-check',
    validFrom: '2026-01-28T00:00:00+08:00',
    validUntil: '2026-12-31T23:59:59+08:00',
    storage: 'none',
  },
  { request: 'req-0005', binding: 'bnd-0002' },
)

// A request nobody answers (REQUEST_UNANSWERED).
add(
  'req-0006',
  'request.submitted',
  60,
  { dept: 'street.lianhua', person: 'p-6011' },
  { resource: 'res.police.household', items: ['address'], purpose: 'rental-registration', legalBasis: '《居住证暂行条例》', mechanism: 'platform' },
  { catalogue: 'cat-0001' },
)

// Uses of data.
let accessNo = 0
function access(user, grant, resource, items, purpose, records, extra = {}, version) {
  accessNo++
  const id = `acc-2026-${String(accessNo).padStart(6, '0')}`
  const recordDigests = records.map((r) => digest(resource, r))
  const refs = grant ? { grant, ...(version ? { version } : {}) } : undefined
  add(
    id,
    'access.performed',
    47 + (accessNo % 5) * 31,
    user,
    { resource, items, rows: records.length, purpose, storage: 'none', outcome: 'success', recordDigests, resultDigest: sha(`${id}:${records.join(',')}`), ...extra },
    refs,
  )
  return id
}
const caseworker = (person) => ({ dept: 'district.civil-affairs', person, role: 'caseworker' })
const firstAccess = access(caseworker('p-1043'), 'grant-0001', 'res.police.household', ['name', 'address'], 'dibao-check', ['440304199001011234'], { case: 'DB-2026-0001' }, hhV1)
for (let i = 2; i <= 24; i++) {
  const person = i % 2 === 0 ? 'p-1043' : 'p-1044'
  access(
    caseworker(person),
    'grant-0001',
    'res.police.household',
    i % 3 === 0 ? ['name', 'address', 'householdSize'] : ['name', 'address'],
    'dibao-check',
    [`4403041985${String(i).padStart(4, '0')}2211`, `4403041990${String(i).padStart(4, '0')}3322`].slice(0, 1 + (i % 2)),
    { case: `DB-2026-${String(i).padStart(4, '0')}` },
    hhV1,
  )
}
for (let i = 1; i <= 16; i++)
  access(caseworker('p-1044'), 'grant-0002', 'res.hrss.employment', ['name', 'status'], 'dibao-income-check', [`4403041978${String(i).padStart(4, '0')}5566`], {
    case: `DB-2026-${String(100 + i).padStart(4, '0')}`,
  })
for (let i = 1; i <= 12; i++)
  access(
    { dept: 'street.lianhua', person: 'p-6011' },
    'grant-0003',
    'res.market.license',
    ['entityName', 'creditCode'],
    'grid-business-census',
    [`91440300MA5F${String(i).padStart(6, '0')}`],
    { storage: 'cache' },
    licV1,
  )
const copyAccess = access(
  { dept: 'street.xiangmihu', person: 'p-5011' },
  'grant-0004',
  'res.police.household',
  ['name', 'idNumber'],
  'grid-census',
  ['440304196505054321', '440304197007076543', '440304198808088765'],
  { storage: 'copy' },
)
add('cpy-0001', 'copy.destroyed', 3 * 24 * 60, { dept: 'street.xiangmihu', person: 'p-5011' }, { method: 'secure-erase', attestedBy: 'p-5001' }, { access: copyAccess })
for (let i = 1; i <= 6; i++)
  access({ dept: 'street.xiangmihu', person: 'p-5011' }, 'grant-0005', 'res.hrss.employment', ['name', 'status'], 'dibao-check', [`4403041969${String(i).padStart(4, '0')}7788`])

// Findings to be found: an access with no grant, out of scope, and after revocation.
const noGrant = access({ dept: 'street.lianhua', person: 'p-6011' }, undefined, 'res.police.household', ['name', 'address'], 'rental-registration', ['440304200001019999'])
access({ dept: 'district.civil-affairs', person: 'p-1043' }, 'grant-0001', 'res.police.household', ['name', 'idNumber'], 'dibao-check', ['440304199001011234'], { case: 'DB-2026-0001' })
add('grev-0001', 'grant.revoked', 60, { dept: 'district.market' }, { reason: '普查提前结束' }, { grant: 'grant-0003' })
access({ dept: 'street.lianhua', person: 'p-6011' }, 'grant-0003', 'res.market.license', ['entityName'], 'grid-business-census', ['91440300MA5F000099'], { storage: 'cache' })

// Data quality: one report fixed in time, one left open.
add(
  'qr-0001',
  'quality.raised',
  30,
  { dept: 'district.civil-affairs', person: 'p-1043' },
  { resource: 'res.police.household', recordDigest: digest('res.police.household', '440304199001011234'), item: 'address', issue: 'outdated' },
  { access: firstAccess },
)
add('qs-0001', 'quality.resolved', 4 * 24 * 60, { dept: 'district.public-security', person: 'p-3002' }, { resolution: 'fixed', note: '已按最新登记地址更正' }, { report: 'qr-0001' })
add(
  'qr-0002',
  'quality.raised',
  60,
  { dept: 'street.xiangmihu', person: 'p-5011' },
  { resource: 'res.hrss.employment', recordDigest: digest('res.hrss.employment', '440304196900017788'), item: 'status', issue: 'wrong' },
  { access: 'acc-2026-000054' },
)

// An incident over the unauthorised access, and who answers for it.
add(
  'inc-0001',
  'incident.reported',
  5 * 24 * 60,
  { dept: 'district.data-bureau', person: 'p-0002' },
  { kind: 'misuse', severity: '一般', resources: ['res.police.household'], discoveredAt: at(0) },
  { accesses: [noGrant] },
)
add(
  'acct-0001',
  'accountability.determined',
  10 * 24 * 60,
  { dept: 'district.discipline' },
  {
    parties: [
      { dept: 'street.lianhua', person: 'p-6011', rule: 'R2' },
      { dept: 'district.data-bureau', rule: 'R6' },
    ],
  },
  { incident: 'inc-0001' },
)
add('role-0010', 'role.revoked', 60, { dept: 'street.lianhua' }, { reason: '岗位调整' }, { assignment: 'role-0009' })

writeFileSync(new URL('./district-sample.jsonl', import.meta.url), events.map((e) => JSON.stringify(e)).join('\n') + '\n')
console.log(`wrote ${events.length} events`)
