import { useRef, type KeyboardEvent, type ReactNode } from 'react';

// A tab strip as WAI-ARIA describes it: one tab in the Tab order (roving
// tabindex), the arrow keys, Home and End move the selection and the focus
// along the strip (automatic activation: the panel follows at once).

/** The tab an arrow, Home or End key leads to from `current`; undefined for any other key. */
export function nextTab<T>(tabs: readonly T[], current: T, key: string): T | undefined {
  const i = tabs.indexOf(current);
  if (key === 'ArrowRight' || key === 'ArrowDown') return tabs[(i + 1) % tabs.length];
  if (key === 'ArrowLeft' || key === 'ArrowUp') return tabs[(i - 1 + tabs.length) % tabs.length];
  if (key === 'Home') return tabs[0];
  if (key === 'End') return tabs[tabs.length - 1];
  return undefined;
}

interface Props<T extends string> {
  tabs: readonly T[];
  current: T;
  onSelect: (tab: T) => void;
  label: string;
  className: string;
  tabClassName: (tab: T, selected: boolean) => string;
  /** The tabs' ids are `${idPrefix}-${tab}`, for the panel's aria-labelledby. */
  idPrefix: string;
  panelId?: string;
  children: (tab: T) => ReactNode;
  /** Extra attributes per tab (e.g. data-section for tests). */
  tabProps?: (tab: T) => Record<string, string>;
}

export function TabStrip<T extends string>({ tabs, current, onSelect, label, className, tabClassName, idPrefix, panelId, children, tabProps }: Props<T>) {
  const refs = useRef(new Map<T, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const next = nextTab(tabs, current, event.key);
    if (next === undefined) return;
    event.preventDefault();
    // Screens that listen for keys on the window (the keypad) must not see a tab move.
    event.stopPropagation();
    onSelect(next);
    refs.current.get(next)?.focus();
  };
  return (
    <div className={className} role="tablist" aria-label={label} onKeyDown={onKeyDown}>
      {tabs.map((name) => (
        <button
          key={name}
          ref={(el) => {
            if (el) refs.current.set(name, el);
            else refs.current.delete(name);
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-${name}`}
          aria-selected={current === name}
          aria-controls={panelId}
          tabIndex={current === name ? 0 : -1}
          className={tabClassName(name, current === name)}
          onClick={() => onSelect(name)}
          {...tabProps?.(name)}
        >
          {children(name)}
        </button>
      ))}
    </div>
  );
}
