import { afterEach, describe, expect, it, vi } from 'vitest';
import { closeAll, startService } from '../service/support';

// The app's service starts head office's background sender only for a real
// journal: a training till never even asks for head office's URL.

describe('service and head office', () => {
  afterEach(async () => {
    await closeAll();
  });

  it('never replicates a training till', async () => {
    const headOfficeUrl = vi.fn(() => 'postgres://till_x:pw@127.0.0.1:1/office');
    const h = await startService({ headOfficeUrl });
    expect(h.service.current?.training).toBe(true);
    expect(headOfficeUrl).not.toHaveBeenCalled();
  });
});
