import { ApiError } from '../lib/api';
import { h } from '../lib/dom';
import { clockTime } from '../lib/format';
import type { RotationApi } from '../lib/rotationApi';
import { describeTimeline } from '../lib/timeline';

/** The night's audit log (`GET …/events`), newest first, in words. Reloads at most once per burst of changes. */
export const createTimelinePanel = (list: HTMLOListElement, api: RotationApi) => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading = false;
  let again = false;

  const load = async () => {
    if (loading) return void (again = true);
    loading = true;
    try {
      const { events } = await api.events();
      const entries = describeTimeline(events).reverse();
      list.replaceChildren(
        ...entries.map((e) => h('li', {}, h('time', { datetime: e.at }, clockTime(e.at)), e.text)),
      );
    } catch (err) {
      const text = err instanceof ApiError && err.status === 403 ? 'Only the KJ who opened this rotation can see its timeline.' : 'The timeline could not be loaded just now.';
      list.replaceChildren(h('li', { class: 'hint' }, text));
    } finally {
      loading = false;
      if (again) {
        again = false;
        void load();
      }
    }
  };

  return {
    load,
    /** Something changed: reload soon, once, however many changes arrive meanwhile. */
    changed(): void {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), 200);
    },
  };
};
