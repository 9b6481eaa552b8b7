import type { Bilingual } from '../../domain/labels.ts';
import { createStore, useStore } from './store.ts';

/**
 * 中文 / English. The names of the domain's codes (tiers, parties, statuses, causes, documents)
 * are the shared ones in domain/labels.ts, the same the emails and review pages use; the words of
 * the console's own screens are in strings.ts. Dates stay ISO (YYYY-MM-DD) in both languages, as
 * the emails write them; instants are shown in Asia/Shanghai time.
 */

export type Lang = 'zh' | 'en';
export type { Bilingual };

const STORAGE_KEY = 'credit-repair.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export const langStore = createStore<Lang>(initialLang());

export function setLang(lang: Lang): void {
  localStorage.setItem(STORAGE_KEY, lang);
  langStore.set(lang);
}

/** The `lang` attribute value for a language. */
export const langTag = (lang: Lang): string => (lang === 'zh' ? 'zh-CN' : 'en');

/** Follows the language and returns the translator. */
export function useT(): { lang: Lang; t: (text: Bilingual) => string } {
  const lang = useStore(langStore);
  return { lang, t: (text) => text[lang] };
}

/** Upper-cases the first letter (the shared English cause names are written for sentences). */
export const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const instantFormats = new Map<Lang, Intl.DateTimeFormat>();

/** An instant in Asia/Shanghai time, e.g. 2026-05-01 10:30. */
export function formatInstant(iso: string, lang: Lang): string {
  let format = instantFormats.get(lang);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(langTag(lang), {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    instantFormats.set(lang, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}`;
}

export function formatYuan(amount: number, lang: Lang): string {
  return new Intl.NumberFormat(langTag(lang), { style: 'currency', currency: 'CNY' }).format(amount);
}
