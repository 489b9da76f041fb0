/**
 * `liuhen migrate`: converts a format-1 ledger directory (LevelDB) to format 2 (a tlog-tiles log
 * in `log/`) with @liuhen/ledger's `migrateLedger`, which proves the result before it swaps it in.
 * Prints the size and root of both (they are equal) and where format 1 was kept.
 */
import { Command } from 'commander'
import { migrateLedger, type MigrateResult } from '@liuhen/ledger'
import { count, jsonLine, out, progressBar, wantProgress } from './io.js'
import { openLedger } from './open.js'

/** Human output of a migration. */
export function formatMigration(dir: string, r: MigrateResult): string {
  return [
    `Converted ${dir} to format 2: ${count(r.log.size)} entries, the same size and root as format 1.`,
    `  format 1 (LevelDB)     size ${r.format1.size}  root ${r.format1.root}`,
    `  format 2 (log/)        size ${r.log.size}  root ${r.log.root}`,
    `Its indexes were rebuilt from the log. Format 1 was kept in ${r.kept}. Check the ledger (liuhen verify ${dir}), then remove that folder.`,
    '',
  ].join('\n')
}

/** The `migrate` command. */
export function migrateCommand(): Command {
  return new Command('migrate')
    .description('convert a format-1 ledger to format 2 (its log as tlog-tiles files), proving the same size and root')
    .argument('<dir>', 'ledger directory (not in use: stop its writers first)')
    .option('--json', 'print {dir, size, root, format1, log, checkpoint, kept}')
    .option('--progress', 'show a progress bar on stderr (default when stderr is a terminal)')
    .option('--no-progress', 'never show a progress bar')
    .action(async (dir: string, opts: { json?: boolean; progress?: boolean }) => {
      // Each entry is converted, then read back and checked: the bar counts both passes.
      const bar = progressBar(wantProgress(opts.progress), 0, 'entries')
      let result: MigrateResult
      try {
        result = await migrateLedger(dir, {
          onProgress: (phase, done, total) => bar.update(phase === 'convert' ? done : total + done, 2 * total),
        })
      } finally {
        bar.stop()
      }
      // The indexes (index/) are built from the new log, as a writer's open builds what it lacks.
      await (await openLedger(dir, 'append')).close()
      if (opts.json) await jsonLine({ dir, size: result.log.size, root: result.log.root, ...result })
      else await out(formatMigration(dir, result))
    })
}
