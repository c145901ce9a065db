/** Shared UI bits: the language context, the language switch and the modal dialog frame. */
import { createContext, type ComponentChildren } from 'preact';
import { useContext } from 'preact/hooks';
import { LANG_NAMES, LANGS, t, type Lang, type MessageKey, type Params } from './lib/i18n';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: 'en', setLang: () => undefined });

/** The current language and a translate function bound to it. */
export function useT(): { lang: Lang; tr: (key: MessageKey, params?: Params) => string } {
  const { lang } = useContext(I18nContext);
  return { lang, tr: (key, params) => t(lang, key, params) };
}

export function LangSwitch() {
  const { lang, setLang } = useContext(I18nContext);
  return (
    <div class="lang-switch" role="group" aria-label={t(lang, 'app.language')}>
      {LANGS.map((l) => (
        <button type="button" key={l} lang={l} aria-pressed={l === lang} onClick={() => setLang(l)}>
          {LANG_NAMES[l]}
        </button>
      ))}
    </div>
  );
}

export function Dialog(props: { title: string; wide?: boolean; children: ComponentChildren }) {
  return (
    <div class="backdrop">
      <div class={props.wide ? 'dialog wide' : 'dialog'} role="dialog" aria-modal="true" aria-label={props.title}>
        <h2>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}
