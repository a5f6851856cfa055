import type { Journal } from '../journal/journal';
import type { QfpayExchange } from '../qfpay/client';

// Rule 9 (audit): every QFPay request and response goes into the journal's
// event log. The client hands over the parameters already masked (real-name
// data, payment codes) and never the app code, the signature or the key.

export function exchangeRecorder(journal: Journal): (exchange: QfpayExchange) => void {
  return (exchange) => {
    const named = exchange.request.out_trade_no;
    const single = named && !named.includes(',') ? named : undefined;
    const syssn = exchange.request.syssn && !exchange.request.syssn.includes(',') ? exchange.request.syssn : undefined;
    const outTradeNo = single ?? (syssn ? journal.outTradeNoOfSyssn(syssn) : undefined) ?? null;
    journal.appendEvent('exchange', outTradeNo, exchange.startedAtMs, {
      endpoint: exchange.endpoint,
      request: exchange.request,
      outcome: exchange.outcome,
      httpStatus: exchange.httpStatus ?? null,
      respcd: exchange.respcd ?? null,
      durationMs: exchange.durationMs,
      response: exchange.response ?? null,
      signature: exchange.signature ?? null,
    });
  };
}
