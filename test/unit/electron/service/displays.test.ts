import { describe, expect, it } from 'vitest';
import { placeCustomerDisplay, type DisplayInfo } from '../../../../electron/service/displays';
import { settingsSchema } from '../../../../shared/settings';

// Where the customer display goes, for one, two and three screens and every
// kind of setting: automatic, the primary screen, off, a display by id, and
// a display by id that has been unplugged.

const d = (id: number, x: number, y = 0, width = 1920, height = 1080): DisplayInfo => ({ id, bounds: { x, y, width, height } });

const PRIMARY = d(10, 0);
const RIGHT = d(20, 1920);
const LEFT = d(30, -1280, 0, 1280, 1024);
const BELOW_RIGHT = d(40, 1920, 1080);

describe('one display', () => {
  const displays = [PRIMARY];

  it("'auto' makes the customer display an overlay on the only screen", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'auto')).toEqual({ mode: 'overlay', display: PRIMARY });
  });

  it("'primary' is an overlay on it", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'primary')).toEqual({ mode: 'overlay', display: PRIMARY });
  });

  it("'off' turns it off", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'off')).toEqual({ mode: 'off' });
  });

  it('its own id is an overlay (it is the primary screen)', () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, String(PRIMARY.id))).toEqual({ mode: 'overlay', display: PRIMARY });
  });

  it('an unplugged display id falls back to automatic: the overlay', () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, '999')).toEqual({ mode: 'overlay', display: PRIMARY });
  });

  it('a primary id the screen list does not know uses the first display', () => {
    expect(placeCustomerDisplay(displays, 12345, 'auto')).toEqual({ mode: 'overlay', display: PRIMARY });
  });
});

describe('two displays', () => {
  const displays = [PRIMARY, RIGHT];

  it("'auto' puts it full screen on the secondary", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'auto')).toEqual({ mode: 'fullscreen', display: RIGHT });
  });

  it('the secondary is found whatever the order of the list', () => {
    expect(placeCustomerDisplay([RIGHT, PRIMARY], PRIMARY.id, 'auto')).toEqual({ mode: 'fullscreen', display: RIGHT });
  });

  it("'primary' keeps it as an overlay on the primary even though a secondary exists", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'primary')).toEqual({ mode: 'overlay', display: PRIMARY });
  });

  it("'off' turns it off", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'off')).toEqual({ mode: 'off' });
  });

  it('the secondary by id: full screen there', () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, String(RIGHT.id))).toEqual({ mode: 'fullscreen', display: RIGHT });
  });

  it('the primary by id: an overlay', () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, String(PRIMARY.id))).toEqual({ mode: 'overlay', display: PRIMARY });
  });

  it('an unplugged id falls back to automatic: the secondary that is there', () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, String(LEFT.id))).toEqual({ mode: 'fullscreen', display: RIGHT });
  });

  it('when the primary is the right-hand screen, the other one is still the customer screen', () => {
    expect(placeCustomerDisplay(displays, RIGHT.id, 'auto')).toEqual({ mode: 'fullscreen', display: PRIMARY });
  });
});

describe('three displays', () => {
  const displays = [LEFT, PRIMARY, RIGHT];

  it("'auto' picks the right-most secondary", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'auto')).toEqual({ mode: 'fullscreen', display: RIGHT });
    expect(placeCustomerDisplay([RIGHT, LEFT, PRIMARY], PRIMARY.id, 'auto')).toEqual({ mode: 'fullscreen', display: RIGHT });
  });

  it("'auto' with two secondaries at the same x picks the lower one", () => {
    expect(placeCustomerDisplay([PRIMARY, RIGHT, BELOW_RIGHT], PRIMARY.id, 'auto')).toEqual({ mode: 'fullscreen', display: BELOW_RIGHT });
  });

  it("'auto' with secondaries on identical bounds breaks the tie by id, whatever the list order", () => {
    const a = d(7, 1920);
    const b = d(3, 1920);
    expect(placeCustomerDisplay([PRIMARY, a, b], PRIMARY.id, 'auto')).toEqual({ mode: 'fullscreen', display: b });
    expect(placeCustomerDisplay([b, PRIMARY, a], PRIMARY.id, 'auto')).toEqual({ mode: 'fullscreen', display: b });
  });

  it("'primary' is an overlay on the primary", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'primary')).toEqual({ mode: 'overlay', display: PRIMARY });
  });

  it("'off' turns it off", () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, 'off')).toEqual({ mode: 'off' });
  });

  it('the left-hand secondary by id: full screen there, not on the automatic choice', () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, String(LEFT.id))).toEqual({ mode: 'fullscreen', display: LEFT });
  });

  it('an unplugged id falls back to automatic', () => {
    expect(placeCustomerDisplay(displays, PRIMARY.id, '77')).toEqual({ mode: 'fullscreen', display: RIGHT });
  });

  it('the chosen display comes back after being unplugged: it is chosen again', () => {
    const without = placeCustomerDisplay([PRIMARY, RIGHT], PRIMARY.id, String(LEFT.id));
    const back = placeCustomerDisplay(displays, PRIMARY.id, String(LEFT.id));
    expect(without).toEqual({ mode: 'fullscreen', display: RIGHT });
    expect(back).toEqual({ mode: 'fullscreen', display: LEFT });
  });
});

describe('no displays at all (every screen gone)', () => {
  it.each(['auto', 'primary', 'off', '10'])('%s: off', (choice) => {
    expect(placeCustomerDisplay([], 10, choice)).toEqual({ mode: 'off' });
  });
});

describe('the setting itself', () => {
  const field = settingsSchema.shape.customerDisplay;

  it('accepts auto, primary, off and display ids', () => {
    for (const value of ['auto', 'primary', 'off', '0', '2779098405']) expect(field.safeParse(value).success, value).toBe(true);
  });

  it('refuses anything else', () => {
    for (const value of ['', 'left', 'auto ', '-1', '1.5', '1'.repeat(21), 'AUTO']) expect(field.safeParse(value).success, value).toBe(false);
  });
});
