import type { ComponentChildren } from 'preact';
import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { activeElementBeside, trapTab } from './keycafe/focus.ts';
import { useUi } from './ui-context.ts';

export interface DialogProps {
  title: ComponentChildren;
  /** The first paragraph under the title; announced as the dialog's description. */
  description: ComponentChildren;
  busy?: boolean;
  onClose: () => void;
  children: ComponentChildren;
}

/**
 * The modal shell of every in-page dialog: labelled and described, focus moves in when it
 * opens, Tab stays inside, Escape, the backdrop and Close close it, and focus returns to
 * whatever had it before (also inside a closed shadow root, where `document.activeElement`
 * is only the host). Children put their own first focus where typing should go.
 */
export function Dialog({ title, description, busy = false, onClose, children }: DialogProps) {
  const { t } = useUi();
  const dialogRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descId = useId();

  // Before the first paint: a key pressed as soon as the dialog shows (Escape) must reach it.
  useLayoutEffect(() => {
    const dialog = dialogRef.current;
    // From the dialog's own root: a content script's closed shadow root hides it from the document.
    const opener = activeElementBeside(dialog);
    dialog?.focus();
    return () => {
      // Only when focus would be lost with the dialog: a host that already moved it knows better.
      const now = activeElementBeside(dialog);
      const lost = !now || now === document.body || (dialog?.contains(now) ?? false);
      if (lost && opener?.isConnected && opener !== document.body) opener.focus();
    };
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    } else if (dialogRef.current) trapTab(e, dialogRef.current);
  }

  return (
    <div class="ab-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialogRef}
        class="ab-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={descId}
        aria-busy={busy}
        tabIndex={-1}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{title}</h2>
        <p id={descId}>{description}</p>
        {children}
        <div class="ab-actions ab-footer">
          <button type="button" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
