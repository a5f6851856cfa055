import type { QfpayClient } from '../qfpay/client';

/** The part of the QFPay client the engine uses (a fake in unit tests, the real client elsewhere). */
export type QfpayPort = Pick<QfpayClient, 'payment' | 'query' | 'close' | 'reversal' | 'refund' | 'txdtm'>;
