import { useTranslation } from 'react-i18next';
import { decimalsOf, type CurrencyCode } from '../../shared/currency';
import type { Key } from '../lib/keypad';

const ROWS: Key[][] = [
  ['7', '8', '9'],
  ['4', '5', '6'],
  ['1', '2', '3'],
  ['00', '0', '.'],
];

/** `onScan`: the Scan key (issue 13), enabled once there is an amount to take by the customer's payment code. */
export function Keypad({ currency, onKey, onScan }: { currency: CurrencyCode; onKey: (key: Key) => void; onScan?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const hasDecimals = decimalsOf(currency) > 0;
  return (
    <div className="keypad" role="group" aria-label={t('keypad.enterAmount')}>
      {ROWS.flat().map((key) =>
        key === '.' && !hasDecimals ? (
          <span key={key} className="key key-blank" aria-hidden="true" />
        ) : (
          <button key={key} type="button" className="key" onClick={() => onKey(key)} tabIndex={-1}>
            {key}
          </button>
        ),
      )}
      <button type="button" className="key key-wide key-muted" onClick={() => onKey('backspace')} tabIndex={-1} aria-label={t('keypad.backspace')}>
        ⌫ {t('keypad.backspace')}
      </button>
      <button type="button" className="key key-muted" onClick={() => onKey('clear')} tabIndex={-1}>
        {t('keypad.clear')}
      </button>
      <button type="button" className="key key-full key-scan" onClick={onScan} disabled={!onScan} tabIndex={-1}>
        {t('pay.scan')}
      </button>
    </div>
  );
}
