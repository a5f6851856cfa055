// Real-name masking and checks are shared with the renderer (inline checks at the counter): shared/real-name.ts.
export * from '../../shared/real-name';
