import { mkdirSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { AxeViolation } from './axe';
import { ARTIFACTS, type Harness } from './bridge';
import { assertNoOpenSale, openWindows } from './flows';

/**
 * One harness for a test file, with the hooks every counter flow wants:
 * `setup` gets the harness once both windows are idle, no test may leave a
 * sale open, and the file fails at the end on any page error or on any axe
 * violation a test collected into `violations`.
 */
export function counterSuite(setup: (h: Harness) => Promise<void>): { violations: Record<string, AxeViolation[]> } {
  let h: Harness | undefined;
  let errors: string[] = [];
  const violations: Record<string, AxeViolation[]> = {};
  beforeAll(async () => {
    ({ h, errors } = await openWindows());
    mkdirSync(ARTIFACTS, { recursive: true });
    await setup(h);
  });
  afterEach(async () => {
    if (h) await assertNoOpenSale(h);
  });
  afterAll(async () => {
    await h?.close();
    expect(errors).toEqual([]);
    expect(violations).toEqual({});
  });
  return { violations };
}
