import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../shared/settings';
import { en } from './en';
import { zhHans } from './zh-Hans';
import { zhHant } from './zh-Hant';

// i18next with the three bundled languages. The language follows the
// till's settings (which default from the system locale on first run).

export const RESOURCES = { en, 'zh-Hant': zhHant, 'zh-Hans': zhHans } as const;

export function initI18n(language: Language = 'zh-Hant') {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: Object.fromEntries(Object.entries(RESOURCES).map(([lng, messages]) => [lng, { translation: messages }])),
      lng: language,
      fallbackLng: false,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  } else if (i18next.language !== language) {
    void i18next.changeLanguage(language);
  }
  return i18next;
}

/** Intl locale for numbers and dates in each language. */
export const INTL_LOCALE: Record<Language, string> = { 'zh-Hant': 'zh-HK', 'zh-Hans': 'zh-CN', en: 'en-HK' };
