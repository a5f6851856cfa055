import { useTranslation } from 'react-i18next';
import { checkRealName, type RealName, type RealNameProblem } from '../../shared/real-name';

// The payer's real-name check (issue 13 §5, extend_info), offered before
// Charge when the merchant enabled it for the pay type. Held only in the
// Charge screen's state: the screen drops it when the sale is created, and
// it never reaches the customer display. Checked inline as it is typed.

export type RealNameEntryProblem = RealNameProblem | 'incomplete';

/** What stops the entry from being sent: undefined when it may go (or nothing was typed: then nothing goes). */
export function realNameProblem(entry: RealName): RealNameEntryProblem | undefined {
  const id = entry.idCardNumber.trim();
  const name = entry.name.trim();
  if (id === '' && name === '') return undefined;
  if (id === '' || name === '') return 'incomplete';
  return checkRealName({ idCardNumber: id, name });
}

/** The entry as sent (trimmed), or undefined when nothing was typed. */
export function realNameToSend(entry: RealName | null): RealName | undefined {
  if (!entry) return undefined;
  const sent = { idCardNumber: entry.idCardNumber.trim(), name: entry.name.trim() };
  return sent.idCardNumber === '' && sent.name === '' ? undefined : sent;
}

interface Props {
  /** null: closed (no check). */
  value: RealName | null;
  onChange: (value: RealName | null) => void;
}

export function RealNameEntry({ value, onChange }: Props) {
  const { t } = useTranslation();
  if (!value) {
    return (
      <button type="button" className="btn btn-realname" onClick={() => onChange({ idCardNumber: '', name: '' })}>
        {t('pay.realName.open')}
      </button>
    );
  }
  const id = value.idCardNumber.trim();
  const name = value.name.trim();
  // A number is only wrong once it is whole (18 characters) or the name is being typed after it; an empty name is not yet wrong.
  const problem = id !== '' && (id.length >= 18 || name !== '') ? checkRealName({ idCardNumber: id, name }) : undefined;
  const shown = problem === 'name_format' && name === '' ? undefined : problem;
  return (
    <fieldset className="realname" data-testid="realname">
      <legend>{t('pay.realName.title')}</legend>
      <div className="realname-row">
        <label className="field-inline">
          {t('pay.realName.idCardNumber')}
          <input
            autoComplete="off"
            spellCheck={false}
            maxLength={18}
            value={value.idCardNumber}
            onChange={(e) => onChange({ ...value, idCardNumber: e.target.value.toUpperCase() })}
          />
        </label>
        <label className="field-inline">
          {t('pay.realName.name')}
          <input autoComplete="off" spellCheck={false} maxLength={40} value={value.name} onChange={(e) => onChange({ ...value, name: e.target.value })} />
        </label>
        <button type="button" className="btn" onClick={() => onChange(null)}>
          {t('pay.realName.remove')}
        </button>
      </div>
      {shown ? (
        <span className="field-error" role="alert">
          {t(`pay.realName.${shown}`)}
        </span>
      ) : null}
    </fieldset>
  );
}
