/** Which methods serve a path, so a known path with a wrong method answers 405 instead of 404. */
interface RouteLike {
  method: string
  path: string
}

interface HasRoutes {
  routes: RouteLike[]
}

export class MethodIndex {
  private compiled: { pattern: RegExp; method: string }[] | undefined
  private routeCount = -1

  private patterns(app: HasRoutes) {
    if (!this.compiled || this.routeCount !== app.routes.length) {
      this.routeCount = app.routes.length
      this.compiled = app.routes.map((r) => ({
        method: r.method.toUpperCase(),
        pattern: new RegExp(`^${r.path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[^/]+/g, '[^/]+')}/?$`),
      }))
    }
    return this.compiled
  }

  allowed(app: HasRoutes, path: string): string[] {
    return [
      ...new Set(
        this.patterns(app)
          .filter((r) => r.pattern.test(path))
          .map((r) => r.method),
      ),
    ]
  }

  knownPathOtherMethod(app: HasRoutes, method: string, path: string): boolean {
    const allowed = this.allowed(app, path)
    return allowed.length > 0 && !allowed.includes(method.toUpperCase())
  }
}
