/** UI strings in English, Sinhala and Tamil, with {name} placeholders; English is the fallback. */
import en from '../i18n/en.json';
import si from '../i18n/si.json';
import ta from '../i18n/ta.json';

export type Lang = 'en' | 'si' | 'ta';
export type MessageKey = keyof typeof en;
export type Params = Readonly<Record<string, string | number>>;

export const LANGS: readonly Lang[] = ['en', 'si', 'ta'];

/** Each language's own name for itself (shown on the language switch whatever the UI language). */
export const LANG_NAMES: Readonly<Record<Lang, string>> = { en: 'English', si: 'සිංහල', ta: 'தமிழ்' };

export const CATALOGS: Readonly<Record<Lang, Readonly<Record<string, string>>>> = { en, si, ta };

export const isLang = (v: unknown): v is Lang => v === 'en' || v === 'si' || v === 'ta';

/** Translate `key` into `lang`, filling {placeholders} from `params`; unknown placeholders stay visible. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = CATALOGS[lang][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

const placeholders = (s: string): string =>
  [...s.matchAll(/\{(\w+)\}/g)]
    .map((m) => m[1])
    .sort()
    .join(',');

/** Problems with the catalogs: keys missing or extra against English, empty strings, placeholder mismatches. */
export function catalogProblems(): string[] {
  const problems: string[] = [];
  const base = CATALOGS.en;
  for (const lang of LANGS) {
    const cat = CATALOGS[lang];
    for (const [key, text] of Object.entries(base)) {
      const local = cat[key];
      if (local === undefined) problems.push(`${lang}: missing ${key}`);
      else if (local.trim() === '') problems.push(`${lang}: empty ${key}`);
      else if (placeholders(local) !== placeholders(text)) problems.push(`${lang}: placeholders differ in ${key}`);
    }
    for (const key of Object.keys(cat)) if (!(key in base)) problems.push(`${lang}: extra ${key}`);
  }
  return problems;
}

/** The UI language to start with: saved choice, else the browser's, else English. */
export function initialLang(saved: string | null, browser: readonly string[]): Lang {
  if (isLang(saved)) return saved;
  const found = browser.map((l) => l.slice(0, 2).toLowerCase()).find(isLang);
  return found ?? 'en';
}
