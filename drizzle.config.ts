import { defineConfig } from 'drizzle-kit'

// `bun run db:generate` writes the next migration from the schema; the app applies them at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
})
