import { canonicalString, sign, type SignAlgorithm } from '../qfpay/sign';
import { EXIT, UsageError, emit, parseCommandArgs, type Command } from './io';

// `till sign`: what a support engineer needs when QFPay answers 1108 — the
// exact string that was signed (with the key shown as <client_key>) and the
// signature, to compare with what the till sent.

export const signCommand: Command = {
  name: 'sign',
  summary: 'show the signed string and the signature for a set of parameters',
  usage: 'till sign [--algorithm MD5|SHA256] [--client-key K] name=value ... [--json]   (key also from QFPAY_CLIENT_KEY)',
  async run({ argv, env, io }) {
    const { values, positionals } = parseCommandArgs(argv, {
      algorithm: { type: 'string', default: 'MD5' },
      'client-key': { type: 'string' },
    });
    const algorithm = (values.algorithm ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5' && algorithm !== 'SHA256') throw new UsageError('--algorithm must be MD5 or SHA256', 'algorithm');
    const clientKey = values['client-key'] ?? env.QFPAY_CLIENT_KEY;
    if (!clientKey) throw new UsageError('give the key with --client-key or QFPAY_CLIENT_KEY', 'client-key');
    if (positionals.length === 0) throw new UsageError('give at least one name=value parameter');

    const params: Record<string, string> = {};
    const skipped: string[] = [];
    for (const pair of positionals) {
      const at = pair.indexOf('=');
      if (at <= 0) throw new UsageError(`"${pair}" is not name=value`);
      const name = pair.slice(0, at);
      if (Object.prototype.hasOwnProperty.call(params, name)) throw new UsageError(`${name} is given twice`);
      const value = pair.slice(at + 1);
      // Empty parameters are not sent, so they are not signed either (API.md).
      if (value === '') skipped.push(name);
      else params[name] = value;
    }
    if (Object.keys(params).length === 0) throw new UsageError('every parameter is empty: nothing would be sent');

    const signedString = `${canonicalString(params)}<client_key>`;
    const signature = sign(params, clientKey, algorithm as SignAlgorithm);
    for (const name of skipped) io.err(`note: ${name} is empty, so it is not sent and not signed`);
    emit(io, values.json, { algorithm, signedString, signature, skipped }, () => [signedString, signature]);
    return EXIT.ok;
  },
};
