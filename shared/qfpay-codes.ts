// QFPay `respcd` status codes (API.md, "Status codes") and the transport
// failures around them: what the till does with each one, and what the
// cashier is told, in English, Hong Kong Traditional and Simplified Chinese.
// Pure data and pure functions: no electron, no node:*, so the core, the CLI
// and the renderer-facing code can all share one table.

export type Treatment =
  | 'success'
  | 'in_progress'
  | 'failed'
  | 'unknown'
  | 'closed'
  | 'expired'
  | 'paid_confirm'
  | 'not_paid_confirm'
  | 'refunded';

export type CodeCategory =
  | 'ok'
  | 'pending'
  | 'system'
  | 'input'
  | 'config'
  | 'signature'
  | 'customer'
  | 'refund'
  | 'cancel'
  | 'order'
  | 'network'
  | 'rate_limit';

export type Language = 'en' | 'zh-Hant' | 'zh-Hans';

/** A short message for the cashier and one sentence on what to do next. */
export interface CashierText {
  message: string;
  hint: string;
}

export interface CodeInfo {
  code: string;
  /** English description, from API.md's table. */
  meaning: string;
  treatment: Treatment;
  category: CodeCategory;
  /**
   * Only for `failed` outcomes that QFPay says are temporary (maintenance,
   * system error, bank busy, HTTP 429). Unknown states are never "retried":
   * they are resolved by querying, because resending a payment can charge twice.
   */
  retryLater: boolean;
  text: Record<Language, CashierText>;
}

export type TransportOutcome = 'rate_limited' | 'timeout' | 'network' | 'http_error' | 'bad_response' | 'bad_signature';

type Localized = Readonly<Record<Language, string>>;

const RETRY_LATER = true;

function row(
  code: string,
  meaning: string,
  treatment: Treatment,
  category: CodeCategory,
  message: Localized,
  hint: Localized,
  retryLater = false,
): CodeInfo {
  const text = (lang: Language): CashierText => Object.freeze({ message: message[lang], hint: hint[lang] });
  return Object.freeze({
    code,
    meaning,
    treatment,
    category,
    retryLater,
    text: Object.freeze({ en: text('en'), 'zh-Hant': text('zh-Hant'), 'zh-Hans': text('zh-Hans') }),
  });
}

