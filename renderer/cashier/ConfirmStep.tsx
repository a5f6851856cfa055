import { useId, type ReactNode } from 'react';

// The second step before something that cannot be taken back (a large
// charge, refunding a whole sale, closing the day). It asks in words what is
// about to happen; the confirm button must be pressed on purpose — Enter on
// the step before does not reach it, so a double Enter or a scanner's Enter
// never confirms.

interface Props {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  backLabel: string;
  onConfirm: () => void;
  onBack: () => void;
  busy?: boolean;
  tone?: 'charge' | 'danger';
}

export function ConfirmStep({ title, children, confirmLabel, backLabel, onConfirm, onBack, busy = false, tone = 'danger' }: Props) {
  const titleId = useId();
  return (
    <section className="confirm-step" role="group" aria-labelledby={titleId} data-testid="confirm-step">
      <h2 id={titleId} className="confirm-title">
        {title}
      </h2>
      {children}
      <div className="confirm-actions">
        <button type="button" className="btn btn-large" onClick={onBack} disabled={busy} autoFocus>
          {backLabel}
        </button>
        <button type="button" className={`btn btn-large ${tone === 'charge' ? 'btn-confirm-charge' : 'btn-danger'}`} onClick={onConfirm} disabled={busy}>
          {confirmLabel}
        </button>
      </div>
    </section>
  );
}
