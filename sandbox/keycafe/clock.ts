/**
 * A clock tests and benchmarks can speed up, freeze and jump: the sandbox Keycafe measures its
 * rate-limit minute with it, and the connector's bucket shares it, so a run that needs an
 * hour of Keycafe's time takes seconds. Implements the connector's Clock interface.
 */
import type { Clock } from '../../server/keycafe/clock.ts';

interface Sleeper {
  target: number;
  resolve: () => void;
  timer?: NodeJS.Timeout;
}

export class ControllableClock implements Clock {
  private base: number;
  private realBase = performance.now();
  private rate: number;
  private sleepers = new Set<Sleeper>();

  /** `speed` 1 = real time, 60 = a minute per second, 0 = frozen (only `advance` moves it). */
  constructor(opts: { start?: number; speed?: number } = {}) {
    this.base = opts.start ?? Date.now();
    this.rate = opts.speed ?? 1;
  }

  now(): number {
    return this.base + (performance.now() - this.realBase) * this.rate;
  }

  get speed(): number {
    return this.rate;
  }

  set speed(speed: number) {
    if (!(speed >= 0)) throw new RangeError('speed must be ≥ 0');
    this.base = this.now();
    this.realBase = performance.now();
    this.rate = speed;
    this.reschedule();
  }

  /** Jumps forward (wakes every sleeper whose time has come). */
  advance(ms: number) {
    this.base += ms;
    this.reschedule();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const sleeper: Sleeper = { target: this.now() + Math.max(0, ms), resolve };
      this.sleepers.add(sleeper);
      this.arm(sleeper);
    });
  }

  toRealMs(ms: number): number {
    return this.rate > 0 ? ms / this.rate : ms;
  }

  private arm(s: Sleeper) {
    clearTimeout(s.timer);
    const left = s.target - this.now();
    if (left <= 0) {
      this.sleepers.delete(s);
      s.resolve();
    } else if (this.rate > 0) {
      s.timer = setTimeout(() => this.arm(s), Math.max(1, Math.ceil(left / this.rate)));
    }
  }

  private reschedule() {
    for (const s of [...this.sleepers]) this.arm(s);
  }
}
