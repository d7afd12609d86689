import { useUi } from '../ui-context.ts';

/**
 * Copies `text` to the clipboard and reports how it went (the dialog announces it). When the
 * clipboard is refused (no permission, insecure page) the caller says so: the code stays on
 * screen, selectable.
 */
export function CopyButton({ text, label, onResult }: { text: string; label: string; onResult: (copied: boolean) => void }) {
  const { t } = useUi();
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      onResult(true);
    } catch {
      onResult(false);
    }
  }
  return (
    <button type="button" class="ab-copy" aria-label={label} onClick={() => void copy()}>
      {t('common.copy')}
    </button>
  );
}