const HINT = {
  nothingToDo: { en: 'Nothing more to do.', 'zh-Hant': '毋須再作任何操作。', 'zh-Hans': '无需再进行任何操作。' },
  keepWaiting: { en: 'Wait: the till keeps checking the payment.', 'zh-Hant': '請稍候，系統會繼續查詢付款狀態。', 'zh-Hans': '请稍候，系统会继续查询付款状态。' },
  checkingPayment: { en: 'Wait: the till is checking the payment. Do not charge again.', 'zh-Hant': '請稍候，系統正在查詢付款結果；切勿重複收款。', 'zh-Hans': '请稍候，系统正在查询付款结果；切勿重复收款。' },
  checkingResult: { en: 'Wait: the till is checking the result. Do not repeat the payment or refund.', 'zh-Hant': '請稍候，系統正在查詢結果；切勿重複收款或退款。', 'zh-Hans': '请稍候，系统正在查询结果；切勿重复收款或退款。' },
  tryLater: { en: 'Try again in a few minutes, or ask the customer to pay another way.', 'zh-Hant': '請過幾分鐘再試，或請顧客改用其他付款方式。', 'zh-Hans': '请过几分钟再试，或请顾客改用其他付款方式。' },
  payAnotherWay: { en: 'Ask the customer to pay another way.', 'zh-Hant': '請顧客改用其他付款方式。', 'zh-Hans': '请顾客改用其他付款方式。' },
  refreshCode: { en: 'Ask the customer to refresh their payment code, then scan it again.', 'zh-Hant': '請顧客更新付款碼，然後再掃描一次。', 'zh-Hans': '请顾客刷新付款码，然后再扫描一次。' },
  unionPayCode: { en: 'Ask the customer to show the UnionPay overseas code, or pay another way.', 'zh-Hant': '請顧客出示銀聯境外付款碼，或改用其他付款方式。', 'zh-Hans': '请顾客出示银联境外付款码，或改用其他付款方式。' },
  tryAgain: { en: 'Try again; if it happens again, call your supervisor.', 'zh-Hant': '請再試一次；如再次出現，請聯絡主管。', 'zh-Hans': '请再试一次；如再次出现，请联系主管。' },
  checkAmount: { en: 'Check the amount and try again; if it fails again, call your supervisor.', 'zh-Hant': '請檢查金額後再試；如仍失敗，請聯絡主管。', 'zh-Hans': '请检查金额后再试；如仍失败，请联系主管。' },
  tillSettings: { en: "Call your supervisor: the till's QFPay settings are wrong.", 'zh-Hant': '請聯絡主管：收銀機的 QFPay 設定有誤。', 'zh-Hans': '请联系主管：收银机的 QFPay 设置有误。' },
  // 1108: QFPay answers it for a wrong client key and for a wrong or missing mchid alike.
  keyOrMerchant: {
    en: "Call your supervisor: the till's QFPay client key is wrong, or its merchant ID (mchid) is wrong or missing.",
    'zh-Hant': '請聯絡主管：收銀機的 QFPay 密鑰有誤，或商戶編號（mchid）有誤或漏填。',
    'zh-Hans': '请联系主管：收银机的 QFPay 密钥有误，或商户编号（mchid）有误或未填写。',
  },
  merchantAccount: { en: "Call your supervisor: the shop's QFPay account needs attention.", 'zh-Hant': '請聯絡主管：商戶的 QFPay 帳戶需要處理。', 'zh-Hans': '请联系主管：商户的 QFPay 账户需要处理。' },
  storeSetup: { en: "Call your supervisor: the shop's QFPay store setup needs fixing.", 'zh-Hant': '請聯絡主管：門市在 QFPay 的設定需要修正。', 'zh-Hans': '请联系主管：门店在 QFPay 的设置需要修正。' },
  checkHistory: { en: "Check the sale in the till's history; call your supervisor if unsure.", 'zh-Hant': '請在收銀機的交易紀錄中查看；如有疑問，請聯絡主管。', 'zh-Hans': '请在收银机的交易记录中查看；如有疑问，请联系主管。' },
  newSale: { en: 'Start a new sale if the customer still wants to pay.', 'zh-Hant': '如顧客仍要付款，請重新開始交易。', 'zh-Hans': '如顾客仍要付款，请重新开始交易。' },
  refundInstead: { en: 'Check whether the customer paid; if so, refund instead.', 'zh-Hant': '請先查看顧客是否已付款；如已付款，請改為退款。', 'zh-Hans': '请先查看顾客是否已付款；如已付款，请改为退款。' },
  alreadyRefunded: { en: "Do not refund again; check the refund in the till's history.", 'zh-Hant': '切勿再次退款；請在收銀機的交易紀錄中查看退款。', 'zh-Hans': '切勿再次退款；请在收银机的交易记录中查看退款。' },
  orderRefunded: { en: "Check the refund in the till's history before doing anything else.", 'zh-Hant': '請先在收銀機的交易紀錄中查看退款，再作處理。', 'zh-Hans': '请先在收银机的交易记录中查看退款，再进行处理。' },
  refundDenied: { en: 'Call your supervisor: the refund may have to go through the QFPay merchant portal.', 'zh-Hant': '請聯絡主管：可能需要經 QFPay 商戶平台退款。', 'zh-Hans': '请联系主管：可能需要通过 QFPay 商户平台退款。' },
  refundWindow: { en: 'Refunds are not possible between 23:30 and 00:30. Try again after 00:30.', 'zh-Hant': '23:30 至 00:30 期間不能退款，請於 00:30 後再試。', 'zh-Hans': '23:30 至 00:30 期间不能退款，请在 00:30 后再试。' },
  refundTakings: { en: "Today's takings are too small to cover this refund. Refund tomorrow or through the QFPay merchant portal.", 'zh-Hant': '今日收款不足以支付這筆退款，請明天再退款或經 QFPay 商戶平台退款。', 'zh-Hans': '今日收款不足以支付这笔退款，请明天再退款或通过 QFPay 商户平台退款。' },
  fullRefundOnly: { en: 'Only a full refund is possible for this payment.', 'zh-Hant': '這筆付款只能全額退款。', 'zh-Hans': '这笔付款只能全额退款。' },
  refundTooMuch: { en: 'The amount is more than what is left to refund.', 'zh-Hant': '金額超過尚可退款的餘額。', 'zh-Hans': '金额超过尚可退款的余额。' },
  confirmingPaid: { en: 'Wait: the till is confirming the payment. Do not charge again.', 'zh-Hant': '請稍候，系統正在確認付款；切勿重複收款。', 'zh-Hans': '请稍候，系统正在确认付款；切勿重复收款。' },
  confirmingUnpaid: { en: 'Wait: the till is checking the order before going on.', 'zh-Hant': '請稍候，系統正在核實訂單狀態。', 'zh-Hans': '请稍候，系统正在核实订单状态。' },
  backOff: { en: 'Wait a few seconds and try again: nothing was done.', 'zh-Hant': '請等候數秒後再試；這次操作未有執行。', 'zh-Hans': '请等待几秒后再试；这次操作没有执行。' },
  unverifiedReply: { en: 'Wait: the till is checking the result. Tell your supervisor if this keeps happening.', 'zh-Hant': '請稍候，系統正在查詢結果；如情況持續，請通知主管。', 'zh-Hans': '请稍候，系统正在查询结果；如情况持续，请通知主管。' },
} as const satisfies Record<string, Localized>;

