import { QfpayClient } from '../../electron/qfpay/client';
import { sign } from '../../electron/qfpay/sign';
import { TRAINING_CREDENTIALS, startSimulator } from '../../electron/simulator/server';
import { round, throughput, percentile, type Bench } from './harness';

// Issue 2: signing throughput and simulator round trips per second.

const PAYMENT = {
  txamt: '1230',
  txcurrcd: 'HKD',
  pay_type: '800201',
  out_trade_no: 'TILL-0001-20261126-000042-a1b2c3',
  txdtm: '2026-11-26 12:34:56',
  expired_time: '30',
  goods_name: '咖啡 Latte',
  udid: 'till-0001',
};

export const qfpayBench: Bench = {
  title: 'QFPay protocol and simulator',
  async run() {
    const md5 = throughput(() => sign(PAYMENT, TRAINING_CREDENTIALS.clientKey, 'MD5'));
    const sha = throughput(() => sign(PAYMENT, TRAINING_CREDENTIALS.clientKey, 'SHA256'));

    // Rate limits off: this measures the server and client, not QFPay's quota.
    const simulator = await startSimulator({ seed: 1, ratePerMinute: 1e9, ratePerSecond: 1e9, refundNeedsCover: false });
    try {
      const client = new QfpayClient({ baseUrl: simulator.baseUrl, ...TRAINING_CREDENTIALS, udid: 'bench-till' });
      const created = await client.payment({ txamt: 1230, txcurrcd: 'HKD', out_trade_no: 'bench-query-target' });
      if (created.kind !== 'answered' || created.answer.respcd !== '0000') throw new Error('bench setup: payment failed');

      const latencies: number[] = [];
      const seconds = 2;
      const end = performance.now() + seconds * 1000;
      let queries = 0;
      while (performance.now() < end) {
        const t0 = performance.now();
        const result = await client.query({ out_trade_no: 'bench-query-target' });
        latencies.push(performance.now() - t0);
        if (result.kind !== 'answered') throw new Error(`bench: query ${result.kind}`);
        queries += 1;
      }

      let payments = 0;
      const payEnd = performance.now() + 1000;
      const payStart = performance.now();
      while (performance.now() < payEnd) {
        const result = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: `bench-pay-${payments}` });
        if (result.kind !== 'answered' || result.answer.respcd !== '0000') throw new Error('bench: payment failed');
        payments += 1;
      }
      const paymentsPerSecond = (payments * 1000) / (performance.now() - payStart);

      return [
        { name: 'sign_md5', value: Math.round(md5), unit: 'signatures/s', better: 'higher' },
        { name: 'sign_sha256', value: Math.round(sha), unit: 'signatures/s', better: 'higher' },
        { name: 'simulator_query_round_trips', value: round(queries / seconds), unit: 'requests/s', better: 'higher', note: 'sequential, one connection' },
        { name: 'simulator_query_p50', value: round(percentile(latencies, 50), 2), unit: 'ms', better: 'lower' },
        { name: 'simulator_query_p95', value: round(percentile(latencies, 95), 2), unit: 'ms', better: 'lower' },
        { name: 'simulator_payment_round_trips', value: round(paymentsPerSecond), unit: 'requests/s', better: 'higher', note: 'sequential' },
      ];
    } finally {
      await simulator.close();
    }
  },
};
