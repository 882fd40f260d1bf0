/** Runs a CLI command in this process, returning its exit code and what it printed with console.log. */
export async function capture(fn: () => Promise<number> | number): Promise<{ code: number; out: string }> {
  const lines: string[] = []
  const orig = console.log
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(' '))
  try {
    return { code: await fn(), out: lines.join('\n') }
  } finally {
    console.log = orig
  }
}
