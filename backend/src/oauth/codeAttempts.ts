// Per-address budget of wrong user codes (RFC 8628 §5.1): every unknown code tried from one address, whether
// typed in the form, followed as a /stripe-link?code=… link or carried to the sign-in, draws on the same budget;
// once it is spent, no code (not even a right one) is looked up from that address until the window ends.
// In memory, like the route rate limits: each instance counts its own share.
import { isIPv6 } from 'node:net';

export const CODE_LOOKUPS_PER_WINDOW = 30;
export const CODE_LOOKUP_WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

/** One IPv6 /64 is one client (as @fastify/rate-limit counts it); IPv4 addresses stand alone. */
export function addressKey(ip: string): string {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4mapped) return v4mapped[1];
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':') + '::/64';
}

export class CodeAttemptBudget {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly max = CODE_LOOKUPS_PER_WINDOW,
    private readonly windowMs = CODE_LOOKUP_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `ip` may still try a code in this window. */
  allows(ip: string): boolean {
    const window = this.windows.get(addressKey(ip));
    return !window || this.now() - window.start >= this.windowMs || window.count < this.max;
  }

  /** Counts one wrong code from `ip` (the next lookup is refused once `max` are counted in the window). */
  chargeMiss(ip: string): boolean {
    const key = addressKey(ip);
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      if (this.windows.size >= MAX_TRACKED) this.dropExpired(now);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    return window.count <= this.max;
  }

  private dropExpired(now: number): void {
    for (const [key, window] of this.windows) if (now - window.start >= this.windowMs) this.windows.delete(key);
    // Still full (a flood from many addresses): forget the oldest rather than grow without bound.
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_TRACKED) break;
      this.windows.delete(key);
    }
  }
}
