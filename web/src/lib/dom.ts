import { ApiError } from './api';

/** An element the page's HTML must have; a missing one is a bug in the page, so it fails loudly. */
export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element as T;
};

type Child = Node | string | null | undefined | false;
type Prop = string | number | boolean | undefined | ((event: Event) => void);

/**
 * Builds an element. Text always goes in as text nodes, never as HTML: singer names and song titles are
 * whatever people typed.
 */
export const h = <K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, Prop> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (typeof value === 'boolean') element.toggleAttribute(name, value);
    else if (value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
};

/**
 * Replaces a container's content; if the keyboard focus was on an element with `data-focus-key` inside it,
 * the new element with the same key gets it back, so a live update never throws a keyboard user out.
 */
export const replaceChildrenKeepingFocus = (container: HTMLElement, children: Node[]): void => {
  const focused = document.activeElement;
  const key = focused instanceof HTMLElement && container.contains(focused) ? focused.dataset.focusKey : undefined;
  container.replaceChildren(...children);
  if (key) container.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`)?.focus();
};

/** When the focused control disappeared (hidden, disabled, re-rendered), put focus somewhere sensible nearby. */
export const refocusIfLost = (fallback: () => HTMLElement | null | undefined): void => {
  const active = document.activeElement;
  const lost = !active || active === document.body || (active instanceof HTMLElement && (active.closest('[hidden]') || (active as HTMLButtonElement).disabled));
  if (lost) fallback()?.focus();
};

export const show = (element: HTMLElement, visible: boolean): void => {
  element.hidden = !visible;
};

export const messageOf = (err: unknown): string =>
  err instanceof ApiError ? err.message : err instanceof Error ? err.message : 'Something went wrong. Try again.';

/**
 * A click handler that acts on a single press only. The second tap of a double-tap is dropped: by the time it
 * lands, the first one's answer may have put another button under the finger (Start song becomes Song done,
 * Step away becomes I'm back), which the same gesture must not press. Keyboard presses (detail 0) always act.
 */
export const singlePress =
  (action: () => void) =>
  (event: Event): void => {
    if ((event as MouseEvent).detail > 1) return;
    action();
  };

/** `singlePress` on a button of the page. */
export const onPress = (button: HTMLElement, action: () => void): void => button.addEventListener('click', singlePress(action));

/**
 * Runs a click's work once at a time: the button says it is busy (without losing focus, as `disabled` would)
 * and a failure is shown to the person in words.
 */
export const runAction = async (button: HTMLElement | null, work: () => Promise<void>, onError: (message: string) => void): Promise<void> => {
  if (button?.getAttribute('aria-busy') === 'true') return;
  button?.setAttribute('aria-busy', 'true');
  try {
    await work();
  } catch (err) {
    onError(messageOf(err));
  } finally {
    button?.removeAttribute('aria-busy');
  }
};

/** A form's submit, with the browser's own validation first and the work run as an action. */
export const onSubmit = (form: HTMLFormElement, work: (data: FormData) => Promise<void>, onError: (message: string) => void): void => {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = form.querySelector<HTMLElement>('button[type="submit"], button:not([type])');
    void runAction(submit, () => work(new FormData(form)), onError);
  });
};

export const field = (data: FormData, name: string): string => String(data.get(name) ?? '').trim();

/**
 * A step that cannot be undone asks first: `open` reveals the `panel` and focuses "no"; "no" hides it and gives
 * the focus back to `open`; "yes" runs `confirmed` with its button and a way to hide the panel when done.
 */
export const askFirst = (
  ids: { readonly open: string; readonly panel: string; readonly no: string; readonly yes: string },
  confirmed: (yes: HTMLElement, hide: () => void) => void,
): void => {
  const panel = byId(ids.panel);
  onPress(byId(ids.open), () => {
    show(panel, true);
    byId(ids.no).focus();
  });
  onPress(byId(ids.no), () => {
    show(panel, false);
    byId(ids.open).focus();
  });
  const yes = byId(ids.yes);
  onPress(yes, () => confirmed(yes, () => show(panel, false)));
};
