// The status-code table lives in shared/ so the cashier screens translate the
// same codes the engine acts on; the protocol layer re-exports it.
export * from '../../shared/qfpay-codes';
