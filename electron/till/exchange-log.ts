import type { Journal } from '../journal/journal';
import type { QfpayExchange } from '../qfpay/client';

// Rule 9 (audit): every QFPay request and response goes into the journal's
// event log. The client hands over the parameters already masked (real-name
// data, payment codes) and never the app code, the signature or the key.

// An exchange of a re-issued order is filed under its sale (the sale's
// out_trade_no), so a sale's trail holds every order it sent.
//
// Writing the audit line must never lose QFPay's answer: if the journal
// refuses it (disk full), the exchange is reported and the answer still
// reaches the engine, which retries its own write until the journal takes it.

export function exchangeRecorder(journal: Journal, onError: (error: unknown) => void = (e) => console.error('till audit: exchange not journalled:', e)): (exchange: QfpayExchange) => void {
  return (exchange) => {
    try {
      record(journal, exchange);
    } catch (error) {
      onError(error);
    }
  };
}

function record(journal: Journal, exchange: QfpayExchange): void {
  const named = exchange.request.out_trade_no;
  const single = named && !named.includes(',') ? named : undefined;
  const syssn = exchange.request.syssn && !exchange.request.syssn.includes(',') ? exchange.request.syssn : undefined;
  const outTradeNo = (single ? (journal.saleOfOrderNo(single) ?? single) : undefined) ?? (syssn ? journal.outTradeNoOfSyssn(syssn) : undefined) ?? null;
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
}
