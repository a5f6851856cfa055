import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import type { PayType } from '../../shared/pay-types';
import { WALLET_COLOURS, walletName } from '../lib/wallets';

// One tap picks the QR wallet for the next charge (issue 13 §2): big,
// touch-sized, each in its brand colour with its name (no trademark images).
// With a single wallet enabled nothing shows: there is nothing to choose.

export function WalletPicker({ wallets, value, onChange }: { wallets: readonly PayType[]; value: PayType; onChange: (payType: PayType) => void }) {
  const { t } = useTranslation();
  if (wallets.length <= 1) return null;
  return (
    <div className="wallet-picker" role="radiogroup" aria-label={t('pay.walletChoice')}>
      {wallets.map((payType) => {
        const name = walletName(payType);
        const colours = WALLET_COLOURS[name];
        const chosen = payType === value;
        return (
          <button
            key={payType}
            type="button"
            role="radio"
            aria-checked={chosen}
            data-pay-type={payType}
            className={`wallet-choice${chosen ? ' wallet-chosen' : ''}`}
            style={{ '--wallet-bg': colours.bg, '--wallet-fg': colours.fg } as CSSProperties}
            onClick={() => onChange(payType)}
          >
            {t(`pay.wallets.${name}`)}
          </button>
        );
      })}
    </div>
  );
}
