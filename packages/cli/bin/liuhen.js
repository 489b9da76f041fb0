#!/usr/bin/env node
// The `liuhen` command of an installed @liuhen/cli: it only launches dist/main.js (built before packing).
import('../dist/main.js').then(
  async ({ main }) => {
    process.exitCode = await main(process.argv)
  },
  (err) => {
    process.stderr.write(`liuhen: cannot load the command (is @liuhen/cli built and fully installed?): ${err.message}\n`)
    process.exitCode = 3
  },
)
