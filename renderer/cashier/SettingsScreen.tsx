import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionTest } from '../../shared/contract';
import { CURRENCIES } from '../../shared/currency';
import {
  LANGUAGES,
  appCodeSchema,
  clientKeySchema,
  mchidSchema,
  pinSchema,
  settingsSchema,
  type Environment,
  type SettingsPatch,
  type SettingsView,
} from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { CounterSection, useCounterDraft } from './CounterSettings';
import { Field, SecretInput } from './Field';
import { NewPinFields } from './FirstRunPin';
import { UpdateSection } from './UpdateSection';
import { OfficeSettingsSection, type PendingOffice } from './OfficeSettingsSection';
import { PaymentSettingsSection, usePaymentsDraft } from './PaymentSettingsSection';
import { ReceiptSettingsSection, type PendingReceipts } from './ReceiptSettingsSection';

// Every setting of the till, checked as it is typed with the same schema the
// main process applies; invalid values show an inline message and are not
// saved. The client key is write-only: the screen only learns whether one is set.

type Draft = Record<'merchantName' | 'udid' | 'defaultCurrency' | 'qrExpiryMinutes' | 'tillsPerMerchant' | 'language' | 'customerDisplay' | 'businessDayCutoffHour' | 'timeZone' | 'updateFeedUrl', string> & {
  rmbTag: boolean;
  verifyResponseSignature: boolean;
  paidChime: boolean;
};

const NUMBER_FIELDS = new Set(['qrExpiryMinutes', 'tillsPerMerchant', 'businessDayCutoffHour']);
const LANGUAGE_NAMES: Record<string, string> = { 'zh-Hant': '繁體中文', 'zh-Hans': '简体中文', en: 'English' };

function draftOf(s: SettingsView): Draft {
  return {
    merchantName: s.merchantName,
    udid: s.udid,
    defaultCurrency: s.defaultCurrency,
    qrExpiryMinutes: String(s.qrExpiryMinutes),
    tillsPerMerchant: String(s.tillsPerMerchant),
    language: s.language,
    customerDisplay: s.customerDisplay,
    businessDayCutoffHour: String(s.businessDayCutoffHour),
    timeZone: s.timeZone,
    updateFeedUrl: s.updateFeedUrl,
    rmbTag: s.rmbTag,
    verifyResponseSignature: s.verifyResponseSignature,
    paidChime: s.paidChime,
  };
}

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Field → invalid-message key, for every field that does not pass the shared schema. */
export function validateDraft(draft: Draft): Partial<Record<keyof Draft, string>> {
  const problems: Partial<Record<keyof Draft, string>> = {};
  for (const key of Object.keys(draft) as (keyof Draft)[]) {
    const raw = draft[key];
    const value = NUMBER_FIELDS.has(key) ? (/^\d+$/.test(String(raw)) ? Number(raw) : Number.NaN) : raw;
    const schema = settingsSchema.shape[key];
    if (!schema.safeParse(value).success) problems[key] = `invalid.${key}`;
  }
  if (!problems.timeZone && !validTimeZone(draft.timeZone)) problems.timeZone = 'invalid.timeZone';
  if (draft.rmbTag && draft.defaultCurrency !== 'CNY') problems.rmbTag = 'invalid.rmbTag';
  return problems;
}

function patchOf(draft: Draft, current: SettingsView): SettingsPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof Draft)[]) {
    const value = NUMBER_FIELDS.has(key) ? Number(draft[key]) : draft[key];
    if (value !== current[key]) patch[key] = value;
  }
  return patch as SettingsPatch;
}

// A notice keeps its message key, not the text: after a language switch it
// must read in the new language (the switch itself is saved from this screen).
type Notice = { kind: 'ok' | 'error'; key: string; field?: string | undefined };
const saved: Notice = { kind: 'ok', key: 'settings.saved' };
const failure = (e: unknown, withField = true): Notice =>
  e instanceof TillError ? { kind: 'error', key: `errors.${e.error.code}`, field: withField ? e.error.field : undefined } : { kind: 'error', key: 'errors.internal' };

function NoticeText({ notice }: { notice: Notice | null }) {
  const { t } = useTranslation();
  if (!notice) return null;
  return (
    <span className={notice.kind === 'ok' ? 'ok-text' : 'error-text'} role="status">
      {t(notice.key)}
      {notice.field ? ` (${notice.field})` : ''}
    </span>
  );
}