const ROWS: readonly CodeInfo[] = [
  row('0000', 'success', 'success', 'ok', { en: 'Completed', 'zh-Hant': '已成功處理', 'zh-Hans': '已成功处理' }, HINT.nothingToDo),
  row('1143', 'not paid yet, customer entering password', 'in_progress', 'pending', { en: 'Customer is confirming the payment', 'zh-Hant': '顧客正在確認付款', 'zh-Hans': '顾客正在确认付款' }, HINT.keepWaiting),
  row('1145', 'processing, please wait', 'in_progress', 'pending', { en: 'Payment is being processed', 'zh-Hant': '付款處理中', 'zh-Hans': '付款处理中' }, HINT.keepWaiting),
  row('1100', 'system under maintenance', 'failed', 'system', { en: 'QFPay is under maintenance', 'zh-Hant': 'QFPay 系統維護中', 'zh-Hans': 'QFPay 系统维护中' }, HINT.tryLater, RETRY_LATER),
  row('1101', 'reversal error', 'failed', 'cancel', { en: 'Could not cancel the payment', 'zh-Hant': '未能取消付款', 'zh-Hans': '无法取消付款' }, HINT.refundInstead),
  row('1102', 'duplicate request', 'unknown', 'order', { en: 'Duplicate request: checking the result', 'zh-Hant': '重複的請求，正在核實結果', 'zh-Hans': '重复的请求，正在核实结果' }, HINT.checkingResult),
  row('1103', 'request format error', 'failed', 'input', { en: 'The till sent an invalid request', 'zh-Hant': '收銀機發出的請求無效', 'zh-Hans': '收银机发出的请求无效' }, HINT.tryAgain),
  row('1104', 'request parameter error', 'failed', 'input', { en: 'Some payment details were rejected', 'zh-Hant': '部分付款資料被拒絕', 'zh-Hans': '部分付款信息被拒绝' }, HINT.checkAmount),
  row('1105', 'device not activated', 'failed', 'config', { en: 'This till is not activated', 'zh-Hant': '此收銀機尚未啟用', 'zh-Hans': '此收银机尚未启用' }, HINT.tillSettings),
  row('1106', 'device invalid', 'failed', 'config', { en: "This till's device ID is not valid", 'zh-Hant': '此收銀機的裝置編號無效', 'zh-Hans': '此收银机的设备编号无效' }, HINT.tillSettings),
  row('1107', 'device not allowed', 'failed', 'config', { en: 'This till may not take payments', 'zh-Hant': '此收銀機未獲准收款', 'zh-Hans': '此收银机未获准收款' }, HINT.tillSettings),
  row('1108', 'signature error', 'failed', 'signature', { en: 'QFPay refused the key or merchant ID', 'zh-Hant': 'QFPay 拒絕了密鑰或商戶編號', 'zh-Hans': 'QFPay 拒绝了密钥或商户编号' }, HINT.keyOrMerchant),
  row('1125', 'already refunded', 'failed', 'refund', { en: 'This payment was already refunded', 'zh-Hant': '這筆付款已經退款', 'zh-Hans': '这笔付款已经退款' }, HINT.alreadyRefunded),
  row('1136', 'transaction does not exist or not operable', 'failed', 'order', { en: 'Transaction not found or locked', 'zh-Hant': '找不到交易或交易無法處理', 'zh-Hans': '找不到交易或交易无法处理' }, HINT.checkHistory),
  row('1142', 'order already closed', 'closed', 'order', { en: 'This order is already closed', 'zh-Hant': '此訂單早已關閉', 'zh-Hans': '此订单早已关闭' }, HINT.newSale),
  row('1147', 'WeChat Pay transaction error', 'failed', 'system', { en: 'WeChat Pay could not process this', 'zh-Hant': '微信支付未能處理此交易', 'zh-Hans': '微信支付无法处理此交易' }, HINT.payAnotherWay),
  row('1150', 'T0 billing: cancel not supported', 'failed', 'cancel', { en: 'This payment cannot be cancelled', 'zh-Hant': '這筆付款不支援取消', 'zh-Hans': '这笔付款不支持取消' }, HINT.refundInstead),
  row('1155', 'refund denied', 'failed', 'refund', { en: 'QFPay refused the refund', 'zh-Hant': 'QFPay 拒絕退款', 'zh-Hans': 'QFPay 拒绝退款' }, HINT.refundDenied),
  row('1181', 'order expired', 'expired', 'order', { en: 'This order has expired', 'zh-Hant': '此訂單已過期', 'zh-Hans': '此订单已过期' }, HINT.newSale),
  row('1201', 'insufficient balance', 'failed', 'customer', { en: "Customer's balance is too low", 'zh-Hant': '顧客餘額不足', 'zh-Hans': '顾客余额不足' }, HINT.payAnotherWay),
  row('1202', 'payment code wrong or expired (CPM)', 'failed', 'customer', { en: "Customer's pay code invalid or expired", 'zh-Hant': '顧客付款碼錯誤或已過期', 'zh-Hans': '顾客付款码错误或已过期' }, HINT.refreshCode),
  row('1203', 'merchant account error', 'failed', 'config', { en: "Problem with the shop's QFPay account", 'zh-Hant': '商戶帳戶出現問題', 'zh-Hans': '商户账户出现问题' }, HINT.merchantAccount),
  row('1204', 'bank error', 'failed', 'config', { en: "Problem with the shop's bank account", 'zh-Hant': '商戶銀行帳戶出現問題', 'zh-Hans': '商户银行账户出现问题' }, HINT.merchantAccount),
  row('1205', 'transaction failed, try later', 'failed', 'system', { en: 'The transaction did not go through', 'zh-Hant': '交易未能成功處理', 'zh-Hans': '交易未能成功处理' }, HINT.tryLater, RETRY_LATER),
  row('1212', 'use the UnionPay overseas code', 'failed', 'customer', { en: 'UnionPay overseas code needed', 'zh-Hant': '須使用銀聯境外付款碼', 'zh-Hans': '须使用银联境外付款码' }, HINT.unionPayCode),
  // API.md groups 1241/1242/1243/1251 in one row; QFPay's own table splits
  // them as: missing (or bad state), misconfigured, disabled, misconfigured.
  row('1241', 'store missing', 'failed', 'config', { en: 'Store not found at QFPay', 'zh-Hant': 'QFPay 上找不到此門市', 'zh-Hans': 'QFPay 上找不到此门店' }, HINT.storeSetup),
  row('1242', 'store misconfigured', 'failed', 'config', { en: 'Store is set up wrongly at QFPay', 'zh-Hant': '此門市在 QFPay 的設定有誤', 'zh-Hans': '此门店在 QFPay 的设置有误' }, HINT.storeSetup),
  row('1243', 'store disabled', 'failed', 'config', { en: 'Store is disabled at QFPay', 'zh-Hant': '此門市已被 QFPay 停用', 'zh-Hans': '此门店已被 QFPay 停用' }, HINT.storeSetup),
  row('1251', 'store misconfigured', 'failed', 'config', { en: 'Store cannot take payments', 'zh-Hant': '此門市暫時未能收款', 'zh-Hans': '此门店暂时无法收款' }, HINT.storeSetup),
  row('1250', 'transaction forbidden', 'failed', 'order', { en: 'Transaction not allowed', 'zh-Hant': '交易不獲批准', 'zh-Hans': '交易未获批准' }, HINT.payAnotherWay),
  row('1252', 'system error', 'failed', 'system', { en: 'QFPay system error', 'zh-Hant': 'QFPay 系統錯誤', 'zh-Hans': 'QFPay 系统错误' }, HINT.tryLater, RETRY_LATER),
  row('1254', 'system error', 'failed', 'system', { en: 'QFPay system problem', 'zh-Hant': 'QFPay 系統出現問題', 'zh-Hans': 'QFPay 系统出现问题' }, HINT.tryLater, RETRY_LATER),
  row('1260', 'order already paid — confirm before anything else', 'paid_confirm', 'order', { en: 'Order already paid: confirming', 'zh-Hant': '訂單已付款，正在確認', 'zh-Hans': '订单已付款，正在确认' }, HINT.confirmingPaid),
  row('1261', 'order not paid — confirm', 'not_paid_confirm', 'order', { en: 'Order not paid: confirming', 'zh-Hant': '訂單未付款，正在確認', 'zh-Hans': '订单未付款，正在确认' }, HINT.confirmingUnpaid),
  row('1262', 'order refunded', 'refunded', 'order', { en: 'This order was refunded', 'zh-Hant': '此訂單已退款', 'zh-Hans': '此订单已退款' }, HINT.orderRefunded),
  row('1263', 'order cancelled', 'closed', 'order', { en: 'This order was cancelled', 'zh-Hant': '此訂單已取消', 'zh-Hans': '此订单已取消' }, HINT.newSale),
  row('1264', 'order closed', 'closed', 'order', { en: 'This order has been closed', 'zh-Hant': '此訂單已關閉', 'zh-Hans': '此订单已关闭' }, HINT.newSale),
  row('1265', 'no refunds 23:30–00:30 or for promotions', 'failed', 'refund', { en: 'Refund not possible at this time', 'zh-Hant': '現在不能退款', 'zh-Hans': '现在不能退款' }, HINT.refundWindow),
  row('1266', 'amount wrong', 'failed', 'order', { en: 'Amount is wrong for this order', 'zh-Hant': '金額與訂單不符', 'zh-Hans': '金额与订单不符' }, HINT.checkAmount),
  row('1267', 'order mismatch', 'failed', 'order', { en: 'Order details do not match', 'zh-Hant': '訂單資料不符', 'zh-Hans': '订单信息不符' }, HINT.checkHistory),
  row('1268', 'order does not exist', 'failed', 'order', { en: 'Order not found at QFPay', 'zh-Hant': 'QFPay 上找不到此訂單', 'zh-Hans': 'QFPay 上找不到此订单' }, HINT.checkHistory),
  row('1269', "today's unsettled amount too small for this refund", 'failed', 'refund', { en: 'Not enough takings today to refund', 'zh-Hant': '今日營業額不足以退款', 'zh-Hans': '今日营业额不足以退款' }, HINT.refundTakings),
  row('1270', 'no partial refund for this currency', 'failed', 'refund', { en: 'No partial refund for this currency', 'zh-Hant': '此貨幣不支援部分退款', 'zh-Hans': '此货币不支持部分退款' }, HINT.fullRefundOnly),
  row('1271', 'no partial refund for this transaction', 'failed', 'refund', { en: 'No partial refund for this payment', 'zh-Hant': '這筆交易不支援部分退款', 'zh-Hans': '这笔交易不支持部分退款' }, HINT.fullRefundOnly),
  row('1272', 'refund exceeds refundable amount', 'failed', 'refund', { en: 'Refund amount is too high', 'zh-Hant': '退款金額過高', 'zh-Hans': '退款金额过高' }, HINT.refundTooMuch),
  row('1294', 'blocked by the bank as non-compliant', 'failed', 'customer', { en: 'The bank blocked this payment', 'zh-Hant': '銀行拒絕了這筆付款', 'zh-Hans': '银行拒绝了这笔付款' }, HINT.payAnotherWay),
  row('1295', 'slow network, waiting', 'unknown', 'network', { en: 'Slow network: checking the payment', 'zh-Hant': '網絡緩慢，正在查詢付款', 'zh-Hans': '网络缓慢，正在查询付款' }, HINT.checkingPayment),
  row('1296', 'slow network, waiting', 'unknown', 'network', { en: 'Waiting for the payment result', 'zh-Hant': '正在等待付款結果', 'zh-Hans': '正在等待付款结果' }, HINT.checkingPayment),
  row('1297', 'bank busy', 'failed', 'system', { en: 'The bank is busy', 'zh-Hant': '銀行系統繁忙', 'zh-Hans': '银行系统繁忙' }, HINT.tryLater, RETRY_LATER),
  row('1298', 'slow network, waiting; if already paid, do not pay again', 'unknown', 'network', { en: 'Payment result delayed: checking', 'zh-Hant': '付款結果延遲，正在查詢', 'zh-Hans': '付款结果延迟，正在查询' }, HINT.checkingPayment),
  row('2005', 'customer payment code wrong or expired (CPM)', 'failed', 'customer', { en: "Customer's payment code was rejected", 'zh-Hant': '顧客付款碼無效', 'zh-Hans': '顾客付款码无效' }, HINT.refreshCode),
  row('2011', 'transaction serial number repeats', 'unknown', 'order', { en: 'Order number already used: checking', 'zh-Hant': '訂單編號重複，正在查詢', 'zh-Hans': '订单编号重复，正在查询' }, HINT.checkingResult),
];

