/**
 * Renders the published schema files from the TypeScript schema objects (the source of truth):
 * `schemas/<name>.schema.json` = `JSON.stringify(schemas[name], null, 2)` plus a newline.
 *
 * Node 20 cannot run TypeScript directly, so the files are written through vitest:
 *
 *     UPDATE_SCHEMAS=1 npx vitest run packages/schema/test/published.test.ts
 *
 * Without `UPDATE_SCHEMAS` that test fails when a published file differs from its object.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { schemas } from '../src/index.js'

/** Directory of the published files. */
export const SCHEMA_DIR = fileURLToPath(new URL('../schemas/', import.meta.url))

/** File name → content of every published schema file. */
export function renderSchemaFiles(): Map<string, string> {
  return new Map(Object.entries(schemas).map(([name, schema]) => [`${name}.schema.json`, `${JSON.stringify(schema, null, 2)}\n`]))
}

/** Writes every published file into `dir` and removes stray `*.schema.json` files there. */
export function writeSchemaFiles(dir: string = SCHEMA_DIR): void {
  const files = renderSchemaFiles()
  mkdirSync(dir, { recursive: true })
  for (const name of readdirSync(dir)) if (name.endsWith('.schema.json') && !files.has(name)) rmSync(join(dir, name))
  for (const [name, text] of files) writeFileSync(join(dir, name), text)
}