/** Every IANA zone the runtime knows, to pick from (the current one first if the runtime does not list it). */
function timeZones(current: string): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes(current) ? zones : [current, ...zones];
}

/** What the connection section would save when the screen's one Save is pressed. */
interface PendingConnection {
  invalid: boolean;
  /** Null when nothing in the connection changed. */
  save: (() => Promise<void>) | null;
}

export function SettingsScreen({ settings, mode }: { settings: SettingsView; mode: Environment }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [pin, setPin] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  useEffect(() => setDraft(draftOf(settings)), [settings]);

  // One Save for the whole screen: the connection section reports what it would save (or that it is invalid).
  const connection = useRef<PendingConnection>({ invalid: false, save: null });
  const [, setConnectionTick] = useState(0);
  const onConnection = useCallback((pending: PendingConnection) => {
    connection.current = pending;
    setConnectionTick((n) => n + 1);
  }, []);
  const counter = useCounterDraft(settings);
  const payments = usePaymentsDraft(settings);
  const receipts = useRef<PendingReceipts>({ invalid: false, patch: {} });
  const onReceipts = useCallback((pending: PendingReceipts) => {
    receipts.current = pending;
    setConnectionTick((n) => n + 1);
  }, []);
  const office = useRef<PendingOffice>({ invalid: false, save: null });
  const onOffice = useCallback((pending: PendingOffice) => {
    office.current = pending;
    setConnectionTick((n) => n + 1);
  }, []);

  const problems = validateDraft(draft);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const errorFor = (key: keyof Draft) => (problems[key] ? t(problems[key]!) : undefined);
  const invalid = Object.keys(problems).length > 0 || connection.current.invalid || counter.problem !== null || payments.invalid || receipts.current.invalid || office.current.invalid;

  const save = async () => {
    if (invalid) return;
    const patch = { ...patchOf(draft, settings), ...counter.patch(draft.defaultCurrency), ...payments.patch(), ...receipts.current.patch };
    try {
      if (Object.keys(patch).length > 0 || (!connection.current.save && !office.current.save)) await unwrap(till().updateSettings({ patch, ...(settings.pinSet && pin ? { pin } : {}) }));
      await connection.current.save?.();
      await office.current.save?.();
      setNotice(saved);
    } catch (e) {
      setNotice(failure(e));
    }
  };

  return (
    <div className="settings">
      <h2>{t('settings.title')}</h2>
      {settings.pinState === 'tampered' ? (
        <div className="warn-banner" role="alert">
          {t('settings.pinTampered')}
        </div>
      ) : null}
      {settings.pinSet ? (
        <Field label={t('history.pin')} error={pin && !pinSchema.safeParse(pin).success ? t('invalid.pin') : undefined}>
          <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
        </Field>
      ) : null}
      <section className="settings-section">
        <h3>{t('settings.general')}</h3>
        <div className="settings-grid">
          <Field label={t('settings.merchantName')} error={errorFor('merchantName')}>
            <input value={draft.merchantName} onChange={(e) => set('merchantName', e.target.value)} />
          </Field>
          <Field label={t('settings.udid')} error={errorFor('udid')}>
            <input value={draft.udid} onChange={(e) => set('udid', e.target.value)} />
          </Field>
          <Field label={t('settings.language')}>
            <select value={draft.language} onChange={(e) => set('language', e.target.value)}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('settings.defaultCurrency')}>
            <select value={draft.defaultCurrency} onChange={(e) => set('defaultCurrency', e.target.value)}>
              {CURRENCIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
          <Field label={t('settings.qrExpiryMinutes')} error={errorFor('qrExpiryMinutes')}>
            <input inputMode="numeric" value={draft.qrExpiryMinutes} onChange={(e) => set('qrExpiryMinutes', e.target.value)} />
          </Field>
          <Field label={t('settings.tillsPerMerchant')} error={errorFor('tillsPerMerchant')} hint={t('settings2.tillsPerMerchantHint')}>
            <input inputMode="numeric" value={draft.tillsPerMerchant} onChange={(e) => set('tillsPerMerchant', e.target.value)} />
          </Field>
          <Field label={t('settings.businessDayCutoffHour')} error={errorFor('businessDayCutoffHour')}>
            <input inputMode="numeric" value={draft.businessDayCutoffHour} onChange={(e) => set('businessDayCutoffHour', e.target.value)} />
          </Field>
          <Field label={t('settings.timeZone')} error={errorFor('timeZone')}>
            <select value={draft.timeZone} onChange={(e) => set('timeZone', e.target.value)}>
              {timeZones(draft.timeZone).map((zone) => (
                <option key={zone} value={zone}>
                  {zone}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('settings.updateFeedUrl')} error={errorFor('updateFeedUrl')}>
            <input type="url" placeholder={t('settings.updateFeedUrlNone')} value={draft.updateFeedUrl} onChange={(e) => set('updateFeedUrl', e.target.value.trim())} />
          </Field>
          <Field label={t('settings.customerDisplay')}>
            <select value={draft.customerDisplay} onChange={(e) => set('customerDisplay', e.target.value)}>
              <option value="auto">{t('settings.displayAuto')}</option>
              <option value="primary">{t('settings.displayPrimary')}</option>
              <option value="off">{t('settings.displayOff')}</option>
            </select>
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={draft.rmbTag} onChange={(e) => set('rmbTag', e.target.checked)} /> {t('settings.rmbTag')}
        </label>
        {problems.rmbTag ? <span className="field-error" role="alert">{t(problems.rmbTag)}</span> : null}
        <label className="check">
          <input type="checkbox" checked={draft.verifyResponseSignature} onChange={(e) => set('verifyResponseSignature', e.target.checked)} /> {t('settings.verifyResponseSignature')}
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.paidChime} onChange={(e) => set('paidChime', e.target.checked)} /> {t('counter.chime')} <span className="check-hint">{t('counter.chimeHint')}</span>
        </label>
      </section>
      <CounterSection draft={counter} defaultCurrency={draft.defaultCurrency} />
      <PaymentSettingsSection draft={payments} />
      <ConnectionSection settings={settings} mode={mode} pin={pin} onPending={onConnection} />
      <ReceiptSettingsSection settings={settings} training={mode === 'training'} onPending={onReceipts} />
      <OfficeSettingsSection settings={settings} pin={pin} onPending={onOffice} />
      <div className="settings-actions settings-save-bar">
        <button type="button" className="btn btn-primary btn-large" disabled={invalid} onClick={() => void save()}>
          {t('settings.save')}
        </button>
        <NoticeText notice={notice} />
      </div>
      <PinSection settings={settings} />
      <UpdateSection settings={settings} pin={pin} />
    </div>
  );
}

function ConnectionSection({ settings, mode, pin, onPending }: { settings: SettingsView; mode: Environment; pin: string; onPending: (pending: PendingConnection) => void }) {
  const { t } = useTranslation();
  const [environment, setEnvironment] = useState<Environment>(settings.environment);
  const [appCode, setAppCode] = useState(settings.appCode ?? '');
  const [clientKey, setClientKey] = useState('');
  const [mchid, setMchid] = useState(settings.mchid ?? '');
  const [confirmed, setConfirmed] = useState(false);
  const [test, setTest] = useState<ConnectionTest | null>(null);

  const problems = {
    appCode: appCode && !appCodeSchema.safeParse(appCode).success ? t('invalid.appCode') : undefined,
    clientKey: clientKey && !clientKeySchema.safeParse(clientKey).success ? t('invalid.clientKey') : undefined,
    mchid: mchid && !mchidSchema.safeParse(mchid).success ? t('invalid.mchid') : undefined,
  };
  const needsConfirm = environment === 'production' && settings.environment !== 'production';
  // No PIN, no live mode and no stored credentials (issue 10): the main process refuses them too.
  const pinMissing = settings.pinState !== 'set';
  const wouldGoLive = environment !== 'training' || clientKey !== '' || appCode !== (settings.appCode ?? '') || mchid !== (settings.mchid ?? '');
  const invalid = Object.values(problems).some(Boolean) || (needsConfirm && !confirmed) || (pinMissing && wouldGoLive);

  const changed = environment !== settings.environment || appCode !== (settings.appCode ?? '') || clientKey !== '' || mchid !== (settings.mchid ?? '');
  useEffect(() => {
    const save = async () => {
      await unwrap(
        till().setCredentials({
          environment,
          ...(appCode ? { appCode } : {}),
          ...(clientKey ? { clientKey } : {}),
          ...(mchid !== (settings.mchid ?? '') ? { mchid: mchid || null } : {}),
          ...(settings.pinSet && pin ? { pin } : {}),
        }),
      );
      setClientKey('');
    };
    onPending({ invalid, save: changed ? save : null });
  }, [appCode, changed, clientKey, environment, invalid, mchid, onPending, pin, settings.pinSet]);

  const runTest = async () => {
    setTest(null);
    try {
      setTest(await unwrap(till().testConnection()));
    } catch (e) {
      setTest({ ok: false, respcd: null, message: e instanceof TillError ? e.error.message : String(e), latencyMs: 0 });
    }
  };

  return (
    <section className="settings-section">
      <h3>
        {t('settings.connection')} <span className={`badge badge-mode-${mode}`}>{t(`settings.env${mode[0]!.toUpperCase()}${mode.slice(1)}`)}</span>
      </h3>
      <div className="settings-grid">
        <Field label={t('settings.environment')}>
          <select value={environment} onChange={(e) => setEnvironment(e.target.value as Environment)}>
            <option value="training">{t('settings.envTraining')}</option>
            <option value="test">{t('settings.envTest')}</option>
            <option value="production">{t('settings.envProduction')}</option>
          </select>
        </Field>
        <Field label={t('settings.appCode')} error={problems.appCode}>
          <input value={appCode} autoComplete="off" onChange={(e) => setAppCode(e.target.value.trim())} />
        </Field>
        <Field label={t('settings.clientKey')} error={problems.clientKey}>
          <SecretInput value={clientKey} placeholder={settings.hasClientKey ? t('settings.clientKeySet') : t('settings.clientKeyNotSet')} onChange={setClientKey} />
        </Field>
        <Field label={t('settings.mchid')} error={problems.mchid}>
          <input value={mchid} autoComplete="off" onChange={(e) => setMchid(e.target.value.trim())} />
        </Field>
      </div>
      {settings.keyStorage === 'memory' ? <div className="info-banner">{t('app.keyInMemory')}</div> : null}
      {pinMissing ? (
        <div className="warn-banner" role="alert" data-testid="pin-required-to-go-live">
          {t('settings.pinRequiredToGoLive')}
        </div>
      ) : null}
      {needsConfirm ? (
        <div className="warn-banner" role="alert">
          <p>{t('settings.productionWarning')}</p>
          <label className="check">
            <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {t('settings.confirmProduction')}
          </label>
        </div>
      ) : null}
      <div className="settings-actions">
        <button type="button" className="btn" onClick={() => void runTest()}>
          {t('settings.testConnection')}
        </button>
        {test ? (
          <span className={test.ok ? 'ok-text' : 'error-text'} role="status" data-testid="connection-result">
            {test.ok ? t('settings.testOk', { ms: test.latencyMs }) : t('settings.testFailed', { message: test.message })}
            {test.respcd ? ` [${test.respcd}]` : ''}
          </span>
        ) : null}
      </div>
    </section>
  );
}

function PinSection({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const [currentPin, setCurrentPin] = useState('');
  const [notice, setNotice] = useState<Notice | null>(null);
  // A missing record cannot be checked: a new PIN is set without the old one (the stored key is forgotten).
  const asksCurrent = settings.pinSet;

  const apply = async (value: string | null) => {
    try {
      await unwrap(till().setPin({ newPin: value, ...(asksCurrent && currentPin ? { currentPin } : {}) }));
      setCurrentPin('');
      setNotice(saved);
    } catch (e) {
      setNotice(failure(e, false));
    }
  };

  return (
    <section className="settings-section">
      <h3>{t('settings.pinTitle')}</h3>
      <p>{settings.pinState === 'missing' ? t('settings.pinMissing') : settings.pinSet ? t('settings.pinSet') : t('settings.pinNotSet')}</p>
      {asksCurrent ? (
        <div className="settings-grid">
          <Field label={t('settings.currentPin')}>
            <input type="password" inputMode="numeric" autoComplete="off" value={currentPin} onChange={(e) => setCurrentPin(e.target.value)} />
          </Field>
        </div>
      ) : null}
      <NewPinFields onSet={(pin) => apply(pin)} submitLabel={t('settings.setPin')} />
      <div className="settings-actions">
        {settings.pinSet ? (
          <button type="button" className="btn" title={t('settings.removePinForgetsKey')} disabled={settings.environment !== 'training'} onClick={() => void apply(null)}>
            {t('settings.removePin')}
          </button>
        ) : null}
        <NoticeText notice={notice} />
      </div>
    </section>
  );
}
