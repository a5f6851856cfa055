import type { ReactNode } from 'react';

// A settings field: its label, the control, a one-line hint and the inline
// message when what was typed is not valid.

export function Field({ label, error, hint, children }: { label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <label className={`field${error ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {hint ? <span className="field-hint">{hint}</span> : null}
      {error ? <span className="field-error" role="alert">{error}</span> : null}
    </label>
  );
}

/** A write-only secret (the client key, head office's password): never shown; the placeholder says whether one is kept. */
export function SecretInput({ value, onChange, placeholder }: { value: string; onChange: (value: string) => void; placeholder: string }) {
  return <input type="password" autoComplete="new-password" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />;
}
