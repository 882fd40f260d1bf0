import journal from '../../../src/db/migrations/meta/_journal.json' with { type: 'json' }

/** How many migrations a fresh database records: one per entry of drizzle-kit's journal. */
export const MIGRATIONS = journal.entries.length
