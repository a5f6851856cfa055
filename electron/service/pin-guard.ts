import type { Clock } from '../till/clock';
import type { Logger } from './log';
import { PIN_COST, hashPin, newPepper, verifyPin, type PinCost } from './pin';
import type { SettingsManager } from './settings-manager';
import { NO_PIN_LOCK, type PinLock } from './settings-model';

// Checking the supervisor PIN (issue 10). One check at a time per till: a
// burst of concurrent guesses waits in line, and each one, when its turn
// comes, first looks at the lock-out and is counted (and persisted) before
// its hash is computed. So the burst gets exactly as many guesses as a
// patient guesser, and quitting mid-hash or restarting keeps the count.

/** Wrong PINs in a row before a lock-out. */
export const PIN_TRIES = 5;
/** The first lock-out; each further one without a right PIN in between doubles, up to PIN_LOCK_MAX_MS. */
export const PIN_LOCK_MS = 60_000;
export const PIN_LOCK_MAX_MS = 3_600_000;

/** How long the lock-out after `lockouts` earlier ones lasts. */
export function lockMs(lockouts: number): number {
  return Math.min(PIN_LOCK_MS * 2 ** Math.min(lockouts, 30), PIN_LOCK_MAX_MS);
}

/**
 * Minutes of lock-out a guesser must sit through to try every one of `pins`
 * PINs (the right one last): after every PIN_TRIES wrong ones the next lock
 * must run out, and only a right PIN resets the schedule.
 */
export function bruteForceMinutes(pins: number): number {
  const lockouts = Math.floor((pins - 1) / PIN_TRIES);
  let ms = 0;
  for (let k = 0; k < lockouts; k++) ms += lockMs(k);
  return ms / 60_000;
}

export type PinVerdict = 'valid' | 'wrong' | 'locked' | 'unverifiable';

export class PinGuard {
  private line: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly settings: SettingsManager,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly cost: PinCost = PIN_COST,
  ) {}

  /** Checks a PIN against the sealed record, after every check already waiting. */
  check(pin: string): Promise<PinVerdict> {
    const turn = this.line.then(() => this.evaluate(pin));
    this.line = turn.catch(() => undefined);
    return turn;
  }

  private async evaluate(pin: string): Promise<PinVerdict> {
    const seal = this.settings.pinSeal();
    if (!seal) return 'unverifiable';
    const now = this.clock.now();
    const lock = this.settings.current.pinLock;
    if (now < lock.lockedUntilMs) return 'locked';
    // Counted before the hash: if this one is wrong and the fifth, the lock is already on (and on disk).
    const failures = lock.failures + 1;
    const counted: PinLock =
      failures >= PIN_TRIES ? { failures: 0, lockedUntilMs: now + lockMs(lock.lockouts), lockouts: lock.lockouts + 1 } : { failures, lockedUntilMs: 0, lockouts: lock.lockouts };
    this.settings.setPinLock(counted);
    if (await verifyPin(pin, seal.pinHash, seal.pepper)) {
      this.settings.setPinLock(NO_PIN_LOCK);
      if (this.settings.pinState() === 'tampered') {
        this.settings.repairPinHash();
        this.log.log('warn', 'supervisor PIN record in settings.json was restored from the sealed copy');
      }
      return 'valid';
    }
    this.log.log('warn', 'wrong supervisor PIN', counted.lockedUntilMs ? { lockedForMs: counted.lockedUntilMs - now } : undefined);
    return 'wrong';
  }

  /**
   * Seals a new PIN (a fresh pepper), or removes it, after the checks in
   * flight, and only if `still()` holds then: two first-run setPin calls in
   * a burst must not let the second replace the first without its PIN.
   */
  set(newPin: string | null, still: () => boolean): Promise<boolean> {
    const turn = this.line.then(async () => {
      if (!still()) return false;
      const record = newPin === null ? null : await this.record(newPin);
      if (!still()) return false;
      this.settings.setPinRecord(record);
      return true;
    });
    this.line = turn.catch(() => undefined);
    return turn;
  }

  private async record(pin: string) {
    const pepper = newPepper();
    return { pepper, pinHash: await hashPin(pin, pepper, this.cost) };
  }
}
