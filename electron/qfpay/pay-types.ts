// The pay-type table is shared with the renderer (wallet choice, branding,
// "no refunds" for FPS): it lives in shared/pay-types.ts.
export * from '../../shared/pay-types';