export const STATUS_CODES: Readonly<Record<string, CodeInfo>> = Object.freeze(
  Object.fromEntries(ROWS.map((info) => [info.code, info])),
);

// HTTP 429 means QFPay refused before doing anything, so it is a plain failure
// that may be retried. Every other transport failure may have happened after
// QFPay acted on the request: the state is unknown and must be queried by
// `out_trade_no`, never resent.
export const TRANSPORT_OUTCOMES: Readonly<Record<TransportOutcome, CodeInfo>> = Object.freeze({
  rate_limited: row('HTTP_429', 'rate limit: the request did not run', 'failed', 'rate_limit', { en: 'QFPay is busy right now', 'zh-Hant': 'QFPay 現時繁忙', 'zh-Hans': 'QFPay 当前繁忙' }, HINT.backOff, RETRY_LATER),
  timeout: row('TIMEOUT', 'timeout: no answer in time', 'unknown', 'network', { en: 'QFPay did not answer in time', 'zh-Hant': 'QFPay 未有及時回應', 'zh-Hans': 'QFPay 未及时响应' }, HINT.checkingResult),
  network: row('NETWORK', 'connection reset or network failure', 'unknown', 'network', { en: 'Connection to QFPay was lost', 'zh-Hant': '與 QFPay 的連線中斷', 'zh-Hans': '与 QFPay 的连接中断' }, HINT.checkingResult),
  http_error: row('HTTP_ERROR', 'HTTP 5xx or other unexpected HTTP status', 'unknown', 'network', { en: 'QFPay server error', 'zh-Hant': 'QFPay 伺服器出錯', 'zh-Hans': 'QFPay 服务器出错' }, HINT.checkingResult),
  bad_response: row('BAD_RESPONSE', 'unparsable response body', 'unknown', 'network', { en: 'Unreadable reply from QFPay', 'zh-Hant': '無法讀取 QFPay 的回覆', 'zh-Hans': '无法读取 QFPay 的回复' }, HINT.checkingResult),
  bad_signature: row('BAD_SIGNATURE', 'response signature did not verify', 'unknown', 'signature', { en: "QFPay's reply could not be verified", 'zh-Hant': '未能核實 QFPay 的回覆', 'zh-Hans': '无法核实 QFPay 的回复' }, HINT.unverifiedReply),
});

