/**
 * Polls `check` until it gives a truthy value (returned) or `ms` pass (throws, naming `what`):
 * the one way tests wait for the outbox, a provider fake or a UI to reach a state.
 */
export async function waitUntil<T>(what: string, check: () => Promise<T | null | undefined | false>, ms = 15_000, everyMs = 25): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
