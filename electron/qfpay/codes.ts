// The status-code table lives in shared/ so the cashier screens translate the
// same codes the engine acts on; the protocol layer re-exports it.
import { codeInfo } from '../../shared/qfpay-codes';

export * from '../../shared/qfpay-codes';

const UNLISTED = codeInfo('9999').meaning;

/**
 * Whether API.md lists the code. An unlisted code is never taken as final:
 * the till cannot know what it means, so it finds out by query (issue 9).
 */
export const isListedCode = (code: string): boolean => codeInfo(code).meaning !== UNLISTED;
