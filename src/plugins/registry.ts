import type { AnyPlugin, NotifierPlugin, PairListPlugin, PluginKind, ProtectionPlugin } from './define.ts'

type ByKind = { pairlist: PairListPlugin; protection: ProtectionPlugin; notifier: NotifierPlugin }

/** A plugin file that could not be used, kept so `list-plugins` and the startup log can show it. */
export interface PluginLoadProblem {
  file: string
  message: string
}

/** The known plugins, by kind and name. */
export class PluginRegistry {
  private readonly plugins = new Map<string, AnyPlugin & { file?: string }>()
  readonly problems: PluginLoadProblem[] = []

  private static key(kind: PluginKind, name: string): string {
    return `${kind}:${name}`
  }

  /** Adds a plugin; a later one of the same kind and name replaces the earlier (user plugins over built-ins). */
  add(plugin: AnyPlugin, file?: string): void {
    this.plugins.set(PluginRegistry.key(plugin.kind, plugin.name), { ...plugin, file } as AnyPlugin & { file?: string })
  }

  has(kind: PluginKind, name: string): boolean {
    return this.plugins.has(PluginRegistry.key(kind, name))
  }

  get<K extends PluginKind>(kind: K, name: string): ByKind[K] | undefined {
    return this.plugins.get(PluginRegistry.key(kind, name)) as ByKind[K] | undefined
  }

  /** The file a plugin came from (undefined for plugins added in code). */
  fileOf(kind: PluginKind, name: string): string | undefined {
    return this.plugins.get(PluginRegistry.key(kind, name))?.file
  }

  list<K extends PluginKind>(kind: K): ByKind[K][] {
    return [...this.plugins.values()]
      .filter((p) => p.kind === kind)
      .sort((a, b) => a.name.localeCompare(b.name)) as ByKind[K][]
  }

  all(): AnyPlugin[] {
    return [...this.plugins.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name))
  }

  /** The names of one kind, for "unknown plugin" messages. */
  names(kind: PluginKind): string[] {
    return this.list(kind).map((p) => p.name)
  }
}
