// The parts of autocannon (which ships no types) that bench/api-load.ts uses.
declare module 'autocannon' {
  interface Histogram {
    p50: number;
    p99: number;
    max: number;
    average: number;
    total: number;
  }
  interface Options {
    url: string;
    connections?: number;
    /** Requests per second across all connections. */
    overallRate?: number;
    /** Seconds. */
    duration?: number;
    headers?: Record<string, string>;
    requests?: { setupRequest?: (req: Record<string, unknown>, context: Record<string, unknown>) => Record<string, unknown> }[];
  }
  interface Result {
    latency: Histogram;
    requests: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  export default function autocannon(options: Options): Promise<Result>;
}
