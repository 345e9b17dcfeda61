/** Request counters of the emulator, served by `GET /__emulator/stats`. */

export interface EndpointStats {
  requests: number;
  faults: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
}

export interface StatsSnapshot {
  /** By "METHOD /route/:pattern", e.g. "GET /api/v2/organizations/limits/namespaces/:namespaceName". */
  readonly endpoints: Record<string, EndpointStats>;
  /** Requests to endpoints the emulator does not implement, by "METHOD /actual/path". */
  readonly unknown: Record<string, number>;
  readonly totals: { readonly requests: number; readonly faults: number; readonly unknown: number };
}

export class Stats {
  private endpoints: Record<string, EndpointStats> = {};
  private unknown: Record<string, number> = {};

  /** Counts one answered request to a known route. */
  record(method: string, routePattern: string, status: number, faulted: boolean): void {
    const key = `${method} ${routePattern}`;
    const entry = (this.endpoints[key] ??= { requests: 0, faults: 0, statuses: {} });
    entry.requests += 1;
    if (faulted) entry.faults += 1;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
  }

  /** Counts one request to an endpoint the emulator does not implement. */
  recordUnknown(method: string, path: string): void {
    const key = `${method} ${path}`;
    this.unknown[key] = (this.unknown[key] ?? 0) + 1;
  }

  snapshot(): StatsSnapshot {
    const endpoints = structuredClone(this.endpoints);
    const values = Object.values(endpoints);
    return {
      endpoints,
      unknown: { ...this.unknown },
      totals: {
        requests: values.reduce((sum, entry) => sum + entry.requests, 0),
        faults: values.reduce((sum, entry) => sum + entry.faults, 0),
        unknown: Object.values(this.unknown).reduce((sum, count) => sum + count, 0),
      },
    };
  }

  reset(): void {
    this.endpoints = {};
    this.unknown = {};
  }
}
