import { byId, field, h, onSubmit } from '../lib/dom';
import { plural } from '../lib/format';
import { songbookApi } from '../lib/songbook';

/** The KJ's songbook: import a whole file (the count and every line left out, with why), or add one song. */
export const setUpSongbookPanel = (token: () => string | null, showError: (message: string) => void): void => {
  const importForm = byId<HTMLFormElement>('book-import-form');
  onSubmit(
    importForm,
    async (data) => {
      const file = data.get('file');
      const signedIn = token();
      if (!(file instanceof File) || !signedIn) return;
      byId('book-imported').textContent = `Importing ${file.name}…`;
      const result = await songbookApi(signedIn).importFile(file);
      byId('book-imported').textContent =
        `Imported ${plural(result.count, 'song')}.` + (result.skippedTotal ? ` ${plural(result.skippedTotal, 'line')} left out:` : '');
      byId('book-skipped').replaceChildren(...result.skipped.map(({ line, reason }) => h('li', {}, `Line ${line}: ${reason}`)));
      importForm.reset();
    },
    (message) => {
      byId('book-imported').textContent = '';
      showError(message);
    },
  );

  const addForm = byId<HTMLFormElement>('book-add-form');
  onSubmit(
    addForm,
    async (data) => {
      const signedIn = token();
      if (!signedIn) return;
      const song = { title: field(data, 'title'), artist: field(data, 'artist'), ...(field(data, 'ref') ? { ref: field(data, 'ref') } : {}) };
      await songbookApi(signedIn).add(song);
      addForm.reset();
      byId('book-added').textContent = `Added ${song.title} by ${song.artist}.`;
      byId('book-title').focus();
    },
    showError,
  );
};
