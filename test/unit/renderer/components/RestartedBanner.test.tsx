// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RESTARTED_QUERY } from '../../../../shared/restarted';
import { RestartedBanner, wasRestarted } from '../../../../renderer/components/RestartedBanner';
import { initI18n } from '../../../../renderer/i18n';

// The banner a window shows after main reloaded it from a crash.

beforeAll(() => {
  initI18n('en');
});
afterEach(cleanup);

describe('RestartedBanner', () => {
  it('reads the query main reloads a crashed window with', () => {
    expect(wasRestarted(new URLSearchParams({ [RESTARTED_QUERY]: '1' }).toString())).toBe(true);
    expect(wasRestarted('')).toBe(false);
    expect(wasRestarted('?restarted=0')).toBe(false);
  });

  it('after a crash: says the sale is safe, until the cashier dismisses it', () => {
    render(<RestartedBanner search="?restarted=1" />);
    expect(screen.getByRole('status').textContent).toContain('The screen restarted; the sale in progress is safe.');
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('on a normal start: nothing', () => {
    render(<RestartedBanner search="" />);
    expect(screen.queryByRole('status')).toBeNull();
  });
});
