import { CASH_LABELS } from '../../reports/cash-print';

// The owner's page in the till's three languages (English, Traditional and
// Simplified Chinese, as the cashier screens), chosen from the browser's
// Accept-Language. Plain Node: the renderer's i18n bundles are not loadable
// here, so the page keeps its own few texts, worded as the till's; the
// tender and drawer words are the printed X/Z's own (electron/reports/cash-print.ts).

export type PageLanguage = 'en' | 'zh-Hant' | 'zh-Hans';

export interface PageTexts {
  lang: PageLanguage;
  headOffice: string;
  signInTitle: string;
  ownerPassword: string;
  signIn: string;
  signOut: string;
  wrongPassword: string;
  lockedOut: string;
  businessDay: (day: string) => string;
  takings: string;
  perTill: string;
  perTender: string;
  tender: string;
  drawers: string;
  float: string;
  cashSales: string;
  cashRefunds: string;
  paidIn: string;
  paidOut: string;
  expected: string;
  noCash: string;
  perHour: string;
  zReports: string;
  reconciliation: string;
  replication: string;
  paid: string;
  gross: string;
  refunds: string;
  net: string;
  store: string;
  till: string;
  taken: string;
  check: string;
  noSales: string;
  noSalesTill: string;
  paidPerHour: (currency: string) => string;
  hourTitle: (hour: string, count: number, amount: string) => string;
  noZ: string;
  hashOk: string;
  hashChanged: string;
  differsFromSales: string;
  reconcileNow: string;
  needsCredentials: string;
  notRun: string;
  matched: (n: number) => string;
  incomplete: string;
  allAgree: string;
  finding: string;
  order: string;
  why: string;
  noTill: string;
  lists: { stateDiffers: string; amountDiffers: string; onlyInJournal: string; onlyAtQfpay: string };
  noTills: string;
  upToDate: string;
  behind: (n: number) => string;
  lastContact: string;
  never: string;
  minutesAgo: (n: number) => string;
  generated: (at: string, tz: string, cutoff: string) => string;
  wrongHost: [title: string, text: string];
  refused: [title: string, text: string];
  notFound: [title: string, text: string];
  unavailable: [title: string, text: string];
}

/** The tender and drawer headings, as the till's printed X and Z word them. */
function cashTexts(lang: PageLanguage) {
  const l = CASH_LABELS[lang];
  return { perTender: l.tenders, drawers: l.drawer, float: l.float, cashSales: l.cashSales, cashRefunds: l.cashRefunds, paidIn: l.paidIn, paidOut: l.paidOut, expected: l.expected };
}

const en: PageTexts = {
  ...cashTexts('en'),
  lang: 'en',
  headOffice: 'Head office',
  signInTitle: 'Head office — sign in',
  ownerPassword: "Owner's password",
  signIn: 'Sign in',
  signOut: 'Sign out',
  wrongPassword: 'Wrong password.',
  lockedOut: 'Too many wrong passwords: wait half a minute.',
  businessDay: (day) => `business day ${day}`,
  takings: 'Takings, all tills (net)',
  perTill: 'Per till',
  tender: 'Tender',
  noCash: 'No cash sale, float, paid in or paid out at any till for this business day.',
  perHour: 'Per hour',
  zReports: 'Z reports',
  reconciliation: 'Reconciliation',
  replication: 'Replication',
  paid: 'Paid',
  gross: 'Gross',
  refunds: 'Refunds',
  net: 'Net',
  store: 'Store',
  till: 'Till',
  taken: 'Taken',
  check: 'Check',
  noSales: 'No sale has reached head office for this business day yet.',
  noSalesTill: 'no sales',
  paidPerHour: (currency) => `${currency} paid per hour, all tills`,
  hourTitle: (hour, count, amount) => `${hour}:00 — ${count} paid, ${amount}`,
  noZ: 'No Z report yet for this business day.',
  hashOk: 'hash ok',
  hashChanged: 'changed after it was taken',
  differsFromSales: 'differs from replicated sales',
  reconcileNow: 'Reconcile today with QFPay',
  needsCredentials: "Reconciliation needs the merchant's QFPay credentials when head office starts.",
  notRun: 'Not run since head office started.',
  matched: (n) => `${n} matched`,
  incomplete: "QFPay's records incomplete",
  allAgree: 'Every record agrees.',
  finding: 'Finding',
  order: 'Order',
  why: 'Why',
  noTill: 'no till',
  lists: { stateDiffers: 'State differs', amountDiffers: 'Amount differs', onlyInJournal: 'Only in a till', onlyAtQfpay: 'Only at QFPay' },
  noTills: 'No till has sent anything yet.',
  upToDate: 'up to date',
  behind: (n) => `${n} behind`,
  lastContact: 'Last contact',
  never: 'never',
  minutesAgo: (n) => `${n} min ago`,
  generated: (at, tz, cutoff) => `Generated ${at} (${tz}, days start ${cutoff})`,
  wrongHost: ['Wrong host', 'Open head office at its own address.'],
  refused: ['Refused', "Refused: this form was not sent from head office's page."],
  notFound: ['Not found', 'Not found.'],
  unavailable: ['Head office unavailable', "Head office's database could not answer:"],
};