// A Map, not `code in STATUS_CODES`, so that 'constructor' or '__proto__'
// can never be mistaken for a code.
const BY_CODE: ReadonlyMap<string, CodeInfo> = new Map(
  [...ROWS, ...Object.values(TRANSPORT_OUTCOMES)].map((info) => [info.code, info]),
);

/**
 * QFPay sends `respcd` as a string, but one published sample has it unquoted
 * (`"respcd": 0000` parses as the number 0), so accept both and pad to 4 digits.
 */
export function normalizeRespcd(value: unknown): string | undefined {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= 9999 ? String(value).padStart(4, '0') : undefined;
  }
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return /^[0-9]{1,4}$/.test(trimmed) ? trimmed.padStart(4, '0') : undefined;
  }
  return undefined;
}

/** Any code, status or transport; a code not in API.md is a plain failure that names the code. */
export function codeInfo(code: string): CodeInfo {
  const respcd = normalizeRespcd(code);
  const known = BY_CODE.get(respcd ?? String(code).trim());
  if (known !== undefined) return known;
  // Shown to the cashier, so keep it short and printable whatever arrived.
  const shown = respcd ?? (String(code).replace(/[^0-9A-Za-z_-]/g, '').slice(0, 16) || '?');
  return row(
    shown,
    'status code not listed in API.md',
    'failed',
    'system',
    { en: `Payment failed (code ${shown})`, 'zh-Hant': `付款失敗（代碼 ${shown}）`, 'zh-Hans': `付款失败（代码 ${shown}）` },
    {
      en: 'Ask the customer to pay another way, and tell your supervisor the code.',
      'zh-Hant': '請顧客改用其他付款方式，並把代碼告知主管。',
      'zh-Hans': '请顾客改用其他付款方式，并把代码告知主管。',
    },
  );
}

export function treatmentOf(code: string): Treatment {
  return codeInfo(code).treatment;
}

export function cashierText(code: string, lang: Language): CashierText {
  const { text } = codeInfo(code);
  // A language setting from an older or hand-edited config must not blank the screen.
  const localized: CashierText | undefined = text[lang];
  return localized ?? text.en;
}
