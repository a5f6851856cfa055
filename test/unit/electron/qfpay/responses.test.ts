import { describe, expect, it } from 'vitest';
import { orderStatusOf, readHead, readQuery, recordStatus } from '../../../../electron/qfpay/responses';

// Reading /query answers in every shape QFPay is known to send (issue 9), and
// respcd read together with cancel (API.md).

const head = readHead({ respcd: '0000' })!;
const item = { syssn: '20261126000000010000000001', out_trade_no: 'S1', order_type: 'payment', respcd: '0000', cancel: '0', txamt: '100' };

describe('readQuery', () => {
  it('a list of records', () => {
    const answer = readQuery(head, { data: [item] });
    expect(answer.records).toHaveLength(1);
    expect(answer.unreadable).toEqual([]);
  });

  it('data as one object is one record', () => {
    expect(readQuery(head, { data: item }).records.map((r) => r.out_trade_no)).toEqual(['S1']);
  });

  it('data as a JSON string (a list or an object) is parsed', () => {
    expect(readQuery(head, { data: JSON.stringify([item]) }).records).toHaveLength(1);
    expect(readQuery(head, { data: JSON.stringify(item) }).records).toHaveLength(1);
  });

  it('a record without respcd is unreadable, with its ids kept', () => {
    const { respcd: _r, ...noCode } = item;
    const answer = readQuery(head, { data: [noCode] });
    expect(answer.records).toEqual([]);
    expect(answer.unreadable).toEqual([{ out_trade_no: 'S1', syssn: item.syssn }]);
  });

  it('data missing, null, a number or broken JSON is unreadable as a whole, never "no records"', () => {
    for (const data of [undefined, null, 42, '{not json']) expect(readQuery(head, { data }).unreadable).toEqual([{}]);
  });

  it('a cancel flag that is not a number makes the record unreadable', () => {
    expect(readQuery(head, { data: [{ ...item, cancel: 'x' }] }).unreadable).toHaveLength(1);
  });
});

describe('respcd read together with cancel', () => {
  it.each([
    ['0000', 0, 'paid'],
    ['0000', 1, 'closed'],
    ['0000', 2, 'closed'],
    ['0000', 3, 'paid'],
    ['0000', 5, 'paid'],
    ['0000', 9, 'undecided'],
    ['1143', 0, 'open'],
    ['1145', 0, 'open'],
    ['1264', 2, 'closed'],
    ['1181', 0, 'expired'],
    ['1201', 0, 'declined'],
    ['1297', 0, 'declined'],
    ['9876', 0, 'declined'],
  ] as const)('payment %s with cancel %i is %s', (respcd, cancel, status) => {
    expect(orderStatusOf('payment', respcd, cancel)).toBe(status);
  });

  it('a refund record: 0000 is done, in progress is open, anything else declined', () => {
    expect(recordStatus({ order_type: 'refund', respcd: '0000', cancel: 0 })).toBe('paid');
    expect(recordStatus({ order_type: 'refund', respcd: '1145', cancel: 0 })).toBe('open');
    expect(recordStatus({ order_type: 'refund', respcd: '1254', cancel: 0 })).toBe('declined');
  });
});