const zhHant: PageTexts = {
  ...cashTexts('zh-Hant'),
  lang: 'zh-Hant',
  headOffice: '總部',
  signInTitle: '總部 — 登入',
  ownerPassword: '店主密碼',
  signIn: '登入',
  signOut: '登出',
  wrongPassword: '密碼錯誤。',
  lockedOut: '密碼錯誤次數太多：請等半分鐘。',
  businessDay: (day) => `營業日 ${day}`,
  takings: '收入，所有收銀機（淨額）',
  perTill: '各收銀機',
  tender: '付款方式',
  noCash: '此營業日各收銀機未有現金銷售、備用金、存入或支出。',
  perHour: '每小時',
  zReports: 'Z 報表',
  reconciliation: '對賬',
  replication: '傳送狀態',
  paid: '已付',
  gross: '總額',
  refunds: '退款',
  net: '淨額',
  store: '分店',
  till: '收銀機',
  taken: '結算時間',
  check: '核對',
  noSales: '此營業日尚未有銷售傳送到總部。',
  noSalesTill: '沒有銷售',
  paidPerHour: (currency) => `每小時已付 ${currency}，所有收銀機`,
  hourTitle: (hour, count, amount) => `${hour}:00 — 已付 ${count} 筆，${amount}`,
  noZ: '此營業日尚未有 Z 報表。',
  hashOk: '雜湊相符',
  hashChanged: '結算後曾被更改',
  differsFromSales: '與已傳送的銷售不符',
  reconcileNow: '與 QFPay 對賬（今日）',
  needsCredentials: '對賬需要在啟動總部時提供商戶的 QFPay 憑證。',
  notRun: '總部啟動後尚未對賬。',
  matched: (n) => `${n} 筆相符`,
  incomplete: 'QFPay 的記錄不完整',
  allAgree: '所有記錄相符。',
  finding: '結果',
  order: '訂單',
  why: '原因',
  noTill: '沒有收銀機',
  lists: { stateDiffers: '狀態不符', amountDiffers: '金額不符', onlyInJournal: '只在收銀機', onlyAtQfpay: '只在 QFPay' },
  noTills: '尚未有收銀機傳送資料。',
  upToDate: '已是最新',
  behind: (n) => `落後 ${n} 項`,
  lastContact: '最後聯絡',
  never: '從未',
  minutesAgo: (n) => `${n} 分鐘前`,
  generated: (at, tz, cutoff) => `產生於 ${at}（${tz}，營業日由 ${cutoff} 開始）`,
  wrongHost: ['網址不符', '請以總部本身的網址開啟。'],
  refused: ['已拒絕', '已拒絕：此表格並非由總部的網頁送出。'],
  notFound: ['找不到', '找不到此網頁。'],
  unavailable: ['總部暫時無法使用', '總部的資料庫未能回應：'],
};

const zhHans: PageTexts = {
  ...cashTexts('zh-Hans'),
  lang: 'zh-Hans',
  headOffice: '总部',
  signInTitle: '总部 — 登录',
  ownerPassword: '店主密码',
  signIn: '登录',
  signOut: '退出',
  wrongPassword: '密码错误。',
  lockedOut: '密码错误次数太多：请等半分钟。',
  businessDay: (day) => `营业日 ${day}`,
  takings: '收入，所有收银机（净额）',
  perTill: '各收银机',
  tender: '付款方式',
  noCash: '此营业日各收银机没有现金销售、备用金、存入或支出。',
  perHour: '每小时',
  zReports: 'Z 报表',
  reconciliation: '对账',
  replication: '发送状态',
  paid: '已付',
  gross: '总额',
  refunds: '退款',
  net: '净额',
  store: '门店',
  till: '收银机',
  taken: '结算时间',
  check: '核对',
  noSales: '此营业日尚未有销售发送到总部。',
  noSalesTill: '没有销售',
  paidPerHour: (currency) => `每小时已付 ${currency}，所有收银机`,
  hourTitle: (hour, count, amount) => `${hour}:00 — 已付 ${count} 笔，${amount}`,
  noZ: '此营业日尚未有 Z 报表。',
  hashOk: '哈希相符',
  hashChanged: '结算后曾被更改',
  differsFromSales: '与已发送的销售不符',
  reconcileNow: '与 QFPay 对账（今日）',
  needsCredentials: '对账需要在启动总部时提供商户的 QFPay 凭证。',
  notRun: '总部启动后尚未对账。',
  matched: (n) => `${n} 笔相符`,
  incomplete: 'QFPay 的记录不完整',
  allAgree: '所有记录相符。',
  finding: '结果',
  order: '订单',
  why: '原因',
  noTill: '没有收银机',
  lists: { stateDiffers: '状态不符', amountDiffers: '金额不符', onlyInJournal: '只在收银机', onlyAtQfpay: '只在 QFPay' },
  noTills: '尚未有收银机发送数据。',
  upToDate: '已是最新',
  behind: (n) => `落后 ${n} 项`,
  lastContact: '最后联络',
  never: '从未',
  minutesAgo: (n) => `${n} 分钟前`,
  generated: (at, tz, cutoff) => `生成于 ${at}（${tz}，营业日由 ${cutoff} 开始）`,
  wrongHost: ['网址不符', '请以总部本身的网址打开。'],
  refused: ['已拒绝', '已拒绝：此表单并非由总部的网页提交。'],
  notFound: ['找不到', '找不到此网页。'],
  unavailable: ['总部暂时无法使用', '总部的数据库未能响应：'],
};

export const PAGE_TEXTS: Readonly<Record<PageLanguage, PageTexts>> = { en, 'zh-Hant': zhHant, 'zh-Hans': zhHans };

/**
 * The first language of Accept-Language the page has, by quality: zh-TW,
 * zh-HK, zh-MO and zh-Hant read Traditional, any other Chinese Simplified;
 * English when nothing matches.
 */
export function pickLanguage(acceptLanguage: string | undefined): PageLanguage {
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { tag: tag.toLowerCase(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return /^zh-(hant|tw|hk|mo)\b/.test(tag) ? 'zh-Hant' : 'zh-Hans';
  }
  return 'en';
}
