import type { Language } from '../../shared/settings';
import type { Wallet } from './receipt';

// Receipt wording in the till's three languages. The training line keeps its
// English wording on every receipt (shops and auditors look for that exact
// text); Chinese receipts add their own line under it.

export interface ReceiptLabels {
  till: string;
  date: string;
  order: string;
  item: string;
  tender: string;
  syssn: string;
  reference: string;
  total: string;
  tendered: string;
  change: string;
  refunds: string;
  refund: string;
  refundReceipt: string;
  net: string;
  reprint: string;
  training: string | null;
  noSale: string;
  /** Who opened the drawer on a "No sale" slip (the command line's user name follows its label). */
  noSaleBy: Record<'supervisor' | 'cashier' | 'command_line', string>;
  testPage: string;
  cash: string;
  wallets: Record<Wallet, string>;
  refundStates: Record<'requesting' | 'unknown' | 'refunded' | 'failed', string>;
}

export const TRAINING_LINE = 'TRAINING — NOT A REAL PAYMENT';

export const RECEIPT_LABELS: Readonly<Record<Language, ReceiptLabels>> = {
  en: {
    till: 'Till',
    date: 'Date',
    order: 'Order',
    item: 'Item',
    tender: 'Paid by',
    syssn: 'QFPay no.',
    reference: 'Wallet ref.',
    total: 'TOTAL',
    tendered: 'Tendered',
    change: 'Change',
    refunds: 'Refunds',
    refund: 'REFUND',
    refundReceipt: 'REFUND RECEIPT',
    net: 'Net',
    reprint: '*** REPRINT ***',
    training: null,
    noSale: 'NO SALE — drawer opened',
    noSaleBy: { supervisor: 'supervisor (PIN)', cashier: 'cashier (no supervisor PIN set)', command_line: 'command line' },
    testPage: 'Printer test page',
    cash: 'Cash',
    wallets: { wechat: 'WeChat Pay', alipay: 'Alipay', unionpay: 'UnionPay', payme: 'PayMe', fps: 'FPS', qfpay: 'QFPay' },
    refundStates: { requesting: 'in progress', unknown: 'being checked', refunded: 'refunded', failed: 'failed' },
  },
  'zh-Hant': {
    till: '收銀機',
    date: '日期',
    order: '單號',
    item: '貨品',
    tender: '付款方式',
    syssn: 'QFPay 交易號',
    reference: '錢包參考',
    total: '合計',
    tendered: '收款',
    change: '找贖',
    refunds: '退款',
    refund: '退款',
    refundReceipt: '退款收據',
    net: '淨額',
    reprint: '*** 重印 REPRINT ***',
    training: '培訓模式 — 並非真實付款',
    noSale: '無銷售 — 已開錢箱',
    noSaleBy: { supervisor: '主管（密碼）', cashier: '收銀員（未設主管密碼）', command_line: '命令列' },
    testPage: '打印機測試頁',
    cash: '現金',
    wallets: { wechat: '微信支付', alipay: '支付寶', unionpay: '銀聯', payme: 'PayMe', fps: '轉數快', qfpay: 'QFPay' },
    refundStates: { requesting: '處理中', unknown: '核對中', refunded: '已退款', failed: '失敗' },
  },
  'zh-Hans': {
    till: '收银机',
    date: '日期',
    order: '单号',
    item: '商品',
    tender: '付款方式',
    syssn: 'QFPay 交易号',
    reference: '钱包参考',
    total: '合计',
    tendered: '收款',
    change: '找零',
    refunds: '退款',
    refund: '退款',
    refundReceipt: '退款收据',
    net: '净额',
    reprint: '*** 重印 REPRINT ***',
    training: '培训模式 — 并非真实付款',
    noSale: '无销售 — 已开钱箱',
    noSaleBy: { supervisor: '主管（密码）', cashier: '收银员（未设主管密码）', command_line: '命令行' },
    testPage: '打印机测试页',
    cash: '现金',
    wallets: { wechat: '微信支付', alipay: '支付宝', unionpay: '银联', payme: 'PayMe', fps: '转数快', qfpay: 'QFPay' },
    refundStates: { requesting: '处理中', unknown: '核对中', refunded: '已退款', failed: '失败' },
  },
};
