import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VirtualReceipt } from '../../shared/contract';
import { RECEIPT_CODE_PAGES, RECEIPT_PRINT_MODES, pinSchema, printerConnectionSchema, settingsSchema, type SettingsPatch, type SettingsView } from '../../shared/settings';
import { till, unwrap } from '../lib/api';
import { PrintStatus, ReceiptImage, usePrintCall } from './ReceiptButtons';
import { Field } from './Field';

// Settings → Receipts (issue 14): shop address and footer, the printer
// (none, a network printer, an OS printer), paper width, code page and when
// receipts print; a test page, "No sale" (opens the drawer, PIN-gated), and
// the virtual printer's last receipts (training prints there).

type Draft = { receiptAddress: string; receiptFooter: string; printer: string; paperWidth: string; receiptCodePage: string; receiptPrint: string };

const draftOf = (s: SettingsView): Draft => ({
  receiptAddress: s.receiptAddress,
  receiptFooter: s.receiptFooter,
  printer: s.printer,
  paperWidth: String(s.paperWidth),
  receiptCodePage: s.receiptCodePage,
  receiptPrint: s.receiptPrint,
});

/** What the receipt fields would add to the screen's one Save (issue 12): the changed fields, or invalid. */
export interface PendingReceipts {
  invalid: boolean;
  patch: SettingsPatch;
}

export function ReceiptSettingsSection({ settings, training, onPending }: { settings: SettingsView; training: boolean; onPending: (pending: PendingReceipts) => void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  // Only for "No sale": the screen's own PIN field covers the one Save.
  const [pin, setPin] = useState('');
  const [testState, runTest] = usePrintCall();
  const [drawerState, runDrawer] = usePrintCall();
  const [jobs, setJobs] = useState<VirtualReceipt[]>([]);
  const [shown, setShown] = useState<number | null>(null);

  useEffect(() => setDraft(draftOf(settings)), [settings]);

  const refreshJobs = async () => {
    try {
      setJobs((await unwrap(till().virtualReceipts())) ?? []);
    } catch {
      setJobs([]);
    }
  };
  useEffect(() => {
    void refreshJobs();
  }, [testState, drawerState]);

  const addressInvalid = !settingsSchema.shape.receiptAddress.safeParse(draft.receiptAddress).success;
  const footerInvalid = !settingsSchema.shape.receiptFooter.safeParse(draft.receiptFooter).success;
  const printerInvalid = !printerConnectionSchema.safeParse(draft.printer).success;
  const pinInvalid = pin !== '' && !pinSchema.safeParse(pin).success;
  const withPin = settings.pinSet && pin ? { pin } : {};

  const invalid = addressInvalid || footerInvalid || printerInvalid;
  useEffect(() => {
    const wanted: SettingsPatch = {
      receiptAddress: draft.receiptAddress,
      receiptFooter: draft.receiptFooter,
      printer: draft.printer,
      paperWidth: draft.paperWidth === '58' ? 58 : 80,
      receiptCodePage: draft.receiptCodePage as SettingsPatch['receiptCodePage'],
      receiptPrint: draft.receiptPrint as SettingsPatch['receiptPrint'],
    };
    // Nothing unchanged is sent.
    const patch = Object.fromEntries(Object.entries(wanted).filter(([k, v]) => settings[k as keyof SettingsView] !== v)) as SettingsPatch;
    onPending({ invalid, patch });
  }, [draft, invalid, onPending, settings]);

  const set = (key: keyof Draft, value: string) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <section className="settings-section" data-testid="receipt-settings">
      <h3>{t('receipts.title')}</h3>
      {training ? <p className="info-text">{t('receipts.trainingVirtual')}</p> : null}
      <div className="settings-grid">
        <Field label={t('receipts.address')} error={addressInvalid ? t('receipts.tooLong') : undefined}>
          <input value={draft.receiptAddress} onChange={(e) => set('receiptAddress', e.target.value)} />
        </Field>
        <Field label={t('receipts.footer')} error={footerInvalid ? t('receipts.tooLong') : undefined}>
          <input value={draft.receiptFooter} onChange={(e) => set('receiptFooter', e.target.value)} />
        </Field>
        <Field label={t('receipts.printer')} error={printerInvalid ? t('receipts.printerInvalid') : undefined}>
          <input value={draft.printer} placeholder="tcp://192.168.1.50:9100" onChange={(e) => set('printer', e.target.value.trim())} />
        </Field>
        <Field label={t('receipts.paperWidth')}>
          <select value={draft.paperWidth} onChange={(e) => set('paperWidth', e.target.value)}>
            <option value="80">80 mm</option>
            <option value="58">58 mm</option>
          </select>
        </Field>
        <Field label={t('receipts.codePage')}>
          <select value={draft.receiptCodePage} onChange={(e) => set('receiptCodePage', e.target.value)}>
            {RECEIPT_CODE_PAGES.map((c) => (
              <option key={c} value={c}>
                {t(`receipts.codePages.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('receipts.when')}>
          <select value={draft.receiptPrint} onChange={(e) => set('receiptPrint', e.target.value)}>
            {RECEIPT_PRINT_MODES.map((m) => (
              <option key={m} value={m}>
                {t(`receipts.modes.${m}`)}
              </option>
            ))}
          </select>
        </Field>
        {settings.pinSet ? (
          <Field label={t('history.pin')} error={pinInvalid ? t('invalid.pin') : undefined}>
            <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
          </Field>
        ) : null}
      </div>
      <div className="settings-actions">
        <button type="button" className="btn" onClick={() => void runTest(() => unwrap(till().testPrinter()))}>
          {t('receipts.testPage')}
        </button>
        <PrintStatus state={testState} />
        <button type="button" className="btn" disabled={pinInvalid} onClick={() => void runDrawer(() => unwrap(till().openDrawer(withPin)))}>
          {t('receipts.noSale')}
        </button>
        <PrintStatus state={drawerState} />
      </div>
      {jobs.length > 0 ? (
        <div className="virtual-printer">
          <h4>{t('receipts.lastReceipts')}</h4>
          <ul className="virtual-jobs">
            {jobs.map((j) => (
              <li key={j.id}>
                <button type="button" className="btn btn-link" onClick={() => setShown(shown === j.id ? null : j.id)}>
                  {new Date(j.atMs).toLocaleTimeString()} — {j.title} ({j.bytes} B)
                </button>
                {shown === j.id ? <ReceiptImage svg={j.svg} label={j.title} /> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
